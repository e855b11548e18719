#include "adapters/calendar_files.h"

#include "engine/calendar_overlay_loader.h"
#include "temp_directory.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace sitecycle;

namespace {

namespace fs = std::filesystem;

fs::path fixture(std::string_view name) { return fs::path(SITECYCLE_TEST_DATA_DIR) / "calendars" / name; }

Date date(std::string_view text) {
  auto parsed = parse_date(text);
  REQUIRE(parsed);
  return *parsed;
}

// The diagnostics whose file path ends with `suffix`, such as "LOOP-B/overlay.yaml".
std::vector<Diagnostic> problems_in(const LoadedCalendars& loaded, std::string_view suffix) {
  std::vector<Diagnostic> found;
  for (const Diagnostic& diagnostic : loaded.diagnostics) {
    if (diagnostic.file.ends_with(suffix)) found.push_back(diagnostic);
  }
  return found;
}

void show(const LoadedCalendars& loaded) {
  for (const Diagnostic& diagnostic : loaded.diagnostics) UNSCOPED_INFO(diagnostic.to_string());
}

void write_file(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream stream(path, std::ios::binary);
  stream << text;
  REQUIRE(stream);
}

constexpr std::string_view kYear2026 =
    "calendar: CN\n"
    "year: 2026\n"
    "notice: 测试通知\n"
    "notice_number: null\n"
    "notice_date: 2025-11-04\n"
    "source_url: https://example.org/cn/2026\n"
    "holidays: []\n"
    "makeup_workdays: []\n";

}  // namespace

TEST_CASE("calendar folder loads calendars and overlays", "[calendar]") {
  LoadedCalendars loaded = load_calendar_folder(fixture("good"));
  show(loaded);
  REQUIRE(loaded.diagnostics.empty());
  CHECK_FALSE(loaded.unreadable);

  REQUIRE(loaded.set.find("CN") != nullptr);
  REQUIRE(loaded.set.find("CN-SH") != nullptr);
  REQUIRE(loaded.set.find("CN-SH-PD") != nullptr);
  CHECK(loaded.set.find("XX") == nullptr);
  CHECK(loaded.set.calendars.size() == 3);

  CHECK(loaded.set.years.at("CN") == std::vector<int>{2025, 2026});
  CHECK(loaded.set.years.at("CN-SH") == std::vector<int>{2025, 2026});
  CHECK(loaded.set.years.at("CN-SH-PD") == std::vector<int>{2025, 2026});
}

TEST_CASE("overlay adds closures to base", "[calendar]") {
  LoadedCalendars loaded = load_calendar_folder(fixture("good"));
  REQUIRE(loaded.diagnostics.empty());
  const WorkingDayCalendar& national = *loaded.set.find("CN");
  const WorkingDayCalendar& city = *loaded.set.find("CN-SH");
  const WorkingDayCalendar& district = *loaded.set.find("CN-SH-PD");

  SECTION("the base calendar keeps its own days") {
    CHECK_FALSE(national.is_working_day(date("2026-02-16")));
    CHECK(national.is_working_day(date("2026-02-24")));
    CHECK(national.is_working_day(date("2026-02-28")));
    CHECK(national.is_working_day(date("2026-03-02")));
  }
  SECTION("the overlay keeps the base's holidays and make-up days outside its closures") {
    CHECK_FALSE(city.is_working_day(date("2026-02-16")));
    CHECK(city.is_working_day(date("2026-02-14")));
    CHECK(city.is_working_day(date("2026-03-02")));
  }
  SECTION("a closure closes weekdays and a make-up Saturday") {
    CHECK_FALSE(city.is_working_day(date("2026-02-24")));
    CHECK_FALSE(city.is_working_day(date("2026-02-27")));
    CHECK_FALSE(city.is_working_day(date("2026-02-28")));
  }
  SECTION("a closure across the year end does not load the next year") {
    CHECK_FALSE(city.is_working_day(date("2026-12-31")));
    CHECK_FALSE(city.is_working_day(date("2027-01-04")));
    CHECK(city.is_working_day(date("2027-01-05")));
    CHECK_FALSE(city.has_year(2027));
  }
  SECTION("an overlay on an overlay has the closures of both") {
    CHECK_FALSE(district.is_working_day(date("2026-02-24")));
    CHECK_FALSE(district.is_working_day(date("2026-03-02")));
    CHECK(district.is_working_day(date("2026-03-03")));
  }
}

TEST_CASE("overlay file parses into fields", "[calendar]") {
  Diagnostics diagnostics;
  std::ifstream stream(fixture("good") / "CN-SH" / "overlay.yaml");
  std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  auto overlay = parse_calendar_overlay(text, "overlay.yaml", diagnostics);
  REQUIRE(diagnostics.empty());
  REQUIRE(overlay);

  CHECK(overlay->calendar == "CN-SH");
  CHECK(overlay->base == "CN");
  CHECK(overlay->title == LocalizedText{"测试市", "Test city"});
  CHECK(overlay->source_url == "https://example.org/cn-sh");
  REQUIRE(overlay->closures.size() == 2);
  CHECK(overlay->closures[0].days.name == LocalizedText{"延迟复工", "Delayed return to work"});
  CHECK(overlay->closures[0].days.from == date("2026-02-24"));
  CHECK(overlay->closures[0].days.to == date("2026-02-28"));
  CHECK(overlay->closures[0].source_url == "https://example.org/cn-sh/delayed-return");
  CHECK(overlay->closures[1].days.to == date("2027-01-04"));
}

TEST_CASE("calendar id accepts uppercase codes", "[calendar]") {
  CHECK(is_calendar_id("CN"));
  CHECK(is_calendar_id("CN-SH"));
  CHECK(is_calendar_id("CN-SH-310115"));
  CHECK_FALSE(is_calendar_id(""));
  CHECK_FALSE(is_calendar_id("cn"));
  CHECK_FALSE(is_calendar_id("-CN"));
  CHECK_FALSE(is_calendar_id("1CN"));
  CHECK_FALSE(is_calendar_id("CN_SH"));
  CHECK_FALSE(is_calendar_id("CN SH"));
  CHECK_FALSE(is_calendar_id(std::string(33, 'A')));
  CHECK(is_calendar_id(std::string(32, 'A')));
}

TEST_CASE("broken year files are reported", "[calendar]") {
  LoadedCalendars loaded = load_calendar_folder(fixture("broken_years"));
  show(loaded);
  CHECK_FALSE(loaded.unreadable);
  REQUIRE(loaded.set.find("CN") != nullptr);
  CHECK(loaded.set.years.at("CN") == std::vector<int>{2024});
  CHECK_FALSE(loaded.set.find("CN")->is_working_day(date("2024-01-01")));
  CHECK(loaded.diagnostics.size() == 4);

  SECTION("a year that differs from the file name") {
    auto problems = problems_in(loaded, "CN/2025.yaml");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key_path == "year");
    CHECK(problems[0].line == 3);
    CHECK(problems[0].column == 7);
    CHECK(problems[0].found.en == "2026");
    CHECK(problems[0].expected.en == "2025, the year in the file name 2025.yaml");
  }
  SECTION("a calendar id that differs from the folder name") {
    auto problems = problems_in(loaded, "CN/2026.yaml");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key_path == "calendar");
    CHECK(problems[0].line == 2);
    CHECK(problems[0].column == 11);
    CHECK(problems[0].found.en == "\"SH\"");
    CHECK(problems[0].expected.en == "CN, the name of the folder that holds the file");
  }
  SECTION("a file that is not valid YAML") {
    auto problems = problems_in(loaded, "CN/2027.yaml");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].line > 0);
    CHECK(problems[0].expected.en == "valid YAML syntax");
  }
  SECTION("a YAML file named neither YEAR.yaml nor overlay.yaml") {
    auto problems = problems_in(loaded, "CN/notes.yaml");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].expected.en == "a YEAR.yaml file (such as 2026.yaml) or overlay.yaml");
  }
}

TEST_CASE("broken overlays are reported", "[calendar]") {
  LoadedCalendars loaded = load_calendar_folder(fixture("broken_overlays"));
  show(loaded);
  CHECK_FALSE(loaded.unreadable);
  CHECK(loaded.set.calendars.size() == 2);
  CHECK(loaded.set.find("CN") != nullptr);
  CHECK(loaded.set.find("MIXED") != nullptr);
  CHECK(loaded.diagnostics.size() == 11);

  SECTION("a base that does not exist") {
    auto problems = problems_in(loaded, "NO-BASE/overlay.yaml");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key_path == "base");
    CHECK(problems[0].line == 3);
    CHECK(problems[0].column == 7);
    CHECK(problems[0].found.en == "\"XX\"");
    CHECK_THAT(problems[0].expected.en, Catch::Contains("one of the calendars in") &&
                                            Catch::EndsWith(": BAD-FIELDS, CN, LOOP-A, LOOP-B, MIXED, ON-BROKEN, SELF, WRONG-ID"));
  }
  SECTION("two overlays that are each other's base") {
    CHECK(problems_in(loaded, "LOOP-A/overlay.yaml").empty());
    auto problems = problems_in(loaded, "LOOP-B/overlay.yaml");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key_path == "base");
    CHECK(problems[0].line == 3);
    CHECK(problems[0].expected.en == "a base calendar that does not lead back to this one (now LOOP-A -> LOOP-B -> LOOP-A)");
  }
  SECTION("an overlay that is its own base") {
    auto problems = problems_in(loaded, "SELF/overlay.yaml");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key_path == "base");
    CHECK(problems[0].line == 3);
  }
  SECTION("unknown keys, a missing title, invalid dates and a missing source") {
    auto problems = problems_in(loaded, "BAD-FIELDS/overlay.yaml");
    REQUIRE(problems.size() == 5);
    CHECK(problems[0].key_path == "region");
    CHECK(problems[0].line == 4);
    CHECK(problems[1].key_path == "title.en");
    CHECK(problems[1].line == 5);
    CHECK(problems[2].key_path == "closures[0].from");
    CHECK(problems[2].line == 9);
    CHECK(problems[2].expected.en == "a YYYY-MM-DD date");
    CHECK(problems[3].key_path == "closures[1].to");
    CHECK(problems[3].line == 14);
    CHECK(problems[3].expected.en == "a date on or after from (2026-03-05)");
    CHECK(problems[4].key_path == "closures[2].source_url");
    CHECK(problems[4].line == 16);
  }
  SECTION("an overlay on a broken overlay adds no second report") {
    CHECK(problems_in(loaded, "ON-BROKEN/overlay.yaml").empty());
  }
  SECTION("a calendar id that differs from the folder name") {
    auto problems = problems_in(loaded, "WRONG-ID/overlay.yaml");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key_path == "calendar");
    CHECK(problems[0].line == 2);
    CHECK(problems[0].found.en == "\"OTHER\"");
  }
  SECTION("an overlay beside YEAR.yaml files") {
    auto problems = problems_in(loaded, "MIXED/overlay.yaml");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].found.en == "an overlay.yaml beside YEAR.yaml files");
    CHECK(loaded.set.years.at("MIXED") == std::vector<int>{2026});
  }
  SECTION("a folder name that is not a calendar id") {
    auto problems = problems_in(loaded, "lowercase");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].found.en == "\"lowercase\"");
  }
}

TEST_CASE("missing calendars folder is unreadable", "[calendar]") {
  testing::TempDirectory directory;
  LoadedCalendars missing = load_calendar_folder(directory.path() / "no-such-folder");
  CHECK(missing.unreadable);
  REQUIRE(missing.diagnostics.size() == 1);
  CHECK(missing.diagnostics[0].found.en == "no such folder");

  write_file(directory.path() / "file.yaml", "calendar: CN\n");
  LoadedCalendars file = load_calendar_folder(directory.path() / "file.yaml");
  CHECK(file.unreadable);
  REQUIRE(file.diagnostics.size() == 1);
  CHECK(file.diagnostics[0].found.en == "not a folder");
}

TEST_CASE("calendar folder layout problems reported", "[calendar]") {
  testing::TempDirectory directory;
  write_file(directory.path() / "README.md", "Working-day calendars.\n");
  write_file(directory.path() / ".hidden.yaml", "ignored: true\n");
  write_file(directory.path() / "2026.yaml", kYear2026);
  write_file(directory.path() / "CN" / "2026.yaml", kYear2026);
  write_file(directory.path() / "CN" / "NOTES.md", "Not a calendar.\n");
  write_file(directory.path() / "CN" / "2026.yml", kYear2026);
  fs::create_directories(directory.path() / "CN" / "2027");
  fs::create_directories(directory.path() / "EMPTY");

  LoadedCalendars loaded = load_calendar_folder(directory.path());
  show(loaded);
  CHECK_FALSE(loaded.unreadable);
  CHECK(loaded.set.years.at("CN") == std::vector<int>{2026});

  auto top_level = problems_in(loaded, directory.file("2026.yaml"));
  REQUIRE(top_level.size() == 1);
  CHECK(top_level[0].found.en == "a YAML file outside a calendar folder");
  CHECK(problems_in(loaded, "CN/2026.yml").size() == 1);
  auto subfolder = problems_in(loaded, "CN/2027");
  REQUIRE(subfolder.size() == 1);
  CHECK(subfolder[0].found.en == "a folder inside a calendar folder");
  auto empty = problems_in(loaded, "EMPTY");
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].found.en == "a folder with no calendar files");
  CHECK(loaded.diagnostics.size() == 4);
}

TEST_CASE("shipped calendars folder loads cleanly", "[calendar]") {
  LoadedCalendars loaded = load_calendar_folder(fs::path(SITECYCLE_SOURCE_DIR) / "workflows" / "calendars");
  show(loaded);
  CHECK(loaded.diagnostics.empty());
  REQUIRE(loaded.set.years.contains("CN"));
  const std::vector<int>& years = loaded.set.years.at("CN");
  REQUIRE(years.size() >= 10);
  CHECK(years.front() == 2017);
  CHECK(years[9] == 2026);
}
