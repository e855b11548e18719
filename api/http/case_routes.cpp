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

// A district-level organisation creates cases in its own district only, since it could not see
// a case of another district afterwards.
Status check_own_district(const RouteContext& context, const nlohmann::json& body) {
  const std::optional<std::string>& own = context.scope().district;
  if (!own) return Ok{};
  auto data = body.find("data");
  if (data == body.end() || !data->is_object()) return Ok{};
  auto district = data->find("district");
  if (district == data->end() || !district->is_string() || district->get<std::string>() == *own) return Ok{};
  return make_problem(
      ErrorCode::forbidden,
      {fmt::format("所在单位只管辖 {}，不能在其他区（{}）新建案件；请由该区的单位办理，或把 data.district 改为 {}", *own,
                   quoted_excerpt(district->get<std::string>()), *own),
       fmt::format("Your organisation covers {} only and cannot create a case in another district ({}); "
                   "leave it to that district's organisation, or set data.district to {}",
                   *own, quoted_excerpt(district->get<std::string>()), *own)});
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

Status require_visible_case(const RouteContext& context, std::string_view case_id) {
  if (!is_valid_case_id(case_id)) return case_not_found_problem(case_id);
  CaseStore& store = context.service.store();
  CaseScope scope = context.scope();
  if (scope.unrestricted()) {
    if (!store.find_case(case_id)) return case_not_found_problem(case_id);
    return Ok{};
  }
  if (store.case_in_scope(case_id, scope)) return Ok{};
  if (store.find_case(case_id)) {
    context.authenticator.record_denied(context.principal, context.request,
                                        fmt::format("case {} is outside the organisation's scope", case_id));
  }
  return case_not_found_problem(case_id);
}

std::string case_etag(const StoredCase& stored) { return fmt::format("\"{}-v{}\"", stored.id, stored.version); }

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
  if (Status names = check_query_names(context.request, {"workflow", "state", "district", "q", "light", "party",
                                                          "sort", "limit", "offset"});
      !names) {
    return names.problem();
  }
  Result<Paging> paging = read_paging(context.request);
  if (!paging) return std::move(paging).take_problem();
  Result<CaseQuery> filters = read_case_filters(context);
  if (!filters) return std::move(filters).take_problem();

  CaseQuery query = std::move(*filters);
  query.limit = paging->limit;
  query.offset = paging->offset;
  Page<ListedCase> page = context.service.store().list_case_listings(query);

  nlohmann::json items = nlohmann::json::array();
  for (const ListedCase& listed : page.items) {
    items.push_back(listed_case_json(listed, context.service.registry()));
  }
  return JsonReply{200, page_json(std::move(items), page.total), {}};
}

RouteResult create_case(const RouteContext& context) {
  Actor actor = context.actor();
  Result<nlohmann::json> body = read_json_object(context.request, false);
  if (!body) return std::move(body).take_problem();
  std::vector<FieldError> errors = check_members(*body, kCreateCaseMembers);
  auto id = body->find("id");
  if (id != body->end() && id->is_string() && !is_valid_case_id(id->get<std::string>())) {
    errors.push_back(invalid_case_id_error(id->get<std::string>()));
  }
  if (!errors.empty()) return invalid_body_problem(std::move(errors));
  if (Status district = check_own_district(context, *body); !district) return district.problem();

  // Create the case.
  CreateCaseRequest request = create_request_from(*body, actor);
  Result<CommandOutcome> outcome = context.service.create_case(request, context.clock.now());
  if (!outcome) return std::move(outcome).take_problem();

  // Reply with the new case and the transitions the actor may fire.
  const StoredCase& stored = outcome->stored;
  CaseDetail detail = detail_after_command(context, stored, actor);
  return JsonReply{
      201, case_detail_body(context, detail), {{"Location", "/api/v1/cases/" + stored.id}, {"ETag", case_etag(stored)}}};
}

RouteResult get_case(const RouteContext& context) {
  const std::string& case_id = context.parameters.at(0);
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  if (Status visible = require_visible_case(context, case_id); !visible) return visible.problem();

  Result<CaseDetail> detail = context.service.case_detail(case_id, context.actor());
  if (!detail) return std::move(detail).take_problem();
  nlohmann::json body = case_detail_body(context, *detail);
  body["parties"] = parties_json(context.service.store().parties_of(case_id));
  return JsonReply{200, std::move(body), {{"ETag", case_etag(detail->stored)}}};
}

}  // namespace sitecycle::http
