// Errors as RFC 9457 problem+json: the one table from ErrorCode to HTTP status, problem type
// and title, and the body built from a Problem.
#pragma once

#include "engine/localized_text.h"
#include "engine/result.h"
#include "http_message.h"

#include <span>
#include <string>
#include <string_view>

namespace sitecycle::http {

// One row of the table: what a code means on the wire. The title is short and generic; the
// Problem's detail carries the specifics.
struct ProblemClass {
  ErrorCode code;
  int status;
  LocalizedText title;
};

// Every row, one per ErrorCode.
std::span<const ProblemClass> problem_classes();

// The row for `code`.
const ProblemClass& problem_class(ErrorCode code);

// "urn:sitecycle:problem:" followed by the code, for example "urn:sitecycle:problem:not_found".
std::string problem_type(ErrorCode code);

// Renders `problem` as application/problem+json in `language`. Members: type, title, status,
// detail, code (never translated), errors [{pointer, message}], instance (when not empty), and
// every member of problem.extra whose name does not collide with those.
HttpResponse problem_response(const Problem& problem, Language language,
                              std::string_view instance = {});

// A 500 for an unexpected failure, such as an exception escaping a route. Its detail is
// generic because the cause belongs in the server log, never in a response. Its code is
// "internal", which has no ErrorCode because no layer returns it.
HttpResponse internal_error_response(Language language, std::string_view instance = {});

}  // namespace sitecycle::http
