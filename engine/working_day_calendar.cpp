#include "working_day_calendar.h"

#include <algorithm>

namespace sitecycle {

namespace {

using std::chrono::sys_days;

bool is_weekend(sys_days day) {
  std::chrono::weekday weekday{day};
  return weekday == std::chrono::Saturday || weekday == std::chrono::Sunday;
}

int year_of(sys_days day) { return static_cast<int>(Date{day}.year()); }

}  // namespace

void WorkingDayCalendar::add_year(const CalendarYear& calendar_year) {
  YearDays days;
  for (const Holiday& holiday : calendar_year.holidays) {
    for (sys_days day = sys_days{holiday.from}; day <= sys_days{holiday.to}; day += std::chrono::days{1}) {
      days.holidays.insert(day);
    }
  }
  for (Date makeup : calendar_year.makeup_workdays) days.makeup_workdays.insert(sys_days{makeup});
  years_[calendar_year.year] = std::move(days);
}

bool WorkingDayCalendar::is_working_day(Date date) const {
  sys_days day{date};
  auto year = years_.find(static_cast<int>(date.year()));
  if (year == years_.end()) return !is_weekend(day);

  if (year->second.makeup_workdays.contains(day)) return true;
  if (year->second.holidays.contains(day)) return false;
  return !is_weekend(day);
}

WorkingDayResult WorkingDayCalendar::add_working_days(Date from, int count) const {
  WorkingDayResult result;
  count = std::max(count, 1);
  result.working_days.reserve(static_cast<std::size_t>(count));

  // A year counts as reached when any of its days is passed, worked or not, because a holiday
  // missing from an unpublished year could move the due date.
  sys_days day{from};
  while (static_cast<int>(result.working_days.size()) < count) {
    day += std::chrono::days{1};
    int year = year_of(day);
    if (!has_year(year) &&
        std::find(result.missing_years.begin(), result.missing_years.end(), year) == result.missing_years.end()) {
      result.missing_years.push_back(year);
    }
    if (is_working_day(Date{day})) result.working_days.push_back(Date{day});
  }

  result.due_date = result.working_days.back();
  result.provisional = !result.missing_years.empty();
  return result;
}

Date WorkingDayCalendar::add_calendar_days(Date from, int days) const {
  sys_days day = sys_days{from} + std::chrono::days{std::max(days, 0)};
  while (!is_working_day(Date{day})) day += std::chrono::days{1};
  return Date{day};
}

}  // namespace sitecycle
