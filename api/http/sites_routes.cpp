// GET /api/v1/sites.geojson: the parcels' outlines as a GeoJSON FeatureCollection (RFC 7946), each
// with its name, stage, light and area, for the dashboard's map.
#include "deadline_views.h"
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace sitecycle::http {

namespace {

// Parcels carry their outline in the field `outline` of the parcel workflow.
constexpr std::string_view kParcelWorkflow = "parcel";
constexpr std::string_view kOutlineField = "outline";

// The maximum number of parcels the map reads. It sets `truncated` when there are more.
constexpr std::int64_t kMaxSites = 2000;

Problem bad_request(std::string zh_cn, std::string en) {
  return make_problem(ErrorCode::bad_request, {std::move(zh_cn), std::move(en)});
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

// Whether `outline` is a MultiPolygon whose positions are longitudes and latitudes. The
// workflow's field format checks it when the data is written, so this guards older data.
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
  const bool finite = std::all_of(values.begin(), values.end(), [](double value) { return std::isfinite(value); });
  if (!finite || box.west < -180 || box.east > 180 || box.south < -90 || box.north > 90 || box.west > box.east ||
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
  query.limit = kMaxSites;
  Page<ListedCase> page = store.list_case_listings(query);
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
