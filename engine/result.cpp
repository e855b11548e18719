#include "result.h"

#include <array>
#include <utility>

namespace sitecycle {

namespace {

constexpr std::array<std::pair<ErrorCode, std::string_view>, 19> kCodeNames{{
    {ErrorCode::not_found, "not_found"},
    {ErrorCode::no_such_transition, "no_such_transition"},
    {ErrorCode::role_not_allowed, "role_not_allowed"},
    {ErrorCode::guard_failed, "guard_failed"},
    {ErrorCode::invalid_input, "invalid_input"},
    {ErrorCode::case_closed, "case_closed"},
    {ErrorCode::conflict, "conflict"},
    {ErrorCode::invalid_definition, "invalid_definition"},
    {ErrorCode::unavailable, "unavailable"},
    {ErrorCode::bad_request, "bad_request"},
    {ErrorCode::method_not_allowed, "method_not_allowed"},
    {ErrorCode::payload_too_large, "payload_too_large"},
    {ErrorCode::unauthenticated, "unauthenticated"},
    {ErrorCode::locked_out, "locked_out"},
    {ErrorCode::forbidden, "forbidden"},
    {ErrorCode::precondition_failed, "precondition_failed"},
    {ErrorCode::documents_missing, "documents_missing"},
    {ErrorCode::idempotency_key_reused, "idempotency_key_reused"},
    {ErrorCode::internal, "internal"},
}};

}  // namespace

std::string_view to_string(ErrorCode code) {
  for (const auto& [value, name] : kCodeNames) {
    if (value == code) return name;
  }
  return "unknown";
}

std::optional<ErrorCode> parse_error_code(std::string_view text) {
  for (const auto& [value, name] : kCodeNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

Problem make_problem(ErrorCode code, LocalizedText detail) {
  Problem problem{code, std::move(detail), {}, nlohmann::json::object()};
  return problem;
}

}  // namespace sitecycle
