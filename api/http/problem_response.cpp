#include "problem_response.h"

#include "json_response.h"

#include <array>

namespace sitecycle::http {

namespace {

// The status codes follow RFC 9110. A rejection by the case's current state (guard, state,
// closed) is 409 because the request is well formed but conflicts with the resource's state.
const std::array<ProblemClass, 19> kProblemClasses{{
    {ErrorCode::not_found, 404, {"未找到", "Not found"}},
    {ErrorCode::no_such_transition, 409,
     {"当前状态下不能执行该流转", "Transition not available in the current state"}},
    {ErrorCode::role_not_allowed, 403, {"角色无权执行该操作", "Role not allowed"}},
    {ErrorCode::guard_failed, 409, {"前置条件不满足", "Guard condition not met"}},
    {ErrorCode::invalid_input, 422, {"输入无效", "Invalid input"}},
    {ErrorCode::case_closed, 409, {"案件已关闭", "Case closed"}},
    {ErrorCode::conflict, 409, {"案件已被并发修改", "Concurrent change"}},
    {ErrorCode::invalid_definition, 500, {"流程定义无效", "Invalid workflow definition"}},
    {ErrorCode::unavailable, 503, {"服务暂时不可用", "Service unavailable"}},
    {ErrorCode::bad_request, 400, {"请求格式错误", "Bad request"}},
    {ErrorCode::method_not_allowed, 405, {"不支持该请求方法", "Method not allowed"}},
    {ErrorCode::payload_too_large, 413, {"请求体过大", "Payload too large"}},
    {ErrorCode::unauthenticated, 401, {"未登录或令牌无效", "Not authenticated"}},
    {ErrorCode::locked_out, 429, {"登录失败次数过多，已暂时锁定", "Locked out after failed sign-ins"}},
    {ErrorCode::forbidden, 403, {"所在单位无权执行该操作", "Forbidden for the caller's organisation"}},
    {ErrorCode::precondition_failed, 412, {"案件版本已变化", "Precondition failed"}},
    {ErrorCode::documents_missing, 409, {"缺少所需文件", "Required documents missing"}},
    {ErrorCode::idempotency_key_reused, 422, {"幂等键已用于其他请求", "Idempotency key reused"}},
    {ErrorCode::internal, 500, {"服务器内部错误", "Internal server error"}},
}};

constexpr std::array<std::string_view, 7> kStandardMembers{
    "type", "title", "status", "detail", "code", "errors", "instance"};

bool is_standard_member(std::string_view name) {
  for (std::string_view member : kStandardMembers) {
    if (member == name) return true;
  }
  return false;
}

nlohmann::json field_errors_json(const std::vector<FieldError>& errors, Language language) {
  nlohmann::json items = nlohmann::json::array();
  for (const FieldError& error : errors) {
    items.push_back({{"pointer", error.pointer}, {"message", error.message.in(language)}});
  }
  return items;
}

}  // namespace

std::span<const ProblemClass> problem_classes() { return kProblemClasses; }

const ProblemClass& problem_class(ErrorCode code) {
  for (const ProblemClass& row : kProblemClasses) {
    if (row.code == code) return row;
  }
  // Only a code added to the enum without a row here reaches this line.
  static const ProblemClass unknown{ErrorCode::unavailable, 500, {"未知错误", "Unknown error"}};
  return unknown;
}

std::string problem_type(ErrorCode code) {
  return "urn:sitecycle:problem:" + std::string(to_string(code));
}

HttpResponse problem_response(const Problem& problem, Language language,
                              std::string_view instance) {
  const ProblemClass& row = problem_class(problem.code);
  nlohmann::json body{
      {"type", problem_type(problem.code)},
      {"title", row.title.in(language)},
      {"status", row.status},
      {"detail", problem.detail.in(language)},
      {"code", to_string(problem.code)},
      {"errors", field_errors_json(problem.errors, language)},
  };
  if (!instance.empty()) body["instance"] = instance;

  if (problem.extra.is_object()) {
    for (const auto& [name, value] : problem.extra.items()) {
      if (!is_standard_member(name)) body[name] = value;
    }
  }
  return json_response(row.status, body, language, kProblemContentType);
}

HttpResponse internal_error_response(Language language, std::string_view instance) {
  const LocalizedText detail{"服务器处理请求时出错，原因已记入服务器日志；请稍后重试，若仍失败请联系管理员。",
                             "The server failed while handling the request and logged the cause. "
                             "Retry later, and contact the administrator if it fails again."};
  nlohmann::json body{
      {"type", problem_type(ErrorCode::internal)},
      {"title", problem_class(ErrorCode::internal).title.in(language)},
      {"status", 500},
      {"detail", detail.in(language)},
      {"code", "internal"},
      {"errors", nlohmann::json::array()},
  };
  if (!instance.empty()) body["instance"] = instance;
  return json_response(500, body, language, kProblemContentType);
}

}  // namespace sitecycle::http
