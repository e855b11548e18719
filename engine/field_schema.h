// Typed field schema for case data and transition input.
#pragma once

#include "localized_text.h"
#include "position.h"
#include "result.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace sitecycle {

enum class FieldType { string, integer, number, boolean, date, enumeration, list, object };

std::string_view to_string(FieldType type);
std::optional<FieldType> parse_field_type(std::string_view text);  // "enum" for enumeration

// One field. `minimum` and `maximum` bound the value of numbers, the length in characters of
// strings, the number of items of lists, and (as ISO dates) the value of dates.
struct FieldSpec {
  std::string id;
  FieldType type = FieldType::string;
  LocalizedText title;
  bool required = false;  // required when the case is created
  // Written only by the workflow's effects: rejected in creation data and never transition input.
  bool read_only = false;
  std::optional<double> minimum;
  std::optional<double> maximum;
  std::optional<std::string> minimum_date;
  std::optional<std::string> maximum_date;
  std::optional<std::string> pattern;            // ECMAScript regex, whole-value match
  std::shared_ptr<const std::regex> compiled_pattern;
  // A format checked beyond a pattern: "unified_social_credit_code" for strings (GB 32100-2015,
  // including its check character), "geojson_multipolygon" for objects (geojson_geometry.h).
  std::optional<std::string> format;
  std::vector<std::string> values;               // enumeration
  std::map<std::string, LocalizedText> value_titles;  // enumeration value -> title
  std::shared_ptr<const FieldSpec> items;        // list
  std::map<std::string, FieldSpec> fields;       // object
  Position position;
};

using FieldSchema = std::map<std::string, FieldSpec>;

// Strings longer than this are not matched against a pattern (they are rejected), because
// std::regex recurses per character and could exhaust the stack on huge input.
inline constexpr std::size_t kMaxPatternCheckedLength = 4096;

// Checks one value against its spec and appends a FieldError per problem, with `pointer`
// as the JSON pointer prefix (for example "/data/area_m2").
void check_value(const FieldSpec& spec, const nlohmann::json& value, const std::string& pointer,
                 std::vector<FieldError>& errors);

// Checks an object against a schema: unknown keys, wrong types and out-of-range values. With
// `require_required`, fields marked required must be present.
std::vector<FieldError> check_object(const FieldSchema& schema, const nlohmann::json& object,
                                     const std::string& pointer, bool require_required);

}  // namespace sitecycle
