// The field format "geojson_multipolygon": a GeoJSON MultiPolygon geometry (RFC 7946) in WGS 84
// longitude and latitude, as parcels record their outline.
#pragma once

#include "result.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

inline constexpr std::string_view kGeoJsonMultiPolygonFormat = "geojson_multipolygon";

// Checks that `value` is {"type": "MultiPolygon", "coordinates": [...]}: at least one polygon,
// each of at least one ring, each ring closed (its last position equals its first) with at least
// 4 positions, and each position [longitude, latitude] with longitude in [-180, 180] and latitude
// in [-90, 90]. Returns one error per problem, with `pointer` as the value's JSON pointer. A
// Polygon gets one error that explains how to write it as a MultiPolygon. Self-intersections and
// winding order are not checked.
std::vector<FieldError> check_multipolygon(const nlohmann::json& value, const std::string& pointer);

}  // namespace sitecycle
