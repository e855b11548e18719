// Working-day arithmetic on civil dates, from the public holidays and make-up working days that
// the State Council publishes once a year.
#pragma once

#include "instant.h"
#include "localized_text.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sitecycle {

// One named run of days off, both ends included.
struct Holiday {
  LocalizedText name;
  Date from{};
  Date to{};
};

// The published calendar of one year: its holidays and the Saturdays or Sundays worked instead
// (调休上班). The loader guarantees every date lies in `year` and no day is both.
struct CalendarYear {
  std::string calendar;  // Region code, such as "CN".
  int year = 0;
  std::string notice;
  std::optional<std::string> notice_number;
  std::string notice_date;
  std::string source_url;
  std::vector<Holiday> holidays;
  std::vector<Date> makeup_workdays;
};

struct WorkingDayResult {
  Date due_date{};
  // The working days counted, in order. The last one is `due_date`.
  std::vector<Date> working_days;
  // True when the count reached a year with no calendar loaded. Only weekends are days off in
  // such a year, so the due date may move once its notice is loaded.
  bool provisional = false;
  // The years without a calendar that the count reached, ascending.
  std::vector<int> missing_years;
};

// A day that differs from a plain week, for a calendar display.
enum class SpecialDayKind { holiday, makeup_workday, closure };
std::string_view to_string(SpecialDayKind kind);

struct SpecialDay {
  Date date{};
  SpecialDayKind kind = SpecialDayKind::holiday;
  LocalizedText name;  // the holiday's or closure's name; empty for a make-up working day
};

// Working days of the loaded years. A working day is Monday to Friday not inside a
// holiday, plus each listed make-up Saturday or Sunday. Years with no calendar use weekends only.
// Pure: no clock, no time zone, no I/O. Immutable after loading, so const calls may run from
// several threads at once.
class WorkingDayCalendar {
 public:
  // Adds or replaces the calendar of `calendar_year.year`.
  void add_year(const CalendarYear& calendar_year);
  // Adds days off of a local overlay (for example a closure ordered by the city). They close the
  // office even on a make-up working day, and they do not count as a loaded year.
  void add_closure(const Holiday& closure);
  bool has_year(int year) const { return years_.contains(year); }
  // The years with a calendar loaded, ascending.
  std::vector<int> loaded_years() const;
  // The holidays, closures and make-up working days from `from` to `through` (both included), by
  // date. A holiday on a weekend is listed too: the notice names it.
  std::vector<SpecialDay> special_days(Date from, Date through) const;

  bool is_working_day(Date date) const;

  // Counts `count` working days after `from`. The day `from` itself is not counted, and the due
  // date is always a working day. Requires a valid `from` and count >= 1 (a smaller count is
  // treated as 1).
  WorkingDayResult add_working_days(Date from, int count) const;

  // Adds `days` calendar days to `from` and moves a result that falls on a non-working day to
  // the next working day. Requires a valid `from` and days >= 0 (a negative count is treated as 0).
  // Unlike add_working_days, this does not report years with no calendar: callers ask
  // missing_years for the span they counted.
  Date add_calendar_days(Date from, int days) const;

  // The number of working days d with after < d <= through; 0 when through <= after.
  int count_working_days(Date after, Date through) const;

  // The `count`-th working day before `from`, which is not counted; a count below 1 is treated
  // as 1. Used for duties due a number of working days before a date.
  Date subtract_working_days(Date from, int count) const;

  // The years from `from` to `through` (both included) that have no calendar loaded, ascending.
  std::vector<int> missing_years(Date from, Date through) const;

 private:
  struct YearDays {
    std::map<std::chrono::sys_days, LocalizedText> holidays;  // each day with its holiday's name
    std::set<std::chrono::sys_days> makeup_workdays;
  };
  std::map<int, YearDays> years_;
  std::map<std::chrono::sys_days, LocalizedText> closures_;
};

}  // namespace sitecycle
