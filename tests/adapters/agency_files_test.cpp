#include "adapters/agency_files.h"

#include "temp_directory.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

using namespace sitecycle;
namespace fs = std::filesystem;

namespace {

const fs::path kSourceDir{SITECYCLE_SOURCE_DIR};
const fs::path kAgencyData = fs::path(SITECYCLE_TEST_DATA_DIR) / "agencies";

// The calendar ids shipped in workflows/calendars, one folder each.
std::set<std::string> shipped_calendars() {
  std::set<std::string> calendars;
  for (const auto& entry : fs::directory_iterator(kSourceDir / "workflows" / "calendars")) {
    if (entry.is_directory()) calendars.insert(entry.path().filename().string());
  }
  return calendars;
}

std::string render(const Diagnostics& diagnostics) {
  std::string all;
  for (const Diagnostic& diagnostic : diagnostics) all += diagnostic.to_string() + "\n";
  return all;
}

}  // namespace

TEST_CASE("shipped agencies load with no diagnostics", "[agency]") {
  LoadedAgencies loaded = load_agencies_file(kSourceDir / "workflows" / "agencies.yaml", shipped_calendars());
  INFO(render(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.empty());
  CHECK_FALSE(loaded.unreadable);
  REQUIRE(loaded.catalog);
  const AgencyCatalog& catalog = *loaded.catalog;

  CHECK(catalog.agencies().size() == 51);
  CHECK(catalog.default_agency().id == "city_eeb");
  for (const Agency& agency : catalog.agencies()) {
    INFO(agency.id);
    CHECK(agency.calendar == "CN");
    CHECK(agency.time_zone == "Asia/Shanghai");
    CHECK(agency.parameters.empty());
  }
}

TEST_CASE("shipped agencies cover every district and kind", "[agency]") {
  LoadedAgencies loaded = load_agencies_file(kSourceDir / "workflows" / "agencies.yaml", shipped_calendars());
  REQUIRE(loaded.catalog);
  const AgencyCatalog& catalog = *loaded.catalog;

  for (std::string_view kind : kAgencyKinds) {
    const Agency* city = catalog.find_for(kind, std::nullopt);
    REQUIRE(city);
    CHECK(city->id == "city_" + std::string(kind));
    CHECK(city->level == "city");
    for (std::string_view district : kShanghaiDistricts) {
      const Agency* agency = catalog.find_for(kind, district);
      REQUIRE(agency);
      CHECK(agency->id == std::string(district) + "_" + std::string(kind));
      CHECK(agency->level == "district");
    }
  }
}

TEST_CASE("agency file with unknown calendar", "[agency]") {
  LoadedAgencies loaded = load_agencies_file(kAgencyData / "unknown_calendar.yaml", {"CN"});
  CHECK_FALSE(loaded.catalog);
  CHECK_FALSE(loaded.unreadable);
  REQUIRE(loaded.diagnostics.size() == 1);
  std::string rendered = loaded.diagnostics[0].to_string();
  CHECK(rendered.find("unknown_calendar.yaml:8:15: agencies.city_eeb.calendar: found \"HK\", expected one of the "
                      "loaded calendars: CN") != std::string::npos);
  CHECK(loaded.diagnostics[0].to_string(Language::zh_cn).find("已加载的日历之一：CN") != std::string::npos);
}

TEST_CASE("agency file with no calendars loaded", "[agency]") {
  LoadedAgencies loaded = load_agencies_file(kAgencyData / "unknown_calendar.yaml", {});
  CHECK_FALSE(loaded.catalog);
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].to_string().find("expected a loaded calendar (none is loaded)") != std::string::npos);
}

TEST_CASE("agency file with unknown time zone", "[agency]") {
  LoadedAgencies loaded = load_agencies_file(kAgencyData / "unknown_time_zone.yaml", {"CN"});
  CHECK_FALSE(loaded.catalog);
  CHECK_FALSE(loaded.unreadable);
  REQUIRE(loaded.diagnostics.size() == 1);
  std::string rendered = loaded.diagnostics[0].to_string();
  CHECK(rendered.find("unknown_time_zone.yaml:10:16: agencies.city_eeb.time_zone: found \"Asia/Atlantis\", expected "
                      "a time zone in the system tz database (IANA)") != std::string::npos);
}

TEST_CASE("agency file missing or a folder", "[agency]") {
  testing::TempDirectory directory;

  SECTION("missing file") {
    LoadedAgencies loaded = load_agencies_file(directory.path() / "agencies.yaml", {"CN"});
    CHECK(loaded.unreadable);
    CHECK_FALSE(loaded.catalog);
    REQUIRE(loaded.diagnostics.size() == 1);
    CHECK(loaded.diagnostics[0].to_string().find("found no such file, expected a readable agencies file") !=
          std::string::npos);
  }
  SECTION("a folder") {
    LoadedAgencies loaded = load_agencies_file(directory.path(), {"CN"});
    CHECK(loaded.unreadable);
    CHECK_FALSE(loaded.catalog);
    REQUIRE(loaded.diagnostics.size() == 1);
    CHECK(loaded.diagnostics[0].to_string().find("found not a file") != std::string::npos);
  }
}

TEST_CASE("agency file with invalid content", "[agency]") {
  testing::TempDirectory directory;
  std::string file = directory.file("agencies.yaml");
  std::ofstream(file) << "default_agency: city_eeb\nagencies: []\n";

  LoadedAgencies loaded = load_agencies_file(file, {"CN"});
  CHECK_FALSE(loaded.unreadable);
  CHECK_FALSE(loaded.catalog);
  REQUIRE_FALSE(loaded.diagnostics.empty());
  CHECK(loaded.diagnostics[0].to_string().find("agencies.yaml:2:11: agencies: found a list, expected a mapping") !=
        std::string::npos);
}
