// Compares every day of every shipped CN calendar year with the npm package chinese-days, run
// through node, and with the notices' dates written below for years that package has no data for.
#include "adapters/calendar_files.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace sitecycle;
using std::chrono::sys_days;

namespace {

namespace fs = std::filesystem;

// One year's public holidays (both ends included) and make-up working days, as its State Council
// notice gives them, and the number of working days that follows.
struct NoticeYear {
  int year;
  int working_days;
  std::vector<std::pair<std::string_view, std::string_view>> holidays;
  std::vector<std::string_view> makeup_workdays;
};

// The notices of the shipped years, checked for a year that chinese-days has no data for. Add
// each new year here when its YEAR.yaml is added, in case chinese-days has not caught up.
const std::vector<NoticeYear> kNoticeTable = {
    {2017, 249,
     {{"2017-01-01", "2017-01-02"}, {"2017-01-27", "2017-02-02"}, {"2017-04-02", "2017-04-04"},
     {"2017-05-01", "2017-05-01"}, {"2017-05-28", "2017-05-30"}, {"2017-10-01", "2017-10-08"}},
     {"2017-01-22", "2017-02-04", "2017-04-01", "2017-05-27", "2017-09-30"}},
    {2018, 250,
     {{"2018-01-01", "2018-01-01"}, {"2018-02-15", "2018-02-21"}, {"2018-04-05", "2018-04-07"},
     {"2018-04-29", "2018-05-01"}, {"2018-06-18", "2018-06-18"}, {"2018-09-24", "2018-09-24"},
     {"2018-10-01", "2018-10-07"}, {"2018-12-30", "2018-12-31"}},
     {"2018-02-11", "2018-02-24", "2018-04-08", "2018-04-28", "2018-09-29", "2018-09-30", "2018-12-29"}},
    {2019, 250,
     {{"2019-01-01", "2019-01-01"}, {"2019-02-04", "2019-02-10"}, {"2019-04-05", "2019-04-05"},
     {"2019-05-01", "2019-05-04"}, {"2019-06-07", "2019-06-07"}, {"2019-09-13", "2019-09-13"},
     {"2019-10-01", "2019-10-07"}},
     {"2019-02-02", "2019-02-03", "2019-04-28", "2019-05-05", "2019-09-29", "2019-10-12"}},
    {2020, 249,
     {{"2020-01-01", "2020-01-01"}, {"2020-01-24", "2020-01-30"}, {"2020-01-31", "2020-02-02"},
     {"2020-04-04", "2020-04-06"}, {"2020-05-01", "2020-05-05"}, {"2020-06-25", "2020-06-27"},
     {"2020-10-01", "2020-10-08"}},
     {"2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"}},
    {2021, 250,
     {{"2021-01-01", "2021-01-03"}, {"2021-02-11", "2021-02-17"}, {"2021-04-03", "2021-04-05"},
     {"2021-05-01", "2021-05-05"}, {"2021-06-12", "2021-06-14"}, {"2021-09-19", "2021-09-21"},
     {"2021-10-01", "2021-10-07"}},
     {"2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09"}},
    {2022, 249,
     {{"2022-01-01", "2022-01-03"}, {"2022-01-31", "2022-02-06"}, {"2022-04-03", "2022-04-05"},
     {"2022-04-30", "2022-05-04"}, {"2022-06-03", "2022-06-05"}, {"2022-09-10", "2022-09-12"},
     {"2022-10-01", "2022-10-07"}, {"2022-12-31", "2022-12-31"}},
     {"2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09"}},
    {2023, 249,
     {{"2023-01-01", "2023-01-02"}, {"2023-01-21", "2023-01-27"}, {"2023-04-05", "2023-04-05"},
     {"2023-04-29", "2023-05-03"}, {"2023-06-22", "2023-06-24"}, {"2023-09-29", "2023-10-06"}},
     {"2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08"}},
    {2024, 251,
     {{"2024-01-01", "2024-01-01"}, {"2024-02-10", "2024-02-17"}, {"2024-04-04", "2024-04-06"},
     {"2024-05-01", "2024-05-05"}, {"2024-06-10", "2024-06-10"}, {"2024-09-15", "2024-09-17"},
     {"2024-10-01", "2024-10-07"}},
     {"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29",
     "2024-10-12"}},
    {2025, 248,
     {{"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"}, {"2025-04-04", "2025-04-06"},
     {"2025-05-01", "2025-05-05"}, {"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"}},
     {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"}},
    {2026, 248,
     {{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
     {"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
     {"2026-10-01", "2026-10-07"}},
     {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}},
};

Date date(std::string_view text) {
  auto parsed = parse_date(text);
  REQUIRE(parsed);
  return *parsed;
}

std::vector<Date> days_of(int year) {
  std::vector<Date> days;
  Date first = std::chrono::year{year} / std::chrono::January / 1;
  for (sys_days day{first}; Date{day}.year() == first.year(); day += std::chrono::days{1}) days.push_back(Date{day});
  return days;
}

std::string describe(bool is_working_day) { return is_working_day ? "working day" : "day off"; }

struct ShippedCalendar {
  WorkingDayCalendar calendar;
  std::vector<int> years;
};

// The CN calendar from workflows/calendars, loaded once through the product's own loader.
const ShippedCalendar& shipped_cn_calendar() {
  static const ShippedCalendar shipped = [] {
    LoadedCalendars loaded = load_calendar_folder(fs::path(SITECYCLE_SOURCE_DIR) / "workflows" / "calendars");
    for (const Diagnostic& diagnostic : loaded.diagnostics) UNSCOPED_INFO(diagnostic.to_string());
    REQUIRE(loaded.diagnostics.empty());
    REQUIRE(loaded.set.find("CN") != nullptr);
    return ShippedCalendar{*loaded.set.find("CN"), loaded.set.years.at("CN")};
  }();
  return shipped;
}

bool is_working_day_in_notice(const NoticeYear& notice, Date day) {
  for (std::string_view makeup : notice.makeup_workdays) {
    if (date(makeup) == day) return true;
  }
  for (const auto& [from, to] : notice.holidays) {
    if (sys_days{date(from)} <= sys_days{day} && sys_days{day} <= sys_days{date(to)}) return false;
  }
  std::chrono::weekday weekday{sys_days{day}};
  return weekday != std::chrono::Saturday && weekday != std::chrono::Sunday;
}

const NoticeYear* find_notice_year(int year) {
  for (const NoticeYear& notice : kNoticeTable) {
    if (notice.year == year) return &notice;
  }
  return nullptr;
}

// What chinese_days_dump.js printed: the package version, the years it has holiday data for,
// and whether each day is a working day.
struct ChineseDaysDump {
  std::string version;
  std::set<int> covered_years;
  nlohmann::json is_workday;
};

struct CommandResult {
  int exit_status = -1;  // -1 when the command did not exit normally.
  std::string output;
  std::string error_output;
};

std::string shell_quoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string read_file(const fs::path& path) {
  std::ifstream stream(path);
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}

// Runs `command` through /bin/sh and collects its standard output and standard error.
CommandResult run_command(const std::string& command) {
  std::string error_file = (fs::temp_directory_path() / "sitecycle-chinese-days-XXXXXX").string();
  int descriptor = mkstemp(error_file.data());
  REQUIRE(descriptor != -1);
  close(descriptor);

  CommandResult result;
  FILE* pipe = popen((command + " 2>" + shell_quoted(error_file)).c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[65536];
  for (std::size_t read = 0; (read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.output.append(buffer, read);
  int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  result.error_output = read_file(error_file);
  fs::remove(error_file);
  return result;
}

fs::path node_modules_dir() {
  const char* configured = std::getenv("SITECYCLE_NODE_MODULES");
  return configured != nullptr && *configured != '\0' ? fs::path(configured) : fs::path(SITECYCLE_NODE_MODULES_DIR);
}

// Runs chinese_days_dump.js for the years from `first` to `last`. Fails the test, with what to
// do, when node or the package is missing.
ChineseDaysDump run_chinese_days_dump(int first, int last) {
  fs::path script = fs::path(SITECYCLE_SOURCE_DIR) / "tests" / "calendars" / "chinese_days_dump.js";
  std::string command = fmt::format("node {} {} {} {}", shell_quoted(script.string()), shell_quoted(node_modules_dir().string()),
                                    first, last);
  CommandResult result = run_command(command);
  if (result.exit_status == 127) {
    FAIL("node was not found on PATH, so chinese-days cannot be asked; run ./test.sh, which installs nodejs and "
         "chinese-days (" << result.error_output << ")");
  }
  if (result.exit_status != 0) {
    FAIL("`" << command << "` failed with exit status " << result.exit_status << ": " << result.error_output
              << "\nrun ./test.sh to install chinese-days under build/npm, or set SITECYCLE_NODE_MODULES");
  }

  nlohmann::json dump = nlohmann::json::parse(result.output, nullptr, false);
  if (dump.is_discarded() || !dump.contains("version") || !dump.contains("covered_years") ||
      !dump.contains("is_workday")) {
    FAIL("`" << command << "` printed no JSON object with version, covered_years and is_workday: "
              << result.output.substr(0, 300));
  }
  return ChineseDaysDump{dump["version"].get<std::string>(), dump["covered_years"].get<std::set<int>>(), dump["is_workday"]};
}

// Describes each day of `year` on which `other` disagrees with the shipped calendar, such as
// "2020-02-01: shipped calendar working day, chinese-days 1.5.7 day off". `other` returns nullopt
// for a day it has no value for.
template <typename OtherCalendar>
std::vector<std::string> disagreements_in(int year, const std::string& other_name, OtherCalendar other) {
  std::vector<std::string> found;
  for (Date day : days_of(year)) {
    bool ours = shipped_cn_calendar().calendar.is_working_day(day);
    std::optional<bool> theirs = other(day);
    if (!theirs) {
      found.push_back(fmt::format("{}: {} returned no value", format_date(day), other_name));
    } else if (*theirs != ours) {
      found.push_back(fmt::format("{}: shipped calendar {}, {} {}", format_date(day), describe(ours), other_name,
                                  describe(*theirs)));
    }
  }
  return found;
}

}  // namespace

TEST_CASE("chinese-days agrees with shipped calendars", "[calendar]") {
  const std::vector<int>& years = shipped_cn_calendar().years;
  REQUIRE_FALSE(years.empty());
  ChineseDaysDump dump = run_chinese_days_dump(years.front(), years.back());
  std::string package = "chinese-days " + dump.version;

  std::vector<std::string> disagreements;
  for (int year : years) {
    std::vector<std::string> found;
    if (dump.covered_years.contains(year)) {
      found = disagreements_in(year, package, [&](Date day) -> std::optional<bool> {
        auto value = dump.is_workday.find(format_date(day));
        if (value == dump.is_workday.end() || !value->is_boolean()) return std::nullopt;
        return value->get<bool>();
      });
    } else if (const NoticeYear* notice = find_notice_year(year)) {
      found = disagreements_in(year, fmt::format("the notice table ({} has no data for {})", package, year),
                               [&](Date day) -> std::optional<bool> { return is_working_day_in_notice(*notice, day); });
    } else {
      found.push_back(fmt::format("{}: {} has no data for this year and kNoticeTable in {} has no entry for it; add the "
                                  "year's holidays and make-up working days from its notice to kNoticeTable",
                                  year, package, __FILE__));
    }
    disagreements.insert(disagreements.end(), found.begin(), found.end());
  }

  for (const std::string& disagreement : disagreements) UNSCOPED_INFO(disagreement);
  CHECK(disagreements.empty());
}

TEST_CASE("notice table agrees with shipped calendars", "[calendar]") {
  const ShippedCalendar& shipped = shipped_cn_calendar();
  for (const NoticeYear& notice : kNoticeTable) {
    INFO("year " << notice.year);
    REQUIRE(shipped.calendar.has_year(notice.year));

    std::vector<std::string> disagreements = disagreements_in(
        notice.year, "the notice table", [&](Date day) -> std::optional<bool> { return is_working_day_in_notice(notice, day); });
    for (const std::string& disagreement : disagreements) UNSCOPED_INFO(disagreement);
    CHECK(disagreements.empty());

    auto days = days_of(notice.year);
    auto working_days = std::count_if(days.begin(), days.end(), [&](Date day) { return shipped.calendar.is_working_day(day); });
    CHECK(working_days == notice.working_days);
  }
}
