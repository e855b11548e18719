#include "geojson_geometry.h"

#include <fmt/format.h>

namespace sitecycle {

namespace {

// Checking stops after this many errors, so an outline with many problems gets a short reply.
constexpr std::size_t kMaxReportedErrors = 10;

class GeometryChecker {
 public:
  explicit GeometryChecker(std::vector<FieldError>& errors) : errors_(errors) {}

  bool full() const { return errors_.size() >= kMaxReportedErrors; }

  void add(const std::string& pointer, std::string zh_cn, std::string en) {
    if (!full()) errors_.push_back({pointer, {std::move(zh_cn), std::move(en)}});
  }

  void check_position(const nlohmann::json& position, const std::string& pointer) {
    if (!position.is_array() || position.size() != 2 || !position[0].is_number() || !position[1].is_number()) {
      add(pointer, "坐标应为 [经度, 纬度] 两个数", "a position must be [longitude, latitude], two numbers");
      return;
    }
    const double longitude = position[0].get<double>();
    const double latitude = position[1].get<double>();
    if (longitude < -180 || longitude > 180) {
      add(pointer, fmt::format("经度 {} 超出范围，应在 -180 至 180 之间", longitude),
          fmt::format("longitude {} is out of range: expected -180 to 180", longitude));
    }
    if (latitude < -90 || latitude > 90) {
      add(pointer, fmt::format("纬度 {} 超出范围，应在 -90 至 90 之间；坐标顺序应为 [经度, 纬度]", latitude),
          fmt::format("latitude {} is out of range: expected -90 to 90; positions are [longitude, latitude]",
                      latitude));
    }
  }

  void check_ring(const nlohmann::json& ring, const std::string& pointer) {
    if (!ring.is_array() || ring.size() < 4) {
      add(pointer, "每个环应至少有 4 个坐标，且首尾坐标相同", "a ring needs at least 4 positions, the last equal to the first");
      return;
    }
    for (std::size_t index = 0; index < ring.size() && !full(); ++index) {
      check_position(ring[index], fmt::format("{}/{}", pointer, index));
    }
    if (ring.front() != ring.back()) {
      add(pointer, "环未闭合：最后一个坐标应与第一个相同", "the ring is not closed: its last position must equal its first");
    }
  }

  void check_polygon(const nlohmann::json& polygon, const std::string& pointer) {
    if (!polygon.is_array() || polygon.empty()) {
      add(pointer, "每个多边形应为至少包含一个环的列表", "a polygon must be a list of at least one ring");
      return;
    }
    for (std::size_t index = 0; index < polygon.size() && !full(); ++index) {
      check_ring(polygon[index], fmt::format("{}/{}", pointer, index));
    }
  }

 private:
  std::vector<FieldError>& errors_;
};

}  // namespace

std::vector<FieldError> check_multipolygon(const nlohmann::json& value, const std::string& pointer) {
  std::vector<FieldError> errors;
  GeometryChecker checker(errors);
  if (!value.is_object()) {
    checker.add(pointer, "应为 GeoJSON 几何对象", "expected a GeoJSON geometry object");
    return errors;
  }
  auto type = value.find("type");
  if (type == value.end() || *type != "MultiPolygon") {
    const bool polygon = type != value.end() && *type == "Polygon";
    checker.add(pointer + "/type",
                polygon ? "应为 MultiPolygon：单个多边形请写成只含一个成员的 MultiPolygon，即把 coordinates 再包一层 []"
                        : "type 应为 MultiPolygon",
                polygon ? "expected a MultiPolygon: write a single polygon as a MultiPolygon with one member, wrapping "
                          "its coordinates in one more []"
                        : "type must be MultiPolygon");
    return errors;
  }
  auto coordinates = value.find("coordinates");
  if (coordinates == value.end() || !coordinates->is_array() || coordinates->empty()) {
    checker.add(pointer + "/coordinates", "coordinates 应为至少包含一个多边形的列表",
                "coordinates must be a list of at least one polygon");
    return errors;
  }
  for (std::size_t index = 0; index < coordinates->size() && !checker.full(); ++index) {
    checker.check_polygon((*coordinates)[index], fmt::format("{}/coordinates/{}", pointer, index));
  }
  return errors;
}

}  // namespace sitecycle
