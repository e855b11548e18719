// Due dates, warning and escalation dates and lights on the shipped CN calendars. Every expected
// date was counted by hand from workflows/calendars/CN/2024.yaml, 2025.yaml and 2026.yaml, and
// the comment beside it lists the days counted. "WD" is a working day, and the start day is
// never counted.
//
// 2026 days off used below: 01-01..01-03 (make-up Sunday 01-04), 02-15..02-23 (make-up Saturdays
// 02-14 and 02-28), 04-04..04-06, 05-01..05-05 (make-up Saturday 05-09), 06-19..06-21,
// 09-25..09-27, 10-01..10-07 (make-up Sunday 09-20 and Saturday 10-10).
#include "engine/deadline_schedule.h"

#include "deadline_test_support.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

using namespace sitecycle;
using sitecycle::testing::day;
using sitecycle::testing::shanghai_time;
using std::chrono::sys_days;

namespace {

const WorkingDayCalendar& calendar_2024_to_2026() {
  static const WorkingDayCalendar calendar = sitecycle::testing::shipped_cn_calendar({2024, 2025, 2026});
  return calendar;
}

DeadlineDuration duration_of(DurationKind kind) {
  DeadlineDuration duration;
  duration.kind = kind;
  return duration;
}

DeadlineDuration yearly_by(unsigned month, unsigned day_of_month) {
  DeadlineDuration duration = duration_of(DurationKind::yearly_by);
  duration.yearly_by = std::chrono::month{month} / std::chrono::day{day_of_month};
  return duration;
}

// Computes a due date and fails the test when there is none.
DueDate due(const DeadlineDuration& duration, int amount, const char* started_on,
            const std::vector<PauseInterval>& pauses = {}, std::optional<Date> field_date = std::nullopt,
            const WorkingDayCalendar& calendar = calendar_2024_to_2026()) {
  std::optional<DueDate> result = compute_due_date(duration, amount, day(started_on), pauses, field_date, calendar);
  REQUIRE(result);
  return *result;
}

std::string text(Date date) { return format_date(date); }

PauseInterval pause(const char* from, const char* to) { return PauseInterval{day(from), day(to)}; }
PauseInterval open_pause(const char* from) { return PauseInterval{day(from), std::nullopt}; }

}  // namespace

TEST_CASE("working-day periods follow the shipped calendars", "[deadline][schedule]") {
  struct Row {
    const char* from;
    int count;
    const char* expected;
  };
  const std::vector<Row> rows{
      // Spring Festival 2026: 02-11, 02-12, 02-13 (3), Sat 02-14 make-up (4), 02-15..02-23 off,
      // 02-24..02-27 (8), Sat 02-28 make-up (9), 03-02..03-06 (14), 03-09..03-13 (19), 03-16 (20).
      {"2026-02-10", 20, "2026-03-16"},
      {"2026-02-13", 1, "2026-02-14"},  // the make-up Saturday counts
      {"2026-02-13", 2, "2026-02-24"},  // then nine days off
      // 02-10..02-13 (4), 02-14 (5), 02-24..02-27 (9), 02-28 (10): due on the make-up Saturday.
      {"2026-02-09", 10, "2026-02-28"},
      // National Day 2026: 10-01..10-07 off, 10-08 (1), 10-09 (2), Sat 10-10 make-up (3), 10-12, 10-13.
      {"2026-09-30", 5, "2026-10-13"},
      {"2026-09-18", 1, "2026-09-20"},  // Sun 09-20 is a make-up working day
      // Year boundary: 2026-01-01..01-03 off, Sun 01-04 make-up.
      {"2025-12-31", 1, "2026-01-04"},
      {"2025-12-29", 5, "2026-01-06"},  // 12-30, 12-31, 01-04, 01-05, 01-06
      // Month end into Labour Day: 05-01..05-05 off, then 05-06, 05-07, 05-08.
      {"2026-04-30", 3, "2026-05-08"},
      // 2024: New Year's Eve (Fri 02-09) was a working day, 02-10..02-17 off, Sun 02-18 make-up:
      // 02-09 (1), 02-18 (2), 02-19, 02-20, 02-21 (5).
      {"2024-02-08", 5, "2024-02-21"},
      // An ordinary fortnight: 03-03..03-06 (4), 03-09..03-13 (9), 03-16 (10).
      {"2026-03-02", 10, "2026-03-16"},
  };
  for (const Row& row : rows) {
    INFO(row.from << " + " << row.count << " WD");
    DueDate result = due(duration_of(DurationKind::working_days), row.count, row.from);
    CHECK(text(result.due_on) == row.expected);
    CHECK_FALSE(result.provisional);
    CHECK(result.missing_years.empty());
  }
}

TEST_CASE("pauses shift working-day periods", "[deadline][schedule]") {
  struct Row {
    const char* name;
    const char* started_on;
    std::vector<PauseInterval> pauses;
    const char* expected;
  };
  // Without pauses 10 WD from Mon 2026-03-02 end on 03-16.
  const std::vector<Row> rows{
      {"no pause", "2026-03-02", {}, "2026-03-16"},
      // 03-03 and the pause day 03-04 are used (2). Counting resumes on 03-09 after the resume
      // day Fri 03-06: 03-09..03-13 (7), 03-16, 03-17, 03-18 (10). Paused WD 03-05 and 03-06 add 2.
      {"one pause", "2026-03-02", {pause("2026-03-04", "2026-03-06")}, "2026-03-18"},
      // As above, then 03-09, 03-10 used (4). Resumed after 03-11: 03-12, 03-13, 03-16..03-19 (10).
      {"two pauses", "2026-03-02", {pause("2026-03-04", "2026-03-06"), pause("2026-03-10", "2026-03-11")}, "2026-03-19"},
      // The clock had run out on 03-16 before the pause of 03-20 began.
      {"a pause after the due date", "2026-03-02", {pause("2026-03-20", "2026-03-25")}, "2026-03-16"},
      // An open pause counts as if the clock ran again the day after its first day.
      {"an open pause", "2026-03-02", {open_pause("2026-03-04")}, "2026-03-16"},
      // Paused over Spring Festival: 02-10, 02-11, 02-12 used (3). Resumed after 02-25:
      // 02-26, 02-27 (5), Sat 02-28 make-up (6), 03-02..03-05 (10).
      {"a pause over Spring Festival", "2026-02-09", {pause("2026-02-12", "2026-02-25")}, "2026-03-05"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    CHECK(text(due(duration_of(DurationKind::working_days), 10, row.started_on, row.pauses).due_on) == row.expected);
  }
}

TEST_CASE("calendar-day periods move off days off", "[deadline][schedule]") {
  struct Row {
    const char* from;
    int days;
    std::vector<PauseInterval> pauses;
    const char* expected;
  };
  const std::vector<Row> rows{
      {"2026-09-21", 10, {}, "2026-10-08"},  // 10-01 is National Day, and 10-02..10-07 are off too
      {"2026-02-05", 10, {}, "2026-02-24"},  // Sun 02-15 opens Spring Festival, off until 02-23
      {"2026-02-04", 10, {}, "2026-02-14"},  // Sat 02-14 is a make-up working day and stays
      {"2026-03-14", 0, {}, "2026-03-16"},   // 0 days from a Saturday: the next working day
      {"2026-03-02", 10, {}, "2026-03-12"},  // a Thursday, no move
      // 03-03, 03-04, 03-05 used (3). Resumed after 03-08, 7 more days end on Sun 03-15 -> Mon 03-16.
      {"2026-03-02", 10, {pause("2026-03-05", "2026-03-08")}, "2026-03-16"},
  };
  for (const Row& row : rows) {
    INFO(row.from << " + " << row.days << " days");
    CHECK(text(due(duration_of(DurationKind::calendar_days), row.days, row.from, row.pauses).due_on) == row.expected);
  }
}

TEST_CASE("add_months clamps to the month end", "[deadline][schedule]") {
  CHECK(text(add_months(day("2026-01-31"), 1)) == "2026-02-28");
  CHECK(text(add_months(day("2024-01-31"), 1)) == "2024-02-29");  // leap year
  CHECK(text(add_months(day("2026-03-31"), 1)) == "2026-04-30");
  CHECK(text(add_months(day("2026-12-31"), 2)) == "2027-02-28");  // across the year end
  CHECK(text(add_months(day("2026-01-15"), 12)) == "2027-01-15");
  CHECK(text(add_months(day("2025-08-31"), 6)) == "2026-02-28");
}

TEST_CASE("month periods clamp then move", "[deadline][schedule]") {
  struct Row {
    const char* from;
    int months;
    std::vector<PauseInterval> pauses;
    const char* expected;
  };
  const std::vector<Row> rows{
      {"2026-01-31", 1, {}, "2026-02-28"},  // clamped to Sat 02-28, a make-up working day
      {"2024-01-31", 1, {}, "2024-02-29"},  // clamped to Thu 02-29 in the leap year
      {"2025-01-31", 1, {}, "2025-02-28"},  // Fri
      {"2026-04-01", 6, {}, "2026-10-08"},  // 10-01 National Day, off until 10-07
      {"2026-03-31", 2, {}, "2026-06-01"},  // Sun 05-31 moves to Mon 06-01
      // 04-02 plus the two paused days (03-11, 03-12) is Sat 04-04, in Qingming (04-04..04-06).
      {"2026-03-02", 1, {pause("2026-03-10", "2026-03-12")}, "2026-04-07"},
  };
  for (const Row& row : rows) {
    INFO(row.from << " + " << row.months << " months");
    CHECK(text(due(duration_of(DurationKind::months), row.months, row.from, row.pauses).due_on) == row.expected);
  }
}

TEST_CASE("before_date periods count back", "[deadline][schedule]") {
  DeadlineDuration before = duration_of(DurationKind::before_date);
  before.date_field = "hearing_on";

  // From Fri 2026-10-09 back: 10-08 (1), 10-01..10-07 off, 09-30 (2), 09-29 (3), 09-28 (4),
  // 09-25..09-27 off, 09-24 (5).
  CHECK(text(due(before, 5, "2026-09-01", {}, day("2026-10-09")).due_on) == "2026-09-24");
  // With no lead the duty is due the day before the date.
  CHECK(text(due(before, 0, "2026-09-01", {}, day("2026-10-09")).due_on) == "2026-10-08");
  // A field date that is already past still gives a due date, which is then overdue.
  CHECK(text(due(before, 0, "2026-10-20", {}, day("2026-10-09")).due_on) == "2026-10-08");
  // Without the field date there is nothing to count from.
  CHECK_FALSE(compute_due_date(before, 5, day("2026-09-01"), {}, std::nullopt, calendar_2024_to_2026()));
}

TEST_CASE("yearly_by periods due once yearly", "[deadline][schedule]") {
  // Thu 2026-12-31 is a working day.
  CHECK(text(due(yearly_by(12, 31), 0, "2026-03-01").due_on) == "2026-12-31");
  // A cycle starting on its own due date waits for the next year, which has no calendar yet.
  DueDate next_year = due(yearly_by(12, 31), 0, "2026-12-31");
  CHECK(text(next_year.due_on) == "2027-12-31");  // a Friday on weekends alone
  CHECK(next_year.provisional);
  CHECK(next_year.missing_years == std::vector<int>{2027});
  // 2026-10-01 is National Day, so the duty moves to Thu 10-08.
  CHECK(text(due(yearly_by(10, 1), 0, "2026-03-01").due_on) == "2026-10-08");
  // 2026-01-01 opens the New Year holiday, and Sun 01-04 is its make-up working day.
  CHECK(text(due(yearly_by(1, 1), 0, "2025-06-01").due_on) == "2026-01-04");
  // The next cycle starts on that moved due date and still lands in the following year.
  CHECK(text(due(yearly_by(1, 1), 0, "2026-01-04").due_on) == "2027-01-01");
}

TEST_CASE("due dates in 2027 are provisional", "[deadline][schedule]") {
  // 12-28..12-31 (4), then Fri 2027-01-01 counts on weekends alone (it is almost surely a holiday).
  DueDate into_2027 = due(duration_of(DurationKind::working_days), 5, "2026-12-25");
  CHECK(text(into_2027.due_on) == "2027-01-01");
  CHECK(into_2027.provisional);
  CHECK(into_2027.missing_years == std::vector<int>{2027});

  // 12-25, 12-28..12-31: due within 2026, so the missing 2027 does not matter.
  DueDate within_2026 = due(duration_of(DurationKind::working_days), 5, "2026-12-24");
  CHECK(text(within_2026.due_on) == "2026-12-31");
  CHECK_FALSE(within_2026.provisional);
  CHECK(within_2026.missing_years.empty());

  // 12 days from 2026-12-20 is Fri 2027-01-01.
  DueDate calendar_days = due(duration_of(DurationKind::calendar_days), 12, "2026-12-20");
  CHECK(text(calendar_days.due_on) == "2027-01-01");
  CHECK(calendar_days.missing_years == std::vector<int>{2027});

  // 400 days from 2026-12-01: 30 to 2026-12-31, 365 to 2027-12-31, 5 more to Wed 2028-01-05.
  DueDate two_years = due(duration_of(DurationKind::calendar_days), 400, "2026-12-01");
  CHECK(text(two_years.due_on) == "2028-01-05");
  CHECK(two_years.missing_years == std::vector<int>{2027, 2028});
}

TEST_CASE("warning and escalation dates", "[deadline][schedule]") {
  const WorkingDayCalendar& calendar = calendar_2024_to_2026();
  // 3 WD before Mon 03-16: 03-13, 03-12, 03-11. On 03-11 exactly 3 are left (03-12, 03-13, 03-16).
  CHECK(text(warning_date(day("2026-03-16"), 3, calendar)) == "2026-03-11");
  CHECK(calendar.count_working_days(day("2026-03-11"), day("2026-03-16")) == 3);
  CHECK(calendar.count_working_days(day("2026-03-10"), day("2026-03-16")) == 4);
  // Before Tue 02-24: 02-15..02-23 off, Sat 02-14 make-up (1), 02-13 (2), 02-12 (3).
  CHECK(text(warning_date(day("2026-02-24"), 3, calendar)) == "2026-02-12");
  CHECK(text(warning_date(day("2026-02-24"), 0, calendar)) == "2026-02-24");

  // 5 WD after 09-30: 10-08, 10-09, Sat 10-10, 10-12, 10-13.
  CHECK(text(escalation_date(day("2026-09-30"), 5, calendar)) == "2026-10-13");
  CHECK(text(escalation_date(day("2026-02-13"), 2, calendar)) == "2026-02-24");
  CHECK(text(escalation_date(day("2026-02-13"), 0, calendar)) == "2026-02-13");
}

namespace {

// An armed deadline due at the end of `due_on` in Shanghai, warning 3 WD ahead.
DeadlineRecord record_due_on(const char* due_on) {
  DeadlineRecord record;
  record.due_on = day(due_on);
  record.due_at = shanghai_time(Date{sys_days{record.due_on} + std::chrono::days{1}}, 0);
  record.warning_working_days = 3;
  return record;
}

}  // namespace

TEST_CASE("view_deadline lights", "[deadline][schedule]") {
  const WorkingDayCalendar& calendar = calendar_2024_to_2026();
  struct Row {
    const char* name;
    const char* today;
    int hour;
    DeadlineLight light;
    int left;
    int over;
    const char* summary_en;
    const char* summary_zh;
  };
  // Due Mon 2026-03-16 (ends 2026-03-16T16:00:00Z).
  const std::vector<Row> rows{
      {"4 WD left", "2026-03-10", 12, DeadlineLight::green, 4, 0, "4 working days left", "剩余 4 个工作日"},
      {"3 WD left", "2026-03-11", 12, DeadlineLight::yellow, 3, 0, "3 working days left", "剩余 3 个工作日"},
      {"a Saturday with 1 WD left", "2026-03-14", 12, DeadlineLight::yellow, 1, 0, "1 working day left",
       "剩余 1 个工作日"},
      {"the due day", "2026-03-16", 12, DeadlineLight::yellow, 0, 0, "due today", "今日到期"},
      {"the due day's last minute", "2026-03-16", 23, DeadlineLight::yellow, 0, 0, "due today", "今日到期"},
      {"the day after", "2026-03-17", 0, DeadlineLight::red, 0, 1, "1 working day overdue", "已超期 1 个工作日"},
      {"two days after", "2026-03-18", 9, DeadlineLight::red, 0, 2, "2 working days overdue", "已超期 2 个工作日"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    DeadlineView view =
        view_deadline(record_due_on("2026-03-16"), day(row.today), shanghai_time(day(row.today), row.hour, 59), calendar);
    CHECK(view.light == row.light);
    CHECK(view.working_days_left == row.left);
    CHECK(view.working_days_over == row.over);
    CHECK(view.summary.en == row.summary_en);
    CHECK(view.summary.zh_cn == row.summary_zh);
  }

  SECTION("red from the first instant after the due day") {
    DeadlineRecord record = record_due_on("2026-03-16");
    CHECK(view_deadline(record, day("2026-03-16"), record.due_at - std::chrono::seconds{1}, calendar).light ==
          DeadlineLight::yellow);
    CHECK(view_deadline(record, day("2026-03-17"), record.due_at, calendar).light == DeadlineLight::red);
  }

  SECTION("overdue over a weekend before any working day passed") {
    // Due Fri 03-13, so on Sat 03-14 it is overdue by 0 working days.
    DeadlineView view = view_deadline(record_due_on("2026-03-13"), day("2026-03-14"),
                                      shanghai_time(day("2026-03-14"), 10), calendar);
    CHECK(view.light == DeadlineLight::red);
    CHECK(view.working_days_over == 0);
    CHECK(view.summary.en == "overdue");
  }

  SECTION("overdue across National Day") {
    // Due 09-30, so on 10-08 one working day (10-08) has passed.
    DeadlineView view = view_deadline(record_due_on("2026-09-30"), day("2026-10-08"),
                                      shanghai_time(day("2026-10-08"), 10), calendar);
    CHECK(view.light == DeadlineLight::red);
    CHECK(view.working_days_over == 1);
  }

  SECTION("grey while paused, with what was left at the pause") {
    DeadlineRecord record = record_due_on("2026-03-16");
    record.state.paused = true;
    record.pauses = {open_pause("2026-03-05")};
    // Left after the pause day 03-05: 03-06, 03-09..03-13, 03-16.
    DeadlineView view = view_deadline(record, day("2026-03-20"), shanghai_time(day("2026-03-20"), 10), calendar);
    CHECK(view.light == DeadlineLight::grey);
    CHECK(view.working_days_left == 7);
    CHECK(view.summary.en == "paused (7 working days left)");
    CHECK(view.summary.zh_cn == "已暂停（剩余 7 个工作日）");
  }

  SECTION("none once met or cancelled") {
    for (DeadlineProgress progress : {DeadlineProgress::met, DeadlineProgress::cancelled}) {
      DeadlineRecord record = record_due_on("2026-03-16");
      record.state.progress = progress;
      DeadlineView view = view_deadline(record, day("2026-03-20"), shanghai_time(day("2026-03-20"), 10), calendar);
      CHECK(view.light == DeadlineLight::none);
      CHECK(view.summary.en.empty());
    }
  }
}

namespace {

// Sets TZ for the process and restores the previous value when destroyed.
class ProcessTimeZone {
 public:
  explicit ProcessTimeZone(const char* zone) {
    if (const char* previous = std::getenv("TZ")) previous_ = previous;
    ::setenv("TZ", zone, 1);
    ::tzset();
  }
  ~ProcessTimeZone() {
    if (previous_) {
      ::setenv("TZ", previous_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }
  ProcessTimeZone(const ProcessTimeZone&) = delete;
  ProcessTimeZone& operator=(const ProcessTimeZone&) = delete;

 private:
  std::optional<std::string> previous_;
};

// A few results of every kind of computation, rendered as text.
std::string schedule_sample() {
  const WorkingDayCalendar& calendar = calendar_2024_to_2026();
  std::string sample;
  sample += text(due(duration_of(DurationKind::working_days), 20, "2026-02-10").due_on) + " ";
  sample += text(due(duration_of(DurationKind::working_days), 10, "2026-03-02", {pause("2026-03-04", "2026-03-06")}).due_on) + " ";
  sample += text(due(duration_of(DurationKind::calendar_days), 10, "2026-09-21").due_on) + " ";
  sample += text(due(duration_of(DurationKind::months), 1, "2026-01-31").due_on) + " ";
  sample += text(due(yearly_by(12, 31), 0, "2026-12-31").due_on) + " ";
  sample += text(warning_date(day("2026-02-24"), 3, calendar)) + " ";
  sample += text(escalation_date(day("2026-09-30"), 5, calendar)) + " ";
  DeadlineView view = view_deadline(record_due_on("2026-03-16"), day("2026-03-11"), shanghai_time(day("2026-03-11"), 8), calendar);
  sample += std::string(to_string(view.light)) + " " + view.summary.en;
  return sample;
}

}  // namespace

TEST_CASE("schedule ignores the process time zone", "[deadline][schedule]") {
  const std::string expected =
      "2026-03-16 2026-03-18 2026-10-08 2026-02-28 2027-12-31 2026-02-12 2026-10-13 yellow 3 working days left";
  CHECK(schedule_sample() == expected);
  for (const char* zone : {"UTC", "Asia/Shanghai", "Pacific/Kiritimati", "America/Los_Angeles", "Pacific/Pago_Pago"}) {
    INFO("TZ=" << zone);
    ProcessTimeZone process_zone(zone);
    CHECK(schedule_sample() == expected);
  }
}

TEST_CASE("paused overdue deadline stays red", "[deadline][schedule]") {
  const WorkingDayCalendar& calendar = calendar_2024_to_2026();
  DeadlineRecord record;
  record.state = DeadlineState{DeadlineProgress::breached, true};
  record.due_on = *parse_date("2026-03-16");
  record.due_at = *parse_utc_instant("2026-03-16T16:00:00Z");
  record.pauses = {PauseInterval{*parse_date("2026-03-20"), std::nullopt}};  // four working days late
  DeadlineView view = view_deadline(record, *parse_date("2026-04-20"), *parse_utc_instant("2026-04-20T02:00:00Z"), calendar);
  CHECK(view.light == DeadlineLight::red);
  CHECK(view.working_days_over == 4);
  CHECK(view.summary.en == "4 working days overdue (clock paused)");
  CHECK(deadline_status_name(record.state) == "breached");
}
