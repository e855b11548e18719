// Reading what a client sent: the JSON body, paging and query filters. Each
// function returns a Problem that names the value and the fix; none of them throws.
#pragma once

#include <initializer_list>

#include "engine/case_store.h"
#include "engine/result.h"
#include "engine/workflow.h"
#include "http_message.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle::http {

// Request bodies nested deeper than this are rejected before parsing, because rendering and
// checking JSON values recurses once per level.
inline constexpr int kMaxJsonDepth = 32;

inline constexpr std::int64_t kDefaultPageLimit = 50;
inline constexpr std::int64_t kMaxPageLimit = 500;

// The body parsed as a JSON object. An empty body gives {} when `empty_allowed`. Rejections
// (bad_request): empty when not allowed, nested deeper than kMaxJsonDepth, not JSON (with the
// byte position in extra["position"]), or not an object.
Result<nlohmann::json> read_json_object(const HttpRequest& request, bool empty_allowed);

enum class JsonKind { string, object, array };

// One member a request body may carry.
struct MemberRule {
  std::string_view name;
  JsonKind kind;
  bool required;
};

// Checks the members of a body object: required members present, each of its kind, and no
// member outside `rules`. Returns one FieldError per problem, addressed by JSON pointer.
std::vector<FieldError> check_members(const nlohmann::json& body, std::span<const MemberRule> rules);

// Makes an invalid_input Problem that lists `errors`.
Problem invalid_body_problem(std::vector<FieldError> errors);

struct Paging {
  std::int64_t limit = kDefaultPageLimit;
  std::int64_t offset = 0;
};

// `limit` (1..kMaxPageLimit, default kDefaultPageLimit) and `offset` (0 or more, default 0).
Result<Paging> read_paging(const HttpRequest& request);

// Rejects query parameters outside `allowed` (bad_request naming the parameter), so that a
// misspelt filter does not silently return every item.
Status check_query_names(const HttpRequest& request, std::initializer_list<std::string_view> allowed);

// Reads a query parameter that may be sent at most once (bad_request otherwise). Returns
// nullopt when it is absent or empty, so that a form's blank filter means "any".
Result<std::optional<std::string>> read_query_value(const HttpRequest& request,
                                                    std::string_view name);

// Reads the query parameter `district`, which must be the id of a Shanghai district
// (bad_request listing them otherwise). nullopt when absent.
Result<std::optional<std::string>> read_district_query(const HttpRequest& request);

// Reads the query parameter `q`, a text to search for: 1 to 100 characters after trimming
// spaces (bad_request otherwise). nullopt when absent.
Result<std::optional<std::string>> read_search_query(const HttpRequest& request);

// `text` cut to at most 80 bytes (on a UTF-8 boundary) and quoted, for echoing client values in
// messages.
std::string quoted_excerpt(std::string_view text);

}  // namespace sitecycle::http
