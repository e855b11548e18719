// Routes for what the law requires to be published, readable without a token: the list of
// construction land that needs risk control or remediation (建设用地土壤污染风险管控和修复名录,
// 土壤污染防治法第五十八条), with the fields of its public notice.
#include "engine/organisation.h"
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>

#include <array>

namespace sitecycle::http {

namespace {

constexpr std::string_view kListingWorkflow = "listing";

// The members of a list entry that its public notice carries.
constexpr std::array<std::string_view, 6> kPublicFields{
    "parcel_name", "district", "target_class", "risk_control_targets", "listing_notice_date", "listing_notice_url",
};

nlohmann::json public_entry(const StoredCase& stored, const WorkflowRegistry& registry) {
  nlohmann::json entry{{"id", stored.id}, {"state", stored.state}, {"listed_at", format_instant(stored.created_at)}};
  WorkflowPtr workflow = registry.find(stored.workflow_id, stored.workflow_version);
  const State* state = workflow ? workflow->find_state(stored.state) : nullptr;
  entry["state_title"] = state ? to_json(state->title) : nlohmann::json();
  for (std::string_view field : kPublicFields) {
    auto value = stored.data.find(field);
    entry[std::string(field)] = value == stored.data.end() ? nlohmann::json() : *value;
  }
  // A published link must be a web address, never a script a browser would run.
  const nlohmann::json& url = entry["listing_notice_url"];
  if (url.is_string() && !url.get<std::string>().starts_with("https://") && !url.get<std::string>().starts_with("http://")) {
    entry["listing_notice_url"] = nullptr;
  }
  return entry;
}

}  // namespace

RouteResult list_public_listed_sites(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {"district", "limit", "offset"}); !names) return names.problem();
  Result<Paging> paging = read_paging(context.request);
  if (!paging) return std::move(paging).take_problem();
  Result<std::optional<std::string>> district = read_district_query(context.request);
  if (!district) return std::move(district).take_problem();

  CaseQuery query;
  query.workflow_id = std::string(kListingWorkflow);
  query.closed = false;
  if (*district) query.scope.district = **district;
  query.limit = paging->limit;
  query.offset = paging->offset;
  Page<StoredCase> page = context.service.store().list_cases(query);

  nlohmann::json items = nlohmann::json::array();
  for (const StoredCase& stored : page.items) items.push_back(public_entry(stored, context.service.registry()));
  return JsonReply{200, page_json(std::move(items), page.total), {}};
}

}  // namespace sitecycle::http
