#include "engine/geojson_geometry.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace sitecycle;
using nlohmann::json;

namespace {

json square() {
  return json::parse(R"([[121.75, 31.15], [121.76, 31.15], [121.76, 31.16], [121.75, 31.16], [121.75, 31.15]])");
}

json multipolygon(const json& ring) { return {{"type", "MultiPolygon"}, {"coordinates", json::array({json::array({ring})})}}; }

std::vector<std::string> pointers_of(const std::vector<FieldError>& errors) {
  std::vector<std::string> pointers;
  for (const FieldError& error : errors) pointers.push_back(error.pointer);
  return pointers;
}

}  // namespace

TEST_CASE("multipolygon accepts a closed square", "[geojson]") {
  CHECK(check_multipolygon(multipolygon(square()), "/outline").empty());
}

TEST_CASE("multipolygon rejects open and short rings", "[geojson]") {
  json open = square();
  open.erase(open.end() - 1);
  open.push_back({121.751, 31.151});
  std::vector<FieldError> errors = check_multipolygon(multipolygon(open), "/outline");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].pointer == "/outline/coordinates/0/0");
  CHECK(errors[0].message.en.find("not closed") != std::string::npos);

  json triangle = json::parse(R"([[121.75, 31.15], [121.76, 31.15], [121.75, 31.15]])");
  CHECK(pointers_of(check_multipolygon(multipolygon(triangle), "/outline")) ==
        std::vector<std::string>{"/outline/coordinates/0/0"});
}

TEST_CASE("multipolygon rejects positions out of range", "[geojson]") {
  json ring = square();
  ring[1] = {121.76, 95};
  ring[2] = {181, 31.16};
  ring[3] = "here";
  std::vector<FieldError> errors = check_multipolygon(multipolygon(ring), "/outline");
  CHECK(pointers_of(errors) == std::vector<std::string>{"/outline/coordinates/0/0/1", "/outline/coordinates/0/0/2",
                                                        "/outline/coordinates/0/0/3"});
  CHECK(errors[0].message.zh_cn.find("纬度 95") != std::string::npos);
}

TEST_CASE("multipolygon explains a Polygon in one error", "[geojson]") {
  json polygon{{"type", "Polygon"}, {"coordinates", json::array({square()})}};
  std::vector<FieldError> errors = check_multipolygon(polygon, "/outline");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].pointer == "/outline/type");
  CHECK(errors[0].message.en.find("one more []") != std::string::npos);
  CHECK(check_multipolygon(json{{"type", "Point"}}, "/outline").size() == 1);
  CHECK(check_multipolygon(json::array(), "/outline").size() == 1);
  CHECK(check_multipolygon(json{{"type", "MultiPolygon"}, {"coordinates", json::array()}}, "/outline").size() == 1);
}

TEST_CASE("multipolygon stops after ten errors", "[geojson]") {
  json ring = json::array();
  for (int index = 0; index < 10000; ++index) ring.push_back({200, 100});
  CHECK(check_multipolygon(multipolygon(ring), "/outline").size() == 10);
}
