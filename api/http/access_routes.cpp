// Routes about who the caller is, the registered organisations and roles, and which
// organisations may see a case.
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>

#include <array>

namespace sitecycle::http {

namespace {

constexpr std::array<MemberRule, 1> kGrantMembers{{
    {"org_id", JsonKind::string, true},
}};

nlohmann::json scope_json(const CaseScope& scope) {
  nlohmann::json body{{"all_cases", scope.unrestricted()}};
  if (scope.district) body["district"] = *scope.district;
  body["party_cases"] = scope.party_org.has_value();
  return body;
}

Problem party_only_problem() {
  return make_problem(ErrorCode::forbidden,
                      {"企业和第三方单位不能为案件授权其他单位；请由主管部门授权",
                       "Firms, evaluators and enterprises cannot grant other organisations access to a case; "
                       "ask the supervising bureau"});
}

FieldError unknown_organisation_error(std::string_view org_id) {
  return {"/org_id",
          {fmt::format("单位 {} 不存在；请先用 sitecycle orgs add 登记该单位", quoted_excerpt(org_id)),
           fmt::format("Organisation {} does not exist; register it first with sitecycle orgs add",
                       quoted_excerpt(org_id))}};
}

}  // namespace

RouteResult get_me(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  const Principal& caller = *context.principal;
  const Organisation& organisation = caller.organisation;
  const RoleCatalog& roles = context.service.registry().roles();
  auto role = roles.roles.find(caller.user.role);
  nlohmann::json body{
      {"user", {{"id", caller.user.id}, {"name", caller.user.name}, {"role", caller.user.role}}},
      {"organisation",
       {{"id", organisation.id},
        {"type", organisation_type_name(organisation.type)},
        {"district", organisation.district.empty() ? nlohmann::json() : nlohmann::json(organisation.district)},
        {"name", organisation.name.in(context.language)},
        {"credit_code", organisation.credit_code}}},
      {"scope", scope_json(caller.scope)},
  };
  if (role != roles.roles.end()) body["user"]["role_title"] = role->second.in(context.language);
  return JsonReply{200, std::move(body), {}};
}

RouteResult get_directory(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  nlohmann::json organisations = nlohmann::json::array();
  for (const Organisation& organisation : context.identities.organisations()) {
    organisations.push_back({{"id", organisation.id},
                             {"type", organisation_type_name(organisation.type)},
                             {"district", organisation.district.empty() ? nlohmann::json()
                                                                        : nlohmann::json(organisation.district)},
                             {"name", to_json(organisation.name)}});
  }
  nlohmann::json roles = nlohmann::json::array();
  for (const auto& [id, title] : context.service.registry().roles().roles) {
    roles.push_back({{"id", id}, {"title", to_json(title)}});
  }
  // The agencies whose clocks the deadlines run on; none without deadline calendars.
  nlohmann::json agencies = nlohmann::json::array();
  const DeadlineTracker* tracker = context.service.deadlines();
  if (const AgencyCatalog* catalog = tracker != nullptr ? tracker->agencies() : nullptr) {
    for (const Agency& agency : catalog->agencies()) agencies.push_back({{"id", agency.id}, {"title", to_json(agency.title)}});
  }
  return JsonReply{
      200,
      {{"organisations", std::move(organisations)}, {"roles", std::move(roles)}, {"agencies", std::move(agencies)}},
      {}};
}

RouteResult grant_case_party(const RouteContext& context) {
  const std::string& case_id = context.parameters.at(0);
  if (Status visible = require_visible_case(context, case_id); !visible) return visible.problem();
  if (sees_only_own_cases(context.principal->organisation.type)) return party_only_problem();
  Result<nlohmann::json> body = read_json_object(context.request, false);
  if (!body) return std::move(body).take_problem();
  std::vector<FieldError> errors = check_members(*body, kGrantMembers);
  if (!errors.empty()) return invalid_body_problem(std::move(errors));

  std::string org_id = body->at("org_id").get<std::string>();
  if (!context.identities.find_organisation(org_id)) {
    return invalid_body_problem({unknown_organisation_error(org_id)});
  }
  CaseStore& store = context.service.store();
  bool granted = store.add_case_party({case_id, org_id, context.principal->user.id, context.clock.now().instant});
  nlohmann::json reply{{"case_id", case_id}, {"parties", parties_json(store.parties_of(case_id))}};
  return JsonReply{granted ? 201 : 200, std::move(reply), {}};
}

}  // namespace sitecycle::http
