// Firing a transition on a case.
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

namespace sitecycle::http {

namespace {

constexpr std::array<MemberRule, 3> kFireMembers{{
    {"input", JsonKind::object, false},
    {"comment", JsonKind::string, false},
    {"documents", JsonKind::array, false},
}};

FireRequest fire_request_from(const RouteContext& context, const nlohmann::json& body,
                              Actor actor) {
  FireRequest request;
  request.case_id = context.parameters.at(0);
  request.transition.transition = context.parameters.at(1);
  request.transition.actor = std::move(actor);
  if (body.contains("input")) request.transition.input = body.at("input");
  if (body.contains("comment")) request.transition.comment = body.at("comment").get<std::string>();
  return request;
}

Problem bad_if_match_problem(std::string_view value, std::string_view case_id) {
  return make_problem(
      ErrorCode::bad_request,
      {fmt::format("请求头 If-Match 的值 {} 无效：应为本案件一个版本的 ETag，例如 \"{}-v3\"（取自 GET 响应的 ETag），或 *",
                   quoted_excerpt(value), case_id),
       fmt::format("Header If-Match has invalid value {}: send one ETag of this case, such as \"{}-v3\" "
                   "(the ETag of a GET response), or *",
                   quoted_excerpt(value), case_id)});
}

// The case version an If-Match header requires: nullopt when the header is absent or "*".
// Only one strong ETag of this case is accepted.
Result<std::optional<std::int64_t>> read_if_match(const HttpRequest& request, std::string_view case_id) {
  const std::string* header = request.header("if-match");
  if (!header) return std::optional<std::int64_t>();
  std::string_view value = *header;
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value == "*") return std::optional<std::int64_t>();

  std::string prefix = fmt::format("\"{}-v", case_id);
  if (!value.starts_with(prefix) || !value.ends_with('"') || value.size() <= prefix.size() + 1) {
    return bad_if_match_problem(*header, case_id);
  }
  std::string_view digits = value.substr(prefix.size(), value.size() - prefix.size() - 1);
  std::int64_t version = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (error != std::errc() || end != digits.data() + digits.size() || version < 1) {
    return bad_if_match_problem(*header, case_id);
  }
  return std::optional<std::int64_t>(version);
}

// A conflict over the expected version becomes 412 when the client sent If-Match.
Problem stale_version_problem(Problem conflict, std::string_view case_id) {
  std::int64_t current = conflict.extra.value("current_version", std::int64_t{0});
  Problem problem = make_problem(
      ErrorCode::precondition_failed,
      {fmt::format("If-Match 指定的版本已过时：案件 {} 当前为第 {} 版；请重新读取案件（GET /api/v1/cases/{}），确认后再提交",
                   case_id, current, case_id),
       fmt::format("The version in If-Match is stale: case {} is at version {}; re-read it "
                   "(GET /api/v1/cases/{}) and submit again",
                   case_id, current, case_id)});
  problem.extra = std::move(conflict.extra);
  return problem;
}

FieldError document_error(std::size_t index, std::string zh_cn, std::string en) {
  return {fmt::format("/documents/{}", index), {std::move(zh_cn), std::move(en)}};
}

// The transition `transition_id` of the case's workflow, or null when either is unknown (the
// service then rejects the request).
const Transition* transition_of(const RouteContext& context, const std::string& case_id, const std::string& transition_id,
                                WorkflowPtr& workflow) {
  std::optional<StoredCase> stored = context.service.store().find_case(case_id);
  if (!stored) return nullptr;
  workflow = context.service.registry().find(stored->workflow_id, stored->workflow_version);
  return workflow ? workflow->find_transition(transition_id) : nullptr;
}

// Whether a role that may fire `transition` uploaded the document: a step hands in only what its
// own side uploaded.
bool uploaded_by_firing_side(const StoredDocument& document, const Transition* transition) {
  if (transition == nullptr) return true;
  return std::find(transition->roles.begin(), transition->roles.end(), document.uploaded_by.role) != transition->roles.end();
}

// The documents named in the body's `documents`: each a document of the case not handed in yet,
// uploaded by a role that may fire the transition.
Result<std::vector<AttachedDocument>> named_documents(const RouteContext& context, const std::string& case_id,
                                                      const Transition* transition, const nlohmann::json& names) {
  std::vector<AttachedDocument> documents;
  std::vector<FieldError> errors;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!names[i].is_string()) {
      errors.push_back(document_error(i, "文件编号应为字符串", "a document id must be a string"));
      continue;
    }
    std::string id = names[i].get<std::string>();
    std::optional<StoredDocument> document = context.service.store().find_document(id);
    if (!document || document->case_id != case_id) {
      errors.push_back(document_error(
          i, fmt::format("本案件没有文件 {}；请先上传，或用 GET /api/v1/cases/{}/documents 查看", quoted_excerpt(id), case_id),
          fmt::format("case has no document {}; upload it first, or list them with GET /api/v1/cases/{}/documents",
                      quoted_excerpt(id), case_id)));
    } else if (document->event_id) {
      errors.push_back(document_error(i, fmt::format("文件 {} 已由之前的步骤提交；请上传新的文件", id),
                                      fmt::format("document {} was handed in by an earlier step; upload a new one", id)));
    } else if (!uploaded_by_firing_side(*document, transition)) {
      errors.push_back(document_error(
          i, fmt::format("文件 {} 由角色 {} 上传，不能由本环节提交", id, document->uploaded_by.role),
          fmt::format("document {} was uploaded by role {}, so this step cannot hand it in", id, document->uploaded_by.role)));
    } else if (!seen.insert(id).second) {
      errors.push_back(document_error(i, fmt::format("文件 {} 列了两次", id), fmt::format("document {} is listed twice", id)));
    } else {
      documents.push_back({document->id, document->kind});
    }
  }
  if (!errors.empty()) return invalid_body_problem(std::move(errors));
  return documents;
}

// For each kind the transition carries or requires, the latest document of the case not handed
// in yet that a role firing it uploaded.
std::vector<AttachedDocument> latest_documents(const RouteContext& context, const std::string& case_id,
                                               const Transition* transition) {
  std::vector<AttachedDocument> documents;
  if (transition == nullptr) return documents;

  std::set<std::string> kinds(transition->documents.begin(), transition->documents.end());
  kinds.insert(transition->required_documents.begin(), transition->required_documents.end());
  std::vector<StoredDocument> uploaded = context.service.store().documents_of(case_id);
  for (const std::string& kind : kinds) {
    for (auto document = uploaded.rbegin(); document != uploaded.rend(); ++document) {
      if (document->kind == kind && !document->event_id && uploaded_by_firing_side(*document, transition)) {
        documents.push_back({document->id, document->kind});
        break;
      }
    }
  }
  return documents;
}

}  // namespace

RouteResult fire_transition(const RouteContext& context) {
  const std::string& case_id = context.parameters.at(0);
  Result<nlohmann::json> body = read_json_object(context.request, true);
  if (!body) return std::move(body).take_problem();
  std::vector<FieldError> errors = check_members(*body, kFireMembers);
  if (!errors.empty()) return invalid_body_problem(std::move(errors));
  if (Status visible = require_visible_case(context, case_id); !visible) return visible.problem();
  Result<std::optional<std::int64_t>> expected_version = read_if_match(context.request, case_id);
  if (!expected_version) return std::move(expected_version).take_problem();

  // Fire the transition.
  FireRequest request = fire_request_from(context, *body, context.actor());
  request.expected_version = *expected_version;
  WorkflowPtr workflow;
  const Transition* transition = transition_of(context, case_id, request.transition.transition, workflow);
  if (body->contains("documents")) {
    Result<std::vector<AttachedDocument>> named = named_documents(context, case_id, transition, body->at("documents"));
    if (!named) return std::move(named).take_problem();
    request.transition.documents = std::move(named).value();
  } else {
    request.transition.documents = latest_documents(context, case_id, transition);
  }
  Result<CommandOutcome> outcome = context.service.fire(request, context.clock.now());
  if (!outcome) {
    Problem problem = std::move(outcome).take_problem();
    if (request.expected_version && problem.code == ErrorCode::conflict) {
      return stale_version_problem(std::move(problem), case_id);
    }
    return problem;
  }

  // Reply with the case after the change and every event the command wrote.
  CaseDetail detail = detail_after_command(context, outcome->stored, context.actor());
  nlohmann::json reply = case_detail_body(context, detail);
  reply["events"] = events_json(outcome->events);
  return JsonReply{200, std::move(reply), {{"ETag", case_etag(outcome->stored)}}};
}

}  // namespace sitecycle::http
