#include "request_reading.h"

#include "engine/organisation.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

namespace sitecycle::http {

namespace {

constexpr std::size_t kExcerptBytes = 80;

Problem bad_request(std::string zh_cn, std::string en) {
  return make_problem(ErrorCode::bad_request, {std::move(zh_cn), std::move(en)});
}

// The deepest nesting of arrays and objects in `text`, counting brackets outside strings. It
// stops counting once `limit` is exceeded.
int json_nesting_depth(std::string_view text, int limit) {
  int depth = 0;
  int max_depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max_depth = std::max(max_depth, ++depth);
      if (max_depth > limit) return max_depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max_depth;
}

// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string parser_message(const std::exception& error) {
  std::string_view message = error.what();
  std::size_t bracket = message.find("] ");
  if (message.starts_with("[") && bracket != std::string_view::npos) {
    message.remove_prefix(bracket + 2);
  }
  return std::string(message);
}

// Thrown while parsing when an object repeats a member name. nlohmann keeps the last value
// silently, which would let a client hide one value behind another.
struct DuplicateMember {
  std::string name;
};

nlohmann::json parse_without_duplicate_members(const std::string& text) {
  std::vector<std::set<std::string>> open_objects;
  auto check = [&open_objects](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    switch (event) {
      case nlohmann::json::parse_event_t::object_start: open_objects.emplace_back(); break;
      case nlohmann::json::parse_event_t::object_end: open_objects.pop_back(); break;
      case nlohmann::json::parse_event_t::key:
        if (!open_objects.back().insert(parsed.get<std::string>()).second) throw DuplicateMember{parsed.get<std::string>()};
        break;
      default: break;
    }
    return true;
  };
  return nlohmann::json::parse(text, check);
}

std::string_view kind_name(JsonKind kind) {
  switch (kind) {
    case JsonKind::string: return "string";
    case JsonKind::object: return "object";
    case JsonKind::array: return "array";
  }
  return "value";
}

std::string_view kind_name_zh(JsonKind kind) {
  switch (kind) {
    case JsonKind::string: return "字符串";
    case JsonKind::object: return "对象";
    case JsonKind::array: return "数组";
  }
  return "值";
}

bool has_kind(const nlohmann::json& value, JsonKind kind) {
  switch (kind) {
    case JsonKind::string: return value.is_string();
    case JsonKind::object: return value.is_object();
    case JsonKind::array: return value.is_array();
  }
  return false;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace


Result<nlohmann::json> read_json_object(const HttpRequest& request, bool empty_allowed) {
  bool blank = std::all_of(request.body.begin(), request.body.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
  if (blank) {
    if (empty_allowed) return nlohmann::json::object();
    return bad_request("请求体为空：请发送 JSON 对象，例如 {\"workflow\": \"parcel\", \"data\": {}}",
                       "The request body is empty: send a JSON object, for example "
                       "{\"workflow\": \"parcel\", \"data\": {}}");
  }

  if (json_nesting_depth(request.body, kMaxJsonDepth) > kMaxJsonDepth) {
    return bad_request(fmt::format("请求体的 JSON 嵌套超过 {} 层；请减少嵌套", kMaxJsonDepth),
                       fmt::format("The request body nests JSON deeper than {} levels; flatten it",
                                   kMaxJsonDepth));
  }

  nlohmann::json body;
  try {
    body = parse_without_duplicate_members(request.body);
  } catch (const DuplicateMember& duplicate) {
    return bad_request(fmt::format("请求体中成员 {} 出现了不止一次；每个成员只能写一次", quoted_excerpt(duplicate.name)),
                       fmt::format("The request body gives member {} more than once; give each member once",
                                   quoted_excerpt(duplicate.name)));
  } catch (const nlohmann::json::parse_error& error) {
    Problem problem = bad_request(
        fmt::format("请求体不是有效的 JSON：第 {} 字节处出错（{}）；请检查该位置附近的语法", error.byte,
                    parser_message(error)),
        fmt::format("The request body is not valid JSON: error at byte {} ({}); check the syntax "
                    "near that position",
                    error.byte, parser_message(error)));
    problem.extra["position"] = error.byte;
    return problem;
  } catch (const nlohmann::json::out_of_range& error) {
    // A number beyond the range of a double, such as 1e400.
    return bad_request(
        fmt::format("请求体中的数值超出范围（{}）；请使用 ±1.7e308 以内的数值", parser_message(error)),
        fmt::format("A number in the request body is out of range ({}); use numbers within ±1.7e308",
                    parser_message(error)));
  }

  if (!body.is_object()) {
    return bad_request(
        fmt::format("请求体应为 JSON 对象，实际为 {}；请用 {{...}} 包裹各成员", body.type_name()),
        fmt::format("The request body must be a JSON object, found {}; wrap the members in {{...}}",
                    body.type_name()));
  }
  return body;
}

std::vector<FieldError> check_members(const nlohmann::json& body, std::span<const MemberRule> rules) {
  std::vector<FieldError> errors;
  for (const MemberRule& rule : rules) {
    // Appended rather than "/" + name: GCC 12 at -O2 warns falsely (-Wrestrict) on the latter.
    std::string pointer = "/";
    pointer += rule.name;
    auto found = body.find(rule.name);
    if (found == body.end()) {
      if (rule.required) {
        errors.push_back({pointer,
                          {fmt::format("缺少必填成员 {}（{}）", rule.name, kind_name_zh(rule.kind)),
                           fmt::format("Missing required member {} ({})", rule.name,
                                       kind_name(rule.kind))}});
      }
      continue;
    }
    if (!has_kind(*found, rule.kind)) {
      errors.push_back({pointer,
                        {fmt::format("成员 {} 应为{}，实际为 {}", rule.name, kind_name_zh(rule.kind),
                                     found->type_name()),
                         fmt::format("Member {} must be a {}, found {}", rule.name,
                                     kind_name(rule.kind), found->type_name())}});
    }
  }

  for (const auto& [name, value] : body.items()) {
    bool known = std::any_of(rules.begin(), rules.end(),
                             [&](const MemberRule& rule) { return rule.name == name; });
    if (known) continue;
    std::string expected;
    for (const MemberRule& rule : rules) expected += expected.empty() ? std::string(rule.name) : ", " + std::string(rule.name);
    errors.push_back({"/" + name,
                      {fmt::format("未知成员 {}；可用成员：{}", quoted_excerpt(name), expected),
                       fmt::format("Unknown member {}; allowed members: {}", quoted_excerpt(name),
                                   expected)}});
  }
  return errors;
}

Problem invalid_body_problem(std::vector<FieldError> errors) {
  Problem problem = make_problem(
      ErrorCode::invalid_input,
      {fmt::format("请求体有 {} 处错误，详见 errors；请按各条说明修改后重新提交", errors.size()),
       fmt::format("The request body has {} error(s), listed in errors; fix each and resend",
                   errors.size())});
  problem.errors = std::move(errors);
  return problem;
}

Result<Paging> read_paging(const HttpRequest& request) {
  Paging paging;

  Result<std::optional<std::string>> limit = read_query_value(request, "limit");
  if (!limit) return std::move(limit).take_problem();
  if (*limit) {
    std::optional<std::int64_t> value = parse_integer(**limit);
    if (!value || *value < 1 || *value > kMaxPageLimit) {
      return bad_request(fmt::format("查询参数 limit 的值 {} 无效：应为 1 到 {} 之间的整数",
                                     quoted_excerpt(**limit), kMaxPageLimit),
                         fmt::format("Query parameter limit has invalid value {}: expected an "
                                     "integer from 1 to {}",
                                     quoted_excerpt(**limit), kMaxPageLimit));
    }
    paging.limit = *value;
  }

  Result<std::optional<std::string>> offset = read_query_value(request, "offset");
  if (!offset) return std::move(offset).take_problem();
  if (*offset) {
    std::optional<std::int64_t> value = parse_integer(**offset);
    if (!value || *value < 0) {
      return bad_request(fmt::format("查询参数 offset 的值 {} 无效：应为 0 或正整数",
                                     quoted_excerpt(**offset)),
                         fmt::format("Query parameter offset has invalid value {}: expected an "
                                     "integer of 0 or more",
                                     quoted_excerpt(**offset)));
    }
    paging.offset = *value;
  }
  return paging;
}

Status check_query_names(const HttpRequest& request, std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : request.query) {
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    if (allowed.size() == 0) {
      return bad_request(fmt::format("不支持查询参数 {}：此接口不接受查询参数，请去掉 ? 之后的部分", quoted_excerpt(name)),
                         fmt::format("Unknown query parameter {}: this route takes no query parameters; drop the part "
                                     "after ?",
                                     quoted_excerpt(name)));
    }
    std::string allowed_list;
    for (std::string_view item : allowed) allowed_list += (allowed_list.empty() ? "" : ", ") + std::string(item);
    return bad_request(fmt::format("不支持查询参数 {}；可用参数：{}", quoted_excerpt(name), allowed_list),
                       fmt::format("Unknown query parameter {}; supported: {}", quoted_excerpt(name), allowed_list));
  }
  return Ok{};
}

Result<std::optional<std::string>> read_query_value(const HttpRequest& request,
                                                    std::string_view name) {
  std::optional<std::string> value;
  int count = 0;
  for (const auto& [key, text] : request.query) {
    if (key != name) continue;
    ++count;
    value = text;
  }
  if (count > 1) {
    return bad_request(fmt::format("查询参数 {} 出现了 {} 次；请只传一次", name, count),
                       fmt::format("Query parameter {} was sent {} times; send it once", name, count));
  }
  if (value && value->empty()) value.reset();
  return value;
}

std::string quoted_excerpt(std::string_view text) {
  if (text.size() <= kExcerptBytes) return fmt::format("\"{}\"", text);
  std::size_t cut = kExcerptBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("\"{}…\"", text.substr(0, cut));
}

Result<std::optional<std::string>> read_district_query(const HttpRequest& request) {
  Result<std::optional<std::string>> district = read_query_value(request, "district");
  if (!district || !*district || is_shanghai_district(**district)) return district;
  return bad_request(fmt::format("查询参数 district 的值 {} 不是上海的区；可选：{}", quoted_excerpt(**district),
                                 shanghai_district_names()),
                     fmt::format("Query parameter district has value {}, which is not a Shanghai district; one of: {}",
                                 quoted_excerpt(**district), shanghai_district_names()));
}

Result<std::optional<std::string>> read_search_query(const HttpRequest& request) {
  constexpr std::size_t kMaxSearchCharacters = 100;
  Result<std::optional<std::string>> text = read_query_value(request, "q");
  if (!text || !*text) return text;
  std::string trimmed = **text;
  trimmed.erase(0, trimmed.find_first_not_of(' '));
  trimmed.erase(trimmed.find_last_not_of(' ') + 1);
  std::size_t characters = 0;
  bool control = false;
  for (unsigned char byte : trimmed) {
    characters += (byte & 0xC0) != 0x80 ? 1 : 0;
    control = control || byte < 0x20 || byte == 0x7F;
  }
  if (trimmed.empty() || characters > kMaxSearchCharacters || control) {
    return bad_request(fmt::format("查询参数 q 应为 1 到 {} 个字符的搜索文字（不计首尾空格，不含控制字符）",
                                   kMaxSearchCharacters),
                       fmt::format("Query parameter q must be a search text of 1 to {} characters (leading and "
                                   "trailing spaces aside) without control characters",
                                   kMaxSearchCharacters));
  }
  return std::optional<std::string>(std::move(trimmed));
}

}  // namespace sitecycle::http
