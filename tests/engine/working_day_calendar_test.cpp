#include "engine/working_day_calendar.h"

#include "engine/calendar_loader.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace sitecycle;
using std::chrono::sys_days;

namespace {

Date date(std::string_view text) {
  auto parsed = parse_date(text);
  REQUIRE(parsed);
  return *parsed;
}

std::string read_shipped_calendar(int year) {
  auto path = std::filesystem::path(SITECYCLE_SOURCE_DIR) / "workflows" / "calendars" / "CN" /
              (std::to_string(year) + ".yaml");
  std::ifstream file(path);
  REQUIRE(file);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

CalendarYear load_shipped_year(int year) {
  Diagnostics diagnostics;
  auto parsed = parse_calendar_year(read_shipped_calendar(year), std::to_string(year) + ".yaml", diagnostics);
  for (const auto& diagnostic : diagnostics) UNSCOPED_INFO(diagnostic.to_string());
  REQUIRE(diagnostics.empty());
  REQUIRE(parsed);
  return *parsed;
}

// The calendar with the shipped 2025 and 2026 years, loaded once.
const WorkingDayCalendar& shipped_calendar() {
  static const WorkingDayCalendar calendar = [] {
    WorkingDayCalendar loaded;
    loaded.add_year(load_shipped_year(2025));
    loaded.add_year(load_shipped_year(2026));
    return loaded;
  }();
  return calendar;
}

std::vector<std::string> formatted(const std::vector<Date>& dates) {
  std::vector<std::string> texts;
  for (Date day : dates) texts.push_back(format_date(day));
  return texts;
}

int count_working_days(const WorkingDayCalendar& calendar, int year) {
  int count = 0;
  Date first = std::chrono::year{year} / std::chrono::January / 1;
  Date last = std::chrono::year{year} / std::chrono::December / 31;
  for (sys_days day{first}; day <= sys_days{last}; day += std::chrono::days{1}) {
    if (calendar.is_working_day(Date{day})) ++count;
  }
  return count;
}

// A valid calendar with one holiday. Each broken variant below changes one line of it.
constexpr std::string_view kCalendarText =
    "calendar: CN\n"                                                             // line 1
    "year: 2026\n"                                                               // line 2
    "notice: 国务院办公厅关于2026年部分节假日安排的通知\n"                       // line 3
    "notice_number: null\n"                                                      // line 4
    "notice_date: 2025-11-04\n"                                                  // line 5
    "source_url: https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm\n"  // line 6
    "holidays:\n"                                                                // line 7
    "  - name: {zh-CN: 春节, en: Spring Festival}\n"                             // line 8
    "    from: 2026-02-15\n"                                                     // line 9
    "    to: 2026-02-23\n"                                                       // line 10
    "makeup_workdays:\n"                                                         // line 11
    "  - 2026-02-14\n"                                                           // line 12
    "  - 2026-02-28\n";                                                          // line 13

std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string result(text);
  auto at = result.find(from);
  REQUIRE(at != std::string::npos);
  result.replace(at, from.size(), to);
  return result;
}

}  // namespace

TEST_CASE("shipped calendars parse with their notices", "[calendar]") {
  CalendarYear year_2025 = load_shipped_year(2025);
  CHECK(year_2025.calendar == "CN");
  CHECK(year_2025.year == 2025);
  CHECK(year_2025.notice_number == std::optional<std::string>("国办发明电〔2024〕12号"));
  CHECK(year_2025.notice_date == "2024-11-12");
  CHECK(year_2025.holidays.size() == 6);
  CHECK(year_2025.makeup_workdays.size() == 5);

  CalendarYear year_2026 = load_shipped_year(2026);
  CHECK(year_2026.year == 2026);
  CHECK_FALSE(year_2026.notice_number);
  CHECK(year_2026.notice_date == "2025-11-04");
  CHECK(year_2026.holidays.size() == 7);
  CHECK(year_2026.makeup_workdays.size() == 6);
  CHECK(year_2026.holidays[1].name == LocalizedText{"春节", "Spring Festival"});
}

TEST_CASE("each published year has 248 working days", "[calendar]") {
  CHECK(count_working_days(shipped_calendar(), 2025) == 248);
  CHECK(count_working_days(shipped_calendar(), 2026) == 248);
}

TEST_CASE("make-up weekend days are working days", "[calendar]") {
  const auto& calendar = shipped_calendar();
  for (std::string_view day : {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
                               "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"}) {
    INFO(day);
    CHECK(calendar.is_working_day(date(day)));
  }
}

TEST_CASE("holidays and plain weekends are not working days", "[calendar]") {
  const auto& calendar = shipped_calendar();
  for (sys_days day{date("2026-02-15")}; day <= sys_days{date("2026-02-23")}; day += std::chrono::days{1}) {
    INFO(format_date(Date{day}));
    CHECK_FALSE(calendar.is_working_day(Date{day}));
  }
  CHECK_FALSE(calendar.is_working_day(date("2026-03-07")));  // an ordinary Saturday
  CHECK_FALSE(calendar.is_working_day(date("2025-10-08")));  // a Wednesday inside National Day
  CHECK(calendar.is_working_day(date("2026-03-09")));         // an ordinary Monday
}

TEST_CASE("adding working days matches check values", "[calendar]") {
  struct Row {
    std::string_view from;
    int count;
    std::string_view due;
  };
  const Row rows[] = {
      {"2026-02-10", 20, "2026-03-16"},  // across the Spring Festival
      {"2026-09-30", 5, "2026-10-13"},   // across National Day and the make-up Saturday 10-10
      {"2025-12-31", 1, "2026-01-04"},   // year boundary onto a make-up Sunday
      {"2026-02-13", 1, "2026-02-14"},   // onto a make-up Saturday
      {"2026-02-13", 2, "2026-02-24"},
      {"2026-04-30", 3, "2026-05-08"},   // across Labour Day
      {"2026-09-18", 1, "2026-09-20"},   // onto a make-up Sunday
      {"2026-01-30", 1, "2026-02-02"},   // month end over a plain weekend
      {"2026-02-27", 1, "2026-02-28"},   // month end onto a make-up Saturday
      {"2026-03-31", 1, "2026-04-01"},   // month end on weekdays
      {"2026-04-30", 1, "2026-05-06"},   // month end into a holiday
      {"2025-09-30", 1, "2025-10-09"},   // month end into the eight-day National Day
      {"2024-12-31", 1, "2025-01-02"},   // from a year with no calendar, not counted itself
      {"2026-12-30", 1, "2026-12-31"},
  };
  for (const Row& row : rows) {
    INFO(row.from << " + " << row.count << " working days");
    WorkingDayResult result = shipped_calendar().add_working_days(date(row.from), row.count);
    CHECK(format_date(result.due_date) == row.due);
    CHECK(static_cast<int>(result.working_days.size()) == row.count);
    CHECK_FALSE(result.provisional);
    CHECK(result.missing_years.empty());
  }
}

TEST_CASE("working-day list skips holidays and ends on the due date", "[calendar]") {
  WorkingDayResult result = shipped_calendar().add_working_days(date("2026-02-13"), 2);
  CHECK(formatted(result.working_days) == std::vector<std::string>{"2026-02-14", "2026-02-24"});

  result = shipped_calendar().add_working_days(date("2026-09-30"), 5);
  CHECK(formatted(result.working_days) ==
        std::vector<std::string>{"2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"});
}

TEST_CASE("count into unpublished year is provisional", "[calendar]") {
  WorkingDayResult result = shipped_calendar().add_working_days(date("2026-12-25"), 5);
  CHECK(format_date(result.due_date) == "2027-01-01");  // on weekends alone; almost surely New Year's Day
  CHECK(result.provisional);
  CHECK(result.missing_years == std::vector<int>{2027});

  result = shipped_calendar().add_working_days(date("2026-12-31"), 1);
  CHECK(format_date(result.due_date) == "2027-01-01");
  CHECK(result.provisional);
  CHECK(result.missing_years == std::vector<int>{2027});

  result = shipped_calendar().add_working_days(date("2026-12-01"), 300);
  CHECK(result.provisional);
  CHECK(result.missing_years == std::vector<int>{2027, 2028});
}

TEST_CASE("empty calendar counts weekdays only", "[calendar]") {
  WorkingDayCalendar calendar;
  WorkingDayResult result = calendar.add_working_days(date("2026-02-13"), 2);
  CHECK(format_date(result.due_date) == "2026-02-17");
  CHECK(result.provisional);
  CHECK(result.missing_years == std::vector<int>{2026});
  CHECK_FALSE(calendar.is_working_day(date("2026-02-14")));
}

TEST_CASE("calendar-day period ending on a day off moves on", "[calendar]") {
  const auto& calendar = shipped_calendar();
  CHECK(format_date(calendar.add_calendar_days(date("2026-02-10"), 5)) == "2026-02-24");  // Spring Festival
  CHECK(format_date(calendar.add_calendar_days(date("2026-09-13"), 7)) == "2026-09-20");  // make-up Sunday stays
  CHECK(format_date(calendar.add_calendar_days(date("2026-02-26"), 2)) == "2026-02-28");  // make-up Saturday stays
  CHECK(format_date(calendar.add_calendar_days(date("2026-12-26"), 1)) == "2026-12-28");  // plain Sunday
  CHECK(format_date(calendar.add_calendar_days(date("2026-03-09"), 0)) == "2026-03-09");
  CHECK(format_date(calendar.add_calendar_days(date("2025-12-02"), 30)) == "2026-01-04");  // 01-01 to 01-03 off
  CHECK(format_date(calendar.add_calendar_days(date("2026-01-31"), 28)) == "2026-02-28");
  // 2027 has no calendar, so only weekends are days off there and the caller must check has_year.
  CHECK(format_date(calendar.add_calendar_days(date("2026-12-30"), 2)) == "2027-01-01");
  CHECK(calendar.has_year(2026));
  CHECK_FALSE(calendar.has_year(2027));
}

TEST_CASE("calendar text without problems parses", "[calendar]") {
  Diagnostics diagnostics;
  auto parsed = parse_calendar_year(kCalendarText, "2026.yaml", diagnostics);
  CHECK(diagnostics.empty());
  REQUIRE(parsed);
  CHECK(parsed->holidays.size() == 1);
  CHECK(parsed->makeup_workdays.size() == 2);
}

TEST_CASE("broken calendar texts are reported by line", "[calendar]") {
  struct Row {
    std::string_view description;
    std::string text;
    int line;
    std::string_view key_path;
  };
  const Row rows[] = {
      {"make-up day on a Wednesday", replaced(kCalendarText, "  - 2026-02-28", "  - 2026-03-04"), 13,
       "makeup_workdays[1]"},
      {"day both holiday and make-up", replaced(kCalendarText, "  - 2026-02-28", "  - 2026-02-21"), 13,
       "makeup_workdays[1]"},
      {"make-up day outside the year", replaced(kCalendarText, "  - 2026-02-14", "  - 2025-12-27"), 12,
       "makeup_workdays[0]"},
      {"holiday crossing the year end", replaced(kCalendarText, "to: 2026-02-23", "to: 2027-01-02"), 10,
       "holidays[0].to"},
      {"from after to", replaced(kCalendarText, "from: 2026-02-15", "from: 2026-02-25"), 10, "holidays[0].to"},
      {"unknown key", std::string(kCalendarText) + "makeup_days: [2026-03-07]\n", 14, "makeup_days"},
      {"title in one language", replaced(kCalendarText, "{zh-CN: 春节, en: Spring Festival}", "{zh-CN: 春节}"), 8,
       "holidays[0].name.en"},
      {"impossible date", replaced(kCalendarText, "from: 2026-02-15", "from: 2026-02-30"), 9, "holidays[0].from"},
      {"missing year", replaced(kCalendarText, "year: 2026\n", "\n"), 0, ""},
      {"repeated make-up day", replaced(kCalendarText, "  - 2026-02-28", "  - 2026-02-14"), 13, "makeup_workdays[1]"},
      {"overlapping holidays",
       replaced(kCalendarText, "makeup_workdays:\n",
                "  - name: {zh-CN: 重复, en: Repeated}\n    from: 2026-02-20\n    to: 2026-02-24\nmakeup_workdays:\n"),
       12, "holidays[1].from"},
  };
  for (const Row& row : rows) {
    INFO(row.description);
    Diagnostics diagnostics;
    auto parsed = parse_calendar_year(row.text, "2026.yaml", diagnostics);
    for (const auto& diagnostic : diagnostics) UNSCOPED_INFO(diagnostic.to_string());
    CHECK_FALSE(parsed);
    REQUIRE(diagnostics.size() == 1);
    const Diagnostic& diagnostic = diagnostics.front();
    CHECK(diagnostic.file == "2026.yaml");
    if (row.line > 0) {
      CHECK(diagnostic.line == row.line);
      CHECK(diagnostic.column > 0);
      CHECK(diagnostic.key_path == row.key_path);
    }
    CHECK_FALSE(diagnostic.expected.zh_cn.empty());
    CHECK_FALSE(diagnostic.expected.en.empty());
  }
}

TEST_CASE("every calendar problem is reported at once", "[calendar]") {
  std::string text = replaced(kCalendarText, "  - 2026-02-28", "  - 2026-03-04");
  text = replaced(text, "from: 2026-02-15", "from: 2026-02-25");
  text += "note: x\n";
  Diagnostics diagnostics;
  CHECK_FALSE(parse_calendar_year(text, "2026.yaml", diagnostics));
  CHECK(diagnostics.size() == 3);
}

TEST_CASE("counting working days between dates", "[calendar]") {
  const auto& calendar = shipped_calendar();
  CHECK(calendar.count_working_days(date("2026-02-10"), date("2026-03-16")) == 20);
  CHECK(calendar.count_working_days(date("2026-02-13"), date("2026-02-24")) == 2);  // 02-14 and 02-24
  CHECK(calendar.count_working_days(date("2026-02-14"), date("2026-02-23")) == 0);  // the holiday
  CHECK(calendar.count_working_days(date("2026-09-30"), date("2026-10-10")) == 3);  // 10-08, 10-09, 10-10
  CHECK(calendar.count_working_days(date("2026-03-16"), date("2026-03-16")) == 0);
  CHECK(calendar.count_working_days(date("2026-03-16"), date("2026-03-10")) == 0);
}

TEST_CASE("subtracting working days before a date", "[calendar]") {
  const auto& calendar = shipped_calendar();
  CHECK(format_date(calendar.subtract_working_days(date("2026-02-24"), 1)) == "2026-02-14");  // make-up Saturday
  CHECK(format_date(calendar.subtract_working_days(date("2026-02-24"), 2)) == "2026-02-13");
  CHECK(format_date(calendar.subtract_working_days(date("2026-10-13"), 5)) == "2026-09-30");
  CHECK(format_date(calendar.subtract_working_days(date("2026-01-05"), 1)) == "2026-01-04");  // make-up Sunday
  CHECK(format_date(calendar.subtract_working_days(date("2026-01-04"), 1)) == "2025-12-31");  // year boundary
  CHECK(format_date(calendar.subtract_working_days(date("2026-03-16"), 0)) == "2026-03-13");
}

TEST_CASE("closures close make-up days too", "[calendar]") {
  WorkingDayCalendar calendar = shipped_calendar();
  calendar.add_closure(Holiday{{"临时闭馆", "Local closure"}, date("2026-02-27"), date("2026-02-28")});
  CHECK_FALSE(calendar.is_working_day(date("2026-02-27")));
  CHECK_FALSE(calendar.is_working_day(date("2026-02-28")));  // a make-up Saturday nationally
  CHECK(format_date(calendar.add_working_days(date("2026-02-26"), 1).due_date) == "2026-03-02");
  CHECK(calendar.has_year(2026));
  CHECK_FALSE(calendar.has_year(2027));
}

TEST_CASE("missing years over a span", "[calendar]") {
  const auto& calendar = shipped_calendar();
  CHECK(calendar.missing_years(date("2026-01-01"), date("2026-12-31")).empty());
  CHECK(calendar.missing_years(date("2024-12-01"), date("2027-02-01")) == std::vector<int>{2024, 2027});
}
