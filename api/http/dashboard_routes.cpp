// Views for the supervisor's first screen that know the shape of the Shanghai workflows: changes
// to the risk control and remediation list (名录), land actions still waiting for a soil
// investigation, and the parcels' outlines as GeoJSON (RFC 7946). Each reads the workflow and state ids named below.
#include "deadline_views.h"
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include "adapters/clock.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

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
constexpr std::string_view kOutlineField = "outline";

// How many cases a view reads at most; a view that stops there says so with `truncated`.
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
    return bad_request(fmt::format("查询参数 month 的值 {} 无效：应为 YYYY-MM 格式的月份，例如 month=2026-04",
                                   quoted_excerpt(value)),
                       fmt::format("Query parameter month has invalid value {}: expected a month as YYYY-MM, for "
                                   "example month=2026-04",
                                   quoted_excerpt(value)));
  }
  return std::chrono::year{year} / std::chrono::month{month};
}

// Reads every page of the query, up to kMaxViewCases cases.
Page<ListedCase> read_all(CaseStore& store, CaseQuery query) {
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

DeadlineLight worse(DeadlineLight left, DeadlineLight right) {
  auto rank = [](DeadlineLight light) {
    switch (light) {
      case DeadlineLight::red: return 4;
      case DeadlineLight::yellow: return 3;
      case DeadlineLight::green: return 2;
      case DeadlineLight::grey: return 1;
      case DeadlineLight::none: break;
    }
    return 0;
  };
  return rank(left) >= rank(right) ? left : right;
}

// The worst light of the parcel and of the cases it links to (its investigations and what
// followed them), at the display's now.
DeadlineLight parcel_light(CaseStore& store, const ListedCase& parcel, const DeadlineDisplay& display) {
  DeadlineLight light = parcel.listing.light;
  for (const CaseLink& link : store.links_of(parcel.stored.id)) {
    for (const DeadlineRecord& record : store.deadlines_of(link.linked_case_id)) {
      if (std::optional<DeadlineView> view = view_at(record, display)) light = worse(light, view->light);
    }
  }
  return light;
}

// Whether `outline` is a MultiPolygon whose positions are longitudes and latitudes; the
// workflow's field schema checks its shape when the data is written.
bool is_drawable_outline(const nlohmann::json& outline) {
  if (!outline.is_object() || outline.value("type", "") != "MultiPolygon") return false;
  auto coordinates = outline.find("coordinates");
  if (coordinates == outline.end() || !coordinates->is_array() || coordinates->empty()) return false;
  for (const nlohmann::json& polygon : *coordinates) {
    if (!polygon.is_array() || polygon.empty()) return false;
    for (const nlohmann::json& ring : polygon) {
      if (!ring.is_array() || ring.size() < 4) return false;
      for (const nlohmann::json& position : ring) {
        if (!position.is_array() || position.size() != 2 || !position[0].is_number() || !position[1].is_number()) {
          return false;
        }
        const double longitude = position[0].get<double>();
        const double latitude = position[1].get<double>();
        if (longitude < -180 || longitude > 180 || latitude < -90 || latitude > 90) return false;
      }
    }
  }
  return true;
}

// A longitude and latitude box, as GeoJSON's bbox orders it: west, south, east, north.
struct BoundingBox {
  double west = 0;
  double south = 0;
  double east = 0;
  double north = 0;

  bool intersects(const BoundingBox& other) const {
    return west <= other.east && other.west <= east && south <= other.north && other.south <= north;
  }
};

Problem invalid_bbox_problem(std::string_view value) {
  return bad_request(
      fmt::format("查询参数 bbox 的值 {} 无效：应为“西,南,东,北”四个经纬度（WGS 84），西不大于东、南不大于北，"
                  "例如 bbox=121.4,31.1,121.6,31.3",
                  quoted_excerpt(value)),
      fmt::format("Query parameter bbox has invalid value {}: expected west,south,east,north in WGS 84 longitude and "
                  "latitude, west not above east and south not above north, for example bbox=121.4,31.1,121.6,31.3",
                  quoted_excerpt(value)));
}

// `bbox=west,south,east,north`, or nullopt when absent.
Result<std::optional<BoundingBox>> read_bbox(const HttpRequest& request) {
  Result<std::optional<std::string>> text = read_query_value(request, "bbox");
  if (!text) return std::move(text).take_problem();
  if (!*text) return std::optional<BoundingBox>{};
  std::array<double, 4> values{};
  std::string_view rest = **text;
  for (std::size_t index = 0; index < values.size(); ++index) {
    const std::size_t comma = rest.find(',');
    const std::string_view part = rest.substr(0, comma);
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), values[index]);
    const bool last = index + 1 == values.size();
    if (error != std::errc{} || end != part.data() + part.size() || part.empty() || last != (comma == std::string_view::npos)) {
      return invalid_bbox_problem(**text);
    }
    rest = last ? std::string_view{} : rest.substr(comma + 1);
  }
  BoundingBox box{values[0], values[1], values[2], values[3]};
  if (box.west < -180 || box.east > 180 || box.south < -90 || box.north > 90 || box.west > box.east ||
      box.south > box.north) {
    return invalid_bbox_problem(**text);
  }
  return std::optional<BoundingBox>{box};
}

// The box around every position of a drawable outline.
BoundingBox bounds_of(const nlohmann::json& outline) {
  BoundingBox box{180, 90, -180, -90};
  for (const nlohmann::json& polygon : outline.at("coordinates")) {
    for (const nlohmann::json& ring : polygon) {
      for (const nlohmann::json& position : ring) {
        const double longitude = position[0].get<double>();
        const double latitude = position[1].get<double>();
        box = {std::min(box.west, longitude), std::min(box.south, latitude), std::max(box.east, longitude),
               std::max(box.north, latitude)};
      }
    }
  }
  return box;
}

// 1 mu (亩) is 10,000 / 15 square metres.
constexpr double kSquareMetresPerMu = 10000.0 / 15.0;

nlohmann::json site_feature(const ListedCase& parcel, const nlohmann::json& outline, DeadlineLight light,
                            const WorkflowRegistry& registry) {
  const nlohmann::json& data = parcel.stored.data;
  nlohmann::json area_m2 = nullptr;
  nlohmann::json area_mu = nullptr;
  if (auto area = data.find("area_m2"); area != data.end() && area->is_number()) {
    area_m2 = *area;
    area_mu = std::round(area->get<double>() / kSquareMetresPerMu * 100) / 100;
  }
  return {{"type", "Feature"},
          {"id", parcel.stored.id},
          {"geometry", outline},
          {"properties",
           {{"site_id", parcel.stored.id},
            {"name", data.value("name", parcel.stored.id)},
            {"district", data.value("district", "")},
            {"state", parcel.stored.state},
            {"stage", state_title_json(parcel.stored, registry)},
            {"light", std::string(to_string(light))},
            {"area_m2", std::move(area_m2)},
            {"area_mu", std::move(area_mu)}}}};
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
                      {"added", listed_cases_json(read_all(store, added), registry)},
                      {"removed", listed_cases_json(read_all(store, removed), registry)}};
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
    Page<ListedCase> page = read_all(store, query);
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

RouteResult get_sites_geojson(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {"district", "bbox"}); !names) return names.problem();
  Result<std::optional<std::string>> district = read_district_query(context.request);
  if (!district) return std::move(district).take_problem();
  Result<std::optional<BoundingBox>> bbox = read_bbox(context.request);
  if (!bbox) return std::move(bbox).take_problem();

  CaseQuery query;
  query.scope = context.scope();
  query.workflow_id = std::string(kParcelWorkflow);
  query.district = *district;
  CaseStore& store = context.service.store();
  Page<ListedCase> page = read_all(store, query);
  const WorkflowRegistry& registry = context.service.registry();
  DeadlineDisplay display{registry, context.service.deadlines(), context.clock.now().instant};

  nlohmann::json features = nlohmann::json::array();
  std::int64_t without_outline = 0;
  for (const ListedCase& parcel : page.items) {
    auto outline = parcel.stored.data.find(std::string(kOutlineField));
    if (outline == parcel.stored.data.end() || !is_drawable_outline(*outline)) {
      ++without_outline;
      continue;
    }
    if (*bbox && !bounds_of(*outline).intersects(**bbox)) continue;
    features.push_back(site_feature(parcel, *outline, parcel_light(store, parcel, display), registry));
  }
  nlohmann::json body{{"type", "FeatureCollection"},
                      {"features", std::move(features)},
                      {"parcels", page.total},
                      {"parcels_without_outline", without_outline},
                      {"truncated", page.total > static_cast<std::int64_t>(page.items.size())}};
  return JsonReply{200, nullptr, {}, TextBody{"application/geo+json", body.dump()}};
}

}  // namespace sitecycle::http
