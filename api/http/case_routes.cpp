// Routes on the case collection and single cases: list, create, read.
#include "deadline_views.h"
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>

namespace sitecycle::http {

namespace {

constexpr std::array<MemberRule, 4> kCreateCaseMembers{{
    {"workflow", JsonKind::string, true},
    {"id", JsonKind::string, false},
    {"data", JsonKind::object, false},
    {"comment", JsonKind::string, false},
}};

FieldError invalid_case_id_error(std::string_view id) {
  return {"/id",
          {fmt::format("案件编号 {} 无效：应以小写字母开头，由小写字母、数字和下划线组成，不超过 64 "
                       "个字符；也可省略 id 由系统生成",
                       quoted_excerpt(id)),
           fmt::format("Case id {} is invalid: expected lowercase letters, digits and underscores, "
                       "starting with a letter, at most 64 characters; or omit id to have one "
                       "generated",
                       quoted_excerpt(id))}};
}

CreateCaseRequest create_request_from(const nlohmann::json& body, Actor actor) {
  CreateCaseRequest request;
  request.workflow_id = body.at("workflow").get<std::string>();
  if (body.contains("id")) request.case_id = body.at("id").get<std::string>();
  if (body.contains("data")) request.data = body.at("data");
  if (body.contains("comment")) request.comment = body.at("comment").get<std::string>();
  request.actor = std::move(actor);
  return request;
}

}  // namespace

Problem case_not_found_problem(std::string_view case_id) {
  return make_problem(
      ErrorCode::not_found,
      {fmt::format("未找到案件 {}；请检查编号，或用 GET /api/v1/cases 查询现有案件", quoted_excerpt(case_id)),
       fmt::format("Case {} not found; check the id, or list cases with GET /api/v1/cases",
                   quoted_excerpt(case_id))});
}

CaseDetail detail_after_command(const RouteContext& context, const StoredCase& stored,
                                const Actor& actor) {
  Result<CaseDetail> detail = context.service.case_detail(stored.id, actor);
  if (detail) return std::move(detail).value();

  spdlog::warn("case_detail_after_command_failed case={} code={} detail=\"{}\"", stored.id,
               to_string(detail.problem().code), detail.problem().detail.en);
  return CaseDetail{stored, {}, {}, {}};
}

nlohmann::json case_detail_body(const RouteContext& context, const CaseDetail& detail) {
  const WorkflowRegistry& registry = context.service.registry();
  nlohmann::json body = case_detail_json(detail, registry);
  DeadlineDisplay display{registry, context.service.deadlines(), context.clock.now().instant};
  body["deadlines"] = deadlines_json(detail.deadlines, display);
  return body;
}

RouteResult list_cases(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {"workflow", "state", "limit", "offset"}); !names) {
    return names.problem();
  }
  Result<Paging> paging = read_paging(context.request);
  if (!paging) return std::move(paging).take_problem();
  Result<std::optional<std::string>> workflow = read_query_value(context.request, "workflow");
  if (!workflow) return std::move(workflow).take_problem();
  Result<std::optional<std::string>> state = read_query_value(context.request, "state");
  if (!state) return std::move(state).take_problem();

  CaseQuery query{*workflow, *state, paging->limit, paging->offset};
  Page<StoredCase> page = context.service.store().list_cases(query);

  nlohmann::json items = nlohmann::json::array();
  for (const StoredCase& stored : page.items) {
    items.push_back(case_summary_json(stored, context.service.registry()));
  }
  return JsonReply{200, page_json(std::move(items), page.total), {}};
}

RouteResult create_case(const RouteContext& context) {
  Result<Actor> actor = read_actor(context.request, true, context.service.registry().roles());
  if (!actor) return std::move(actor).take_problem();
  Result<nlohmann::json> body = read_json_object(context.request, false);
  if (!body) return std::move(body).take_problem();
  std::vector<FieldError> errors = check_members(*body, kCreateCaseMembers);
  auto id = body->find("id");
  if (id != body->end() && id->is_string() && !is_valid_case_id(id->get<std::string>())) {
    errors.push_back(invalid_case_id_error(id->get<std::string>()));
  }
  if (!errors.empty()) return invalid_body_problem(std::move(errors));

  // Create the case.
  CreateCaseRequest request = create_request_from(*body, *actor);
  Result<CommandOutcome> outcome = context.service.create_case(request, context.clock.now());
  if (!outcome) return std::move(outcome).take_problem();

  // Reply with the new case and the transitions the actor may fire.
  const StoredCase& stored = outcome->stored;
  CaseDetail detail = detail_after_command(context, stored, *actor);
  return JsonReply{201, case_detail_body(context, detail), {{"Location", "/api/v1/cases/" + stored.id}}};
}

RouteResult get_case(const RouteContext& context) {
  const std::string& case_id = context.parameters.at(0);
  Result<Actor> actor = read_actor(context.request, false, context.service.registry().roles());
  if (!actor) return std::move(actor).take_problem();
  if (!is_valid_case_id(case_id)) return case_not_found_problem(case_id);

  Result<CaseDetail> detail = context.service.case_detail(case_id, *actor);
  if (!detail) return std::move(detail).take_problem();
  return JsonReply{200, case_detail_body(context, *detail), {}};
}

}  // namespace sitecycle::http
