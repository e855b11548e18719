#include "engine/agency.h"

#include "engine_fixtures.h"

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

using namespace sitecycle;
using sitecycle::testing::read_fixture;
using sitecycle::testing::render;

namespace {

// tests/data/agencies/overrides.yaml: city_eeb (line 5), city_pnrb (line 12), pudong_eeb
// (line 18, with two overrides) and qingpu_land_reserve (line 31). Each broken variant below
// changes a few lines of it.
const std::string& good_text() {
  static const std::string text = read_fixture("agencies/overrides.yaml");
  return text;
}

AgencyCatalog parse_good_catalog() {
  Diagnostics diagnostics;
  auto catalog = parse_agencies(good_text(), "agencies.yaml", diagnostics);
  INFO(render(diagnostics));
  REQUIRE(diagnostics.empty());
  REQUIRE(catalog);
  return std::move(*catalog);
}

using Replacements = std::vector<std::pair<std::string, std::string>>;

// The good text with each `from` (its first occurrence) replaced by `to`.
std::string broken_text(const Replacements& replacements) {
  std::string text = good_text();
  for (const auto& [from, to] : replacements) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  }
  return text;
}

// The English diagnostics of a text that must not parse.
std::string problems_of(const std::string& text) {
  Diagnostics diagnostics;
  auto catalog = parse_agencies(text, "agencies.yaml", diagnostics);
  CHECK_FALSE(catalog.has_value());
  CHECK_FALSE(diagnostics.empty());
  return render(diagnostics);
}

std::string read_shipped_file(const std::string& relative_path) {
  std::ifstream file(std::filesystem::path(SITECYCLE_SOURCE_DIR) / relative_path);
  REQUIRE(file);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

struct BrokenCase {
  std::string name;
  Replacements replacements;
  std::string expected;  // a part of one rendered diagnostic, starting at file:line:column
};

}  // namespace

TEST_CASE("agency parser reads the overrides fixture", "[agency]") {
  AgencyCatalog catalog = parse_good_catalog();

  REQUIRE(catalog.agencies().size() == 4);
  CHECK(catalog.agencies()[0].id == "city_eeb");
  CHECK(catalog.agencies()[3].id == "qingpu_land_reserve");
  CHECK(catalog.default_agency().id == "city_eeb");

  const Agency* pudong = catalog.find("pudong_eeb");
  REQUIRE(pudong);
  CHECK(pudong->title == LocalizedText{"上海市浦东新区生态环境局", "Pudong New Area Ecology and Environment Bureau"});
  CHECK(pudong->kind == "eeb");
  CHECK(pudong->level == "district");
  CHECK(pudong->district == std::optional<std::string>("pudong"));
  CHECK(pudong->calendar == "CN");
  CHECK(pudong->time_zone == "Asia/Shanghai");
  CHECK(pudong->position.line == 18);
  CHECK(pudong->position.column == 3);
  CHECK(pudong->calendar_position.line == 23);
  CHECK(pudong->time_zone_position.line == 24);
  CHECK(pudong->parameters.size() == 2);

  const Agency* city = catalog.find("city_eeb");
  REQUIRE(city);
  CHECK_FALSE(city->district.has_value());
  CHECK(city->parameters.empty());
  CHECK(catalog.find("xuhui_eeb") == nullptr);
}

TEST_CASE("agency parameter lookup returns overrides", "[agency]") {
  AgencyCatalog catalog = parse_good_catalog();

  const ParameterOverride* review = catalog.parameter("pudong_eeb", "review_sla_wd");
  REQUIRE(review);
  CHECK(review->value == nlohmann::json(15));
  CHECK(review->source == "测试数据（非公布的规定）");
  CHECK(review->source_status == "setting");
  CHECK(review->position.line == 26);
  CHECK(review->position.column == 7);

  const ParameterOverride* filing = catalog.parameter("pudong_eeb", "filing_sla_wd");
  REQUIRE(filing);
  CHECK(filing->value == nlohmann::json(0));
  CHECK(filing->source == "Test data, not a published rule");
  CHECK(filing->source_status == "analogue");

  CHECK(catalog.parameter("city_eeb", "review_sla_wd") == nullptr);
  CHECK(catalog.parameter("pudong_eeb", "unknown_parameter") == nullptr);
  CHECK(catalog.parameter("unknown_agency", "review_sla_wd") == nullptr);
}

TEST_CASE("agency find_for falls back to city level", "[agency]") {
  AgencyCatalog catalog = parse_good_catalog();

  SECTION("the district agency when the district has one") {
    const Agency* agency = catalog.find_for("eeb", "pudong");
    REQUIRE(agency);
    CHECK(agency->id == "pudong_eeb");
    const Agency* reserve = catalog.find_for("land_reserve", "qingpu");
    REQUIRE(reserve);
    CHECK(reserve->id == "qingpu_land_reserve");
  }
  SECTION("the city agency when the district has none") {
    const Agency* agency = catalog.find_for("eeb", "xuhui");
    REQUIRE(agency);
    CHECK(agency->id == "city_eeb");
    const Agency* planning = catalog.find_for("pnrb", "pudong");
    REQUIRE(planning);
    CHECK(planning->id == "city_pnrb");
  }
  SECTION("the city agency when no district is given") {
    const Agency* agency = catalog.find_for("eeb", std::nullopt);
    REQUIRE(agency);
    CHECK(agency->id == "city_eeb");
  }
  SECTION("nothing when neither level has the kind") {
    CHECK(catalog.find_for("land_reserve", "pudong") == nullptr);
    CHECK(catalog.find_for("land_reserve", std::nullopt) == nullptr);
    CHECK(catalog.find_for("court", "pudong") == nullptr);
  }
}

TEST_CASE("agency parser reports each broken fixture", "[agency]") {
  const std::vector<BrokenCase> cases{
      {"unknown top-level key", {{"agencies:\n", "owner: nobody\nagencies:\n"}},
       "agencies.yaml:4:1: owner: found unknown key \"owner\", expected one of the keys: default_agency, agencies"},
      {"missing agencies", {{"agencies:\n", "agency_list:\n"}},
       "agencies.yaml:3:1: agencies: expected the required key agencies"},
      {"missing default_agency", {{"default_agency: city_eeb\n", ""}},
       "agencies.yaml:3:1: default_agency: expected the required key default_agency"},
      {"default_agency not listed", {{"default_agency: city_eeb", "default_agency: city_eebb"}},
       "agencies.yaml:3:17: default_agency: found \"city_eebb\", expected the id of an agency listed under agencies"},
      {"default_agency not snake_case", {{"default_agency: city_eeb", "default_agency: City-EEB"}},
       "agencies.yaml:3:17: default_agency: found \"City-EEB\", expected a snake_case id"},
      {"agency id not snake_case", {{"  city_pnrb:", "  City-PNRB:"}},
       "agencies.yaml:12:3: agencies.City-PNRB: found \"City-PNRB\", expected a snake_case id"},
      {"agency id twice", {{"  qingpu_land_reserve:", "  pudong_eeb:"}},
       "agencies.yaml:31:3: agencies.pudong_eeb: found \"pudong_eeb\" twice, expected each key only once"},
      {"agency not a mapping", {{"  city_pnrb:\n", "  city_pnrb: planning\n  city_pnrb_old:\n"}},
       "agencies.yaml:12:14: agencies.city_pnrb: found \"planning\", expected a mapping (key: value)"},
      {"no agencies", {{"agencies:\n", "agencies: {}\nunused:\n"}},
       "agencies.yaml:4:11: agencies: found an empty mapping, expected at least one agency"},
      {"unknown agency key", {{"    kind: pnrb\n", "    kind: pnrb\n    phone: 12345\n"}},
       "agencies.yaml:15:5: agencies.city_pnrb.phone: found unknown key \"phone\", expected one of the keys: title, kind, "
       "level, district, calendar, time_zone, parameters"},
      {"missing kind", {{"    kind: pnrb\n", ""}},
       "agencies.yaml:13:5: agencies.city_pnrb.kind: expected the required key kind"},
      {"missing title", {{"    title: {zh-CN: 上海市规划和自然资源局, en: Shanghai Municipal Bureau of Planning and Natural "
                          "Resources}\n",
                          ""}},
       "agencies.yaml:13:5: agencies.city_pnrb.title: expected the required key title"},
      {"title in one language", {{", en: Shanghai Municipal Bureau of Planning and Natural Resources}", "}"}},
       "agencies.yaml:13:12: agencies.city_pnrb.title.en: expected a non-empty en title"},
      {"kind not in its enum", {{"kind: pnrb", "kind: planning"}},
       "agencies.yaml:14:11: agencies.city_pnrb.kind: found \"planning\", expected eeb, pnrb or land_reserve"},
      {"level not in its enum", {{"level: city", "level: municipal"}},
       "agencies.yaml:8:12: agencies.city_eeb.level: found \"municipal\", expected city or district"},
      {"district missing at district level", {{"    district: pudong\n", ""}},
       "agencies.yaml:19:5: agencies.pudong_eeb.district: expected the required key district: an agency with level: "
       "district names its district"},
      {"district at city level", {{"    level: city\n", "    level: city\n    district: huangpu\n"}},
       "agencies.yaml:9:15: agencies.city_eeb.district: found \"huangpu\", expected no such key: district applies only "
       "to agencies with level: district"},
      {"district not a Shanghai district", {{"district: pudong", "district: nanhui"}},
       "agencies.yaml:22:15: agencies.pudong_eeb.district: found \"nanhui\", expected the id of a Shanghai district: "
       "huangpu, xuhui, changning"},
      {"second agency of a kind in a district",
       {{"kind: land_reserve", "kind: eeb"}, {"district: qingpu", "district: pudong"}},
       "agencies.yaml:31:3: agencies.qingpu_land_reserve: found a second eeb agency for district pudong, expected one "
       "eeb agency per district: pudong_eeb (line 18) is already the eeb agency of pudong"},
      {"second agency of a kind at city level", {{"kind: pnrb", "kind: eeb"}},
       "agencies.yaml:12:3: agencies.city_pnrb: found a second city-level eeb agency, expected one city-level agency "
       "per kind: city_eeb (line 5) is already the city eeb agency"},
      {"calendar not an id", {{"calendar: CN", "calendar: ../CN"}},
       "agencies.yaml:9:15: agencies.city_eeb.calendar: found \"../CN\", expected a calendar id"},
      {"missing calendar", {{"    calendar: CN\n", ""}},
       "agencies.yaml:6:5: agencies.city_eeb.calendar: expected the required key calendar"},
      {"time zone without a location", {{"time_zone: Asia/Shanghai", "time_zone: UTC+8"}},
       "agencies.yaml:10:16: agencies.city_eeb.time_zone: found \"UTC+8\", expected an IANA time zone name of the form "
       "Area/Location"},
      {"time zone with a path", {{"time_zone: Asia/Shanghai", "time_zone: Asia/../Shanghai"}},
       "agencies.yaml:10:16: agencies.city_eeb.time_zone: found \"Asia/../Shanghai\", expected an IANA time zone name"},
      {"missing time zone", {{"    time_zone: Asia/Shanghai\n", ""}},
       "agencies.yaml:6:5: agencies.city_eeb.time_zone: expected the required key time_zone"},
      {"parameters not a mapping", {{"parameters: {}", "parameters: [review_sla_wd]"}},
       "agencies.yaml:11:17: agencies.city_eeb.parameters: found a list, expected a mapping (key: value)"},
      {"parameter name not snake_case", {{"review_sla_wd:", "Review-SLA:"}},
       "agencies.yaml:26:7: agencies.pudong_eeb.parameters.Review-SLA: found \"Review-SLA\", expected a snake_case id"},
      {"override value not an integer", {{"value: 0", "value: 1.5"}},
       "agencies.yaml:28:16: agencies.pudong_eeb.parameters.filing_sla_wd.value: found \"1.5\", expected an integer"},
      {"override value quoted", {{"value: 0", "value: \"5\""}},
       "agencies.yaml:28:16: agencies.pudong_eeb.parameters.filing_sla_wd.value: found \"5\", expected an integer"},
      {"override value negative", {{"value: 0", "value: -3"}},
       "agencies.yaml:28:16: agencies.pudong_eeb.parameters.filing_sla_wd.value: found \"-3\", expected an integer of 0 "
       "or more"},
      {"override value missing", {{"        value: 0\n", ""}},
       "agencies.yaml:28:9: agencies.pudong_eeb.parameters.filing_sla_wd.value: expected the required key value"},
      {"override source empty", {{"source: \"Test data, not a published rule\"", "source: \"  \""}},
       "agencies.yaml:29:17: agencies.pudong_eeb.parameters.filing_sla_wd.source: found \"  \", expected a non-empty "
       "source"},
      {"override source missing", {{"        source: \"Test data, not a published rule\"\n", ""}},
       "agencies.yaml:28:9: agencies.pudong_eeb.parameters.filing_sla_wd.source: expected the required key source"},
      {"override source_status not in its enum", {{"source_status: analogue", "source_status: official"}},
       "agencies.yaml:30:24: agencies.pudong_eeb.parameters.filing_sla_wd.source_status: found \"official\", expected "
       "verified, unverified, not_found, analogue or setting"},
      {"override unknown key", {{"        source_status: analogue\n", "        source_status: analogue\n        unit: wd\n"}},
       "agencies.yaml:31:9: agencies.pudong_eeb.parameters.filing_sla_wd.unit: found unknown key \"unit\", expected one "
       "of the keys: value, source, source_status"},
      {"override not a mapping", {{"      filing_sla_wd:\n        value: 0\n", "      filing_sla_wd: 5\n      old:\n        value: 0\n"}},
       "agencies.yaml:27:22: agencies.pudong_eeb.parameters.filing_sla_wd: found \"5\", expected a mapping (key: value)"},
      {"invalid YAML syntax", {{"kind: eeb\n", "kind: [eeb\n"}}, "expected valid YAML syntax"},
  };

  for (const BrokenCase& broken : cases) {
    DYNAMIC_SECTION(broken.name) {
      std::string problems = problems_of(broken_text(broken.replacements));
      INFO(problems);
      CHECK(problems.find(broken.expected) != std::string::npos);
    }
  }
}

TEST_CASE("agency diagnostics read in Chinese", "[agency]") {
  Diagnostics diagnostics;
  auto catalog = parse_agencies(broken_text({{"level: city", "level: municipal"}}), "agencies.yaml", diagnostics);
  CHECK_FALSE(catalog);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].to_string(Language::zh_cn) ==
        "agencies.yaml:8:12: agencies.city_eeb.level: 发现 \"municipal\"，应为city 或 district");
}

TEST_CASE("agency catalog rejects inconsistent input", "[agency]") {
  Agency first;
  first.id = "city_eeb";
  Agency second = first;
  CHECK_THROWS_AS(AgencyCatalog({first, second}, "city_eeb"), std::invalid_argument);
  CHECK_THROWS_AS(AgencyCatalog({first}, "pudong_eeb"), std::invalid_argument);
  CHECK_NOTHROW(AgencyCatalog({first}, "city_eeb"));
}

TEST_CASE("agency districts match the investigation workflow", "[agency]") {
  // Read the enum straight from the YAML, so that this check does not depend on the rest of the
  // workflow loading.
  YAML::Node workflow = YAML::Load(read_shipped_file("workflows/investigation.yaml"));
  std::vector<std::string> values = workflow["fields"]["district"]["values"].as<std::vector<std::string>>();
  CHECK(values == std::vector<std::string>(kShanghaiDistricts.begin(), kShanghaiDistricts.end()));
}
