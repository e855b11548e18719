// Views for the supervisor's first screen that know the shape of the Shanghai workflows: changes
// to the risk control and remediation list (名录), and land actions still waiting for a soil
// investigation. Each reads the workflow, state and field ids named below.
#include "deadline_views.h"
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include "adapters/clock.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace sitecycle::http {

namespace {

// The list (名录): a listing case is created when a site is listed and ends in `removed`.
constexpr std::string_view kListingWorkflow = "listing";
constexpr std::string_view kRemovedState = "removed";
// A parcel's land actions open an investigation case linked under this role. The parcel's
// `land_status` field lists the settled states; any other state is a land action under way.
constexpr std::string_view kParcelWorkflow = "parcel";
constexpr std::string_view kInvestigationLink = "investigation";
constexpr std::string_view kLandStatusField = "land_status";
constexpr std::string_view kPassedState = "passed";
// An investigation is under way once a consultancy is engaged, which may happen before it leaves
// its first state.
constexpr std::string_view kConsultantField = "consultant";

// The maximum number of cases a view reads. A view that stops there sets `truncated`.
constexpr std::int64_t kMaxViewCases = 2000;

Problem bad_request(std::string zh_cn, std::string en) {
  return make_problem(ErrorCode::bad_request, {std::move(zh_cn), std::move(en)});
}

// `month=YYYY-MM`, by default the current month in Shanghai.
Result<std::chrono::year_month> read_month(const RouteContext& context) {
  Result<std::optional<std::string>> text = read_query_value(context.request, "month");
  if (!text) return std::move(text).take_problem();
  if (!*text) {
    const Date today = local_date(context.clock.now().instant);
    return today.year() / today.month();
  }
  const std::string& value = **text;
  int year = 0;
  unsigned month = 0;
  bool valid = value.size() == 7 && value[4] == '-';
  if (valid) {
    auto [year_end, year_error] = std::from_chars(value.data(), value.data() + 4, year);
    auto [month_end, month_error] = std::from_chars(value.data() + 5, value.data() + 7, month);
    valid = year_error == std::errc{} && year_end == value.data() + 4 && month_error == std::errc{} &&
            month_end == value.data() + 7 && month >= 1 && month <= 12 && year >= kMinSupportedYear &&
            year < kMaxSupportedYear;
  }
  if (!valid) {
    return bad_request(fmt::format("查询参数 month 的值 {} 无效：应为 {} 至 {} 年间 YYYY-MM 格式的月份，例如 month=2026-04",
                                   quoted_excerpt(value), kMinSupportedYear, kMaxSupportedYear - 1),
                       fmt::format("Query parameter month has invalid value {}: expected a month as YYYY-MM in the "
                                   "years {} to {}, for example month=2026-04",
                                   quoted_excerpt(value), kMinSupportedYear, kMaxSupportedYear - 1));
  }
  return std::chrono::year{year} / std::chrono::month{month};
}

// Reads the first kMaxViewCases cases of the query, with the total of all.
Page<ListedCase> read_view_cases(CaseStore& store, CaseQuery query) {
  query.limit = kMaxViewCases;
  query.offset = 0;
  return store.list_case_listings(query);
}

nlohmann::json listed_cases_json(const Page<ListedCase>& page, const WorkflowRegistry& registry) {
  nlohmann::json items = nlohmann::json::array();
  for (const ListedCase& listed : page.items) items.push_back(listed_case_json(listed, registry));
  return {{"items", std::move(items)},
          {"total", page.total},
          {"truncated", page.total > static_cast<std::int64_t>(page.items.size())}};
}

// The states of the parcel workflow that are not settled: land actions under way.
std::vector<WorkflowState> parcel_action_states(const Workflow& parcel) {
  std::vector<std::string> settled;
  if (auto land_status = parcel.fields.find(std::string(kLandStatusField)); land_status != parcel.fields.end()) {
    settled = land_status->second.values;
  }
  std::vector<WorkflowState> states;
  for (const State& state : parcel.states) {
    if (state.initial || state.final) continue;
    if (std::find(settled.begin(), settled.end(), state.id) != settled.end()) continue;
    states.push_back({parcel.id, state.id});
  }
  return states;
}

// The latest investigation linked to the parcel, or nullopt.
std::optional<StoredCase> latest_investigation(CaseStore& store, const std::string& parcel_id) {
  std::optional<std::string> linked;
  for (const CaseLink& link : store.links_of(parcel_id)) {
    if (link.role == kInvestigationLink) linked = link.linked_case_id;
  }
  if (!linked) return std::nullopt;
  return store.find_case(*linked);
}

// Why the parcel's land action has no investigation under way or done, or nullopt when it has one.
std::optional<std::string_view> missing_investigation_reason(const std::optional<StoredCase>& investigation,
                                                             const WorkflowRegistry& registry) {
  if (!investigation) return "none";
  if (investigation->closed && investigation->state != kPassedState) return "withdrawn";
  WorkflowPtr workflow = registry.find(investigation->workflow_id, investigation->workflow_version);
  const State* initial = workflow ? workflow->initial_state() : nullptr;
  const bool engaged = investigation->data.contains(std::string(kConsultantField));
  if (initial != nullptr && investigation->state == initial->id && !engaged) return "not_started";
  return std::nullopt;
}

}  // namespace

RouteResult list_list_changes(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {"month"}); !names) return names.problem();
  Result<std::chrono::year_month> month = read_month(context);
  if (!month) return std::move(month).take_problem();
  const Date first{month->year() / month->month() / 1};
  const Date next{(*month + std::chrono::months{1}).year() / (*month + std::chrono::months{1}).month() / 1};
  const InstantRange range{start_of_local_day(first), start_of_local_day(next)};

  CaseStore& store = context.service.store();
  const WorkflowRegistry& registry = context.service.registry();
  CaseQuery added;
  added.scope = context.scope();
  added.workflow_id = std::string(kListingWorkflow);
  added.created = range;
  CaseQuery removed = added;
  removed.created.reset();
  removed.state = std::string(kRemovedState);
  removed.state_entered = range;
  removed.order = CaseOrder::state_entered_at;

  nlohmann::json body{{"month", fmt::format("{:04}-{:02}", static_cast<int>(month->year()),
                                            static_cast<unsigned>(month->month()))},
                      {"from", format_instant(range.from)},
                      {"until", format_instant(range.until)},
                      {"added", listed_cases_json(read_view_cases(store, added), registry)},
                      {"removed", listed_cases_json(read_view_cases(store, removed), registry)}};
  return JsonReply{200, std::move(body), {}};
}

RouteResult list_land_actions_without_investigation(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {"district"}); !names) return names.problem();
  Result<std::optional<std::string>> district = read_district_query(context.request);
  if (!district) return std::move(district).take_problem();

  const WorkflowRegistry& registry = context.service.registry();
  WorkflowPtr parcel = registry.latest(kParcelWorkflow);
  nlohmann::json items = nlohmann::json::array();
  bool truncated = false;
  if (parcel) {
    CaseQuery query;
    query.scope = context.scope();
    query.workflow_id = parcel->id;
    query.district = *district;
    query.any_of_states = parcel_action_states(*parcel);
    query.order = CaseOrder::state_entered_at;
    CaseStore& store = context.service.store();
    Page<ListedCase> page = read_view_cases(store, query);
    truncated = page.total > static_cast<std::int64_t>(page.items.size());
    for (const ListedCase& listed : page.items) {
      std::optional<StoredCase> investigation = latest_investigation(store, listed.stored.id);
      std::optional<std::string_view> reason = missing_investigation_reason(investigation, registry);
      if (!reason) continue;
      nlohmann::json item = listed_case_json(listed, registry);
      item["reason"] = std::string(*reason);
      item["investigation_id"] = investigation ? nlohmann::json(investigation->id) : nlohmann::json(nullptr);
      items.push_back(std::move(item));
    }
  }
  const auto total = static_cast<std::int64_t>(items.size());
  return JsonReply{200, {{"items", std::move(items)}, {"total", total}, {"truncated", truncated}}, {}};
}

}  // namespace sitecycle::http
