// Expected failures as values: the error codes every layer shares, and Result<T>.
#pragma once

#include "localized_text.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sitecycle {

// The stable error codes. The HTTP layer maps each to one status in one table, the CLI to an
// exit code, and scenarios expect them by name.
enum class ErrorCode {
  not_found,           // no such case, workflow, transition or route; do not retry
  no_such_transition,  // the transition exists but not from the case's current state
  role_not_allowed,    // the actor's role may not fire this transition
  guard_failed,        // a guard condition is false; the problem names the condition
  invalid_input,       // input or case data break the field schema; the problem lists the fields
  case_closed,         // the case was closed and accepts no more transitions
  conflict,            // the case changed concurrently; re-read it and retry
  invalid_definition,  // a workflow file is malformed or inconsistent
  unavailable,         // the store failed or is unreachable; retry later
  bad_request,         // the request is malformed (not JSON, bad query or header); fix it
  method_not_allowed,  // the route exists but not for this HTTP method
  payload_too_large,   // the request body exceeds the server's limit
  unauthenticated,     // no valid credentials (missing, malformed, unknown, revoked or expired token)
  locked_out,          // too many failed sign-ins; wait before trying again
  forbidden,           // the caller's organisation may not take this action
  precondition_failed, // If-Match names a version the case no longer has; re-read it
  documents_missing,   // the transition requires documents of kinds the case has not received
  idempotency_key_reused,  // an Idempotency-Key was sent before with another request
  internal,            // a bug or an unexpected exception; the server logged it
};

std::string_view to_string(ErrorCode code);
std::optional<ErrorCode> parse_error_code(std::string_view text);

// One field-level problem, addressed by a JSON pointer such as "/data/area_m2".
struct FieldError {
  std::string pointer;
  LocalizedText message;
};

// A failure with everything a caller needs to explain it: the code, a message in both languages,
// field errors, and extra members (for example "blocking_case") that the API adds to its
// problem+json body.
struct Problem {
  ErrorCode code;
  LocalizedText detail;
  std::vector<FieldError> errors;
  nlohmann::json extra = nlohmann::json::object();
};

Problem make_problem(ErrorCode code, LocalizedText detail);

// Holds either a value or a Problem.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : content_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Problem problem) : content_(std::move(problem)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(content_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(content_); }
  const T& value() const& { return std::get<T>(content_); }
  T&& value() && { return std::get<T>(std::move(content_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Problem& problem() const { return std::get<Problem>(content_); }
  Problem&& take_problem() && { return std::get<Problem>(std::move(content_)); }

 private:
  std::variant<T, Problem> content_;
};

struct Ok {};
using Status = Result<Ok>;

// Thrown by store adapters for failures a caller cannot plan for (disk full, lost connection).
// CaseService catches it at its boundary and returns ErrorCode::unavailable.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sitecycle
