#include "agency.h"

#include "yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <span>
#include <stdexcept>
#include <utility>

namespace sitecycle {

namespace {

constexpr std::size_t kMaxNameLength = 64;

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// A calendar id names a folder under calendars/ (such as CN), so it contains no '/' or '.'.
bool is_calendar_id(std::string_view text) {
  if (text.empty() || text.size() > kMaxNameLength || !is_ascii_letter(text[0])) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return is_ascii_letter(c) || is_ascii_digit(c) || c == '_' || c == '-'; });
}

bool is_zone_part(std::string_view part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
    return is_ascii_letter(c) || is_ascii_digit(c) || c == '_' || c == '-' || c == '+';
  });
}

// The shape of an IANA zone name: Area/Location or Area/Location/Sublocation, the area starting
// with an uppercase letter (Asia/Shanghai, America/Argentina/Salta). Checking that the zone
// exists needs a tz database, which the engine does not read.
bool is_area_location_zone(std::string_view text) {
  if (text.empty() || text.size() > kMaxNameLength || text[0] < 'A' || text[0] > 'Z') return false;
  std::size_t parts = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = text.find('/', start);
    std::string_view part = text.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!is_zone_part(part)) return false;
    ++parts;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts >= 2;
}

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// "a, b or c" and "a、b 或 c".
LocalizedText choice_list(std::span<const std::string_view> choices) {
  LocalizedText list;
  for (std::size_t index = 0; index < choices.size(); ++index) {
    if (index > 0) {
      bool last = index + 1 == choices.size();
      list.zh_cn += last ? " 或 " : "、";
      list.en += last ? " or " : ", ";
    }
    list.zh_cn += choices[index];
    list.en += choices[index];
  }
  return list;
}

std::optional<std::string> read_choice(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                                       std::span<const std::string_view> choices, LocalizedText expected) {
  auto text = reader.read_string(node, key_path);
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  reader.report(node, key_path, describe_node(node), std::move(expected));
  return std::nullopt;
}

std::optional<std::string> read_choice(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                                       std::span<const std::string_view> choices) {
  return read_choice(reader, node, key_path, choices, choice_list(choices));
}

void read_district(YamlReader& reader, const YAML::Node& node, const std::string& agency_path, Agency& agency) {
  std::string district_path = join_path(agency_path, "district");
  YAML::Node district = node["district"];
  if (agency.level == "district") {
    if (!district.IsDefined()) {
      reader.report(node, district_path, "",
                    {"必填键 district：level 为 district 的机构须注明所在区",
                     "the required key district: an agency with level: district names its district"});
      return;
    }
    LocalizedText districts = choice_list(kShanghaiDistricts);
    agency.district = read_choice(reader, district, district_path, kShanghaiDistricts,
                                  {"上海市的区标识之一：" + districts.zh_cn, "the id of a Shanghai district: " + districts.en});
  } else if (agency.level == "city" && district.IsDefined()) {
    reader.report(district, district_path, describe_node(district),
                  {"无此键：district 只适用于 level: district 的机构，市级机构请删除此键",
                   "no such key: district applies only to agencies with level: district, so remove it from a city agency"});
  }
}

void read_calendar(YamlReader& reader, const YAML::Node& node, const std::string& agency_path, Agency& agency) {
  std::string calendar_path = join_path(agency_path, "calendar");
  YAML::Node calendar = reader.require(node, "calendar", agency_path);
  agency.calendar_position = position_of(calendar);
  auto text = reader.read_string(calendar, calendar_path);
  if (!text) return;
  if (!is_calendar_id(*text)) {
    reader.report(calendar, calendar_path, describe_node(calendar),
                  {"日历标识，即 calendars/ 下的目录名，例如 CN（字母开头，仅含字母、数字、下划线或连字符，最多 64 个字符）",
                   "a calendar id, the name of a folder under calendars/ such as CN (a letter, then letters, digits, "
                   "underscores or hyphens; at most 64 characters)"});
    return;
  }
  agency.calendar = *text;
}

void read_time_zone(YamlReader& reader, const YAML::Node& node, const std::string& agency_path, Agency& agency) {
  std::string zone_path = join_path(agency_path, "time_zone");
  YAML::Node zone = reader.require(node, "time_zone", agency_path);
  agency.time_zone_position = position_of(zone);
  auto text = reader.read_string(zone, zone_path);
  if (!text) return;
  if (!is_area_location_zone(*text)) {
    reader.report(zone, zone_path, describe_node(zone),
                  {"“区域/地点”形式的 IANA 时区名，例如 Asia/Shanghai",
                   "an IANA time zone name of the form Area/Location, such as Asia/Shanghai"});
    return;
  }
  agency.time_zone = *text;
}

void read_override_value(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                         ParameterOverride& result) {
  std::string value_path = join_path(key_path, "value");
  YAML::Node value = reader.require(node, "value", key_path);
  if (value.IsScalar() && (value.Scalar() == "true" || value.Scalar() == "false") && value.Tag() == "?") {
    result.value = value.Scalar() == "true";  // a boolean workflow setting
    return;
  }
  auto number = reader.read_integer(value, value_path);
  if (!number) return;
  if (*number < 0) {
    reader.report(value, value_path, describe_node(value), {"不小于 0 的整数，或 true/false", "an integer of 0 or more, or true or false"});
    return;
  }
  result.value = *number;
}

void read_override_source(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                          ParameterOverride& result) {
  std::string source_path = join_path(key_path, "source");
  YAML::Node source = reader.require(node, "source", key_path);
  auto text = reader.read_string(source, source_path);
  if (!text) return;
  if (is_blank(*text)) {
    reader.report(source, source_path, describe_node(source),
                  {"非空的来源：公布该取值的文件（名称和文号）或网址",
                   "a non-empty source: the document (title and number) or address that publishes the value"});
    return;
  }
  result.source = *text;
}

std::optional<ParameterOverride> read_override(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"value", "source", "source_status"});
  std::size_t problems_before = reader.problem_count();

  ParameterOverride result;
  read_override_value(reader, node, key_path, result);
  read_override_source(reader, node, key_path, result);
  result.source_status = read_choice(reader, reader.require(node, "source_status", key_path),
                                     join_path(key_path, "source_status"), kSourceStatuses)
                             .value_or("");

  if (reader.problem_count() != problems_before) return std::nullopt;
  return result;
}

void read_parameters(YamlReader& reader, const YAML::Node& node, const std::string& key_path, Agency& agency) {
  if (!reader.expect_map(node, key_path)) return;
  for (const auto& pair : node) {
    std::string name_path = join_path(key_path, pair.first.Scalar());
    auto name = reader.read_id(pair.first, name_path);
    auto parameter = read_override(reader, pair.second, name_path);
    if (!name || !parameter) continue;
    parameter->position = position_of(pair.first);
    agency.parameters.emplace(*name, std::move(*parameter));
  }
}

std::optional<Agency> read_agency(YamlReader& reader, const YAML::Node& key, const YAML::Node& node,
                                  const std::string& agency_path) {
  std::size_t problems_before = reader.problem_count();
  auto id = reader.read_id(key, agency_path);
  if (!reader.expect_map(node, agency_path)) return std::nullopt;
  reader.check_keys(node, agency_path, {"title", "kind", "level", "district", "calendar", "time_zone", "parameters"});

  Agency agency;
  agency.id = id.value_or("");
  agency.position = position_of(key);
  if (auto title = reader.read_title(reader.require(node, "title", agency_path), join_path(agency_path, "title"))) {
    agency.title = *title;
  }
  agency.kind = read_choice(reader, reader.require(node, "kind", agency_path), join_path(agency_path, "kind"), kAgencyKinds)
                    .value_or("");
  agency.level = read_choice(reader, reader.require(node, "level", agency_path), join_path(agency_path, "level"),
                             kAgencyLevels)
                     .value_or("");
  read_district(reader, node, agency_path, agency);
  read_calendar(reader, node, agency_path, agency);
  read_time_zone(reader, node, agency_path, agency);
  if (YAML::Node parameters = node["parameters"]; parameters.IsDefined()) {
    read_parameters(reader, parameters, join_path(agency_path, "parameters"), agency);
  }

  if (reader.problem_count() != problems_before) return std::nullopt;
  return agency;
}

// Reports each agency whose kind already has an agency in the same district, or at city level.
void check_one_agency_per_jurisdiction(YamlReader& reader, const std::vector<Agency>& agencies) {
  std::map<std::pair<std::string, std::string>, const Agency*> first_by_jurisdiction;
  for (const Agency& agency : agencies) {
    auto [entry, inserted] = first_by_jurisdiction.try_emplace({agency.kind, agency.district.value_or("")}, &agency);
    if (inserted) continue;
    const Agency& first = *entry->second;
    const std::string& kind = agency.kind;
    LocalizedText found;
    LocalizedText expected;
    if (agency.district) {
      const std::string& district = *agency.district;
      found = {fmt::format("{} 区的第二个 {} 机构", district, kind), fmt::format("a second {} agency for district {}", kind, district)};
      expected = {fmt::format("每个区每类机构只有一个：{}（第 {} 行）已是 {} 区的 {} 机构", first.id, first.position.line, district, kind),
                  fmt::format("one {} agency per district: {} (line {}) is already the {} agency of {}", kind, first.id,
                              first.position.line, kind, district)};
    } else {
      found = {fmt::format("第二个市级 {} 机构", kind), fmt::format("a second city-level {} agency", kind)};
      expected = {fmt::format("每类市级机构只有一个：{}（第 {} 行）已是市级 {} 机构", first.id, first.position.line, kind),
                  fmt::format("one city-level agency per kind: {} (line {}) is already the city {} agency", first.id,
                              first.position.line, kind)};
    }
    reader.report_at(agency.position, join_path("agencies", agency.id), std::move(found), std::move(expected));
  }
}

// Reads every agency under `agencies`, in file order. `declared_ids` receives every id written,
// including those of agencies with errors, so default_agency is not reported again for them.
std::vector<Agency> read_agencies(YamlReader& reader, const YAML::Node& node, std::set<std::string>& declared_ids) {
  std::vector<Agency> agencies;
  if (!reader.expect_map(node, "agencies")) return agencies;
  if (node.size() == 0) {
    reader.report(node, "agencies", LocalizedText{"空映射", "an empty mapping"}, {"至少一个机构", "at least one agency"});
    return agencies;
  }
  for (const auto& pair : node) {
    const std::string& id = pair.first.Scalar();
    // expect_map has reported a repeated id, and reading the agency again would add follow-on
    // errors.
    if (pair.first.IsScalar() && !declared_ids.insert(id).second) continue;
    if (auto agency = read_agency(reader, pair.first, pair.second, join_path("agencies", id))) {
      agencies.push_back(std::move(*agency));
    }
  }
  return agencies;
}

}  // namespace

AgencyCatalog::AgencyCatalog(std::vector<Agency> agencies, std::string_view default_agency_id)
    : agencies_(std::move(agencies)) {
  for (std::size_t index = 0; index < agencies_.size(); ++index) {
    if (!index_by_id_.emplace(agencies_[index].id, index).second) {
      throw std::invalid_argument("agency catalog: duplicate agency id " + agencies_[index].id);
    }
  }
  auto found = index_by_id_.find(default_agency_id);
  if (found == index_by_id_.end()) {
    throw std::invalid_argument("agency catalog: default agency " + std::string(default_agency_id) + " is not in the catalog");
  }
  default_index_ = found->second;
}

const Agency* AgencyCatalog::find(std::string_view id) const {
  auto found = index_by_id_.find(id);
  return found == index_by_id_.end() ? nullptr : &agencies_[found->second];
}

const Agency* AgencyCatalog::find_for(std::string_view kind, std::optional<std::string_view> district) const {
  const Agency* city_agency = nullptr;
  for (const Agency& agency : agencies_) {
    if (agency.kind != kind) continue;
    if (district && agency.district && *agency.district == *district) return &agency;
    if (!agency.district && city_agency == nullptr) city_agency = &agency;
  }
  return city_agency;
}

const Agency& AgencyCatalog::select(const AgencySelector& selector, const nlohmann::json& case_data) const {
  const Agency* agency = nullptr;
  if (selector.agency_id) {
    agency = find(*selector.agency_id);
  } else if (selector.kind) {
    std::optional<std::string_view> district;
    if (selector.district_field && case_data.is_object()) {
      auto value = case_data.find(*selector.district_field);
      if (value != case_data.end() && value->is_string()) district = value->get_ref<const std::string&>();
    }
    agency = find_for(*selector.kind, district);
  }
  return agency != nullptr ? *agency : default_agency();
}

const ParameterOverride* AgencyCatalog::parameter(std::string_view agency_id, std::string_view name) const {
  const Agency* agency = find(agency_id);
  if (agency == nullptr) return nullptr;
  auto found = agency->parameters.find(name);
  return found == agency->parameters.end() ? nullptr : &found->second;
}

std::optional<AgencyCatalog> parse_agencies(std::string_view yaml_text, const std::string& file_name,
                                            Diagnostics& diagnostics) {
  std::size_t problems_before = diagnostics.size();
  auto root = load_yaml_mapping(yaml_text, file_name, diagnostics, {"default_agency", "agencies"});
  if (!root) return std::nullopt;
  YamlReader reader(file_name, diagnostics);

  std::set<std::string> declared_ids;
  YAML::Node agency_map = reader.require(*root, "agencies", "");
  std::vector<Agency> agencies = read_agencies(reader, agency_map, declared_ids);
  check_one_agency_per_jurisdiction(reader, agencies);

  YAML::Node default_node = reader.require(*root, "default_agency", "");
  auto default_id = reader.read_id(default_node, "default_agency");
  if (default_id && agency_map.IsMap() && declared_ids.count(*default_id) == 0) {
    reader.report(default_node, "default_agency", describe_node(default_node),
                  {"agencies 下某个机构的标识", "the id of an agency listed under agencies"});
  }

  if (diagnostics.size() != problems_before) return std::nullopt;
  return AgencyCatalog(std::move(agencies), *default_id);
}

}  // namespace sitecycle
