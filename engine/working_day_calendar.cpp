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

std::string_view to_string(SpecialDayKind kind) {
  switch (kind) {
    case SpecialDayKind::holiday:
      return "holiday";
    case SpecialDayKind::makeup_workday:
      return "makeup_workday";
    case SpecialDayKind::closure:
      return "closure";
  }
  return "holiday";
}

void WorkingDayCalendar::add_year(const CalendarYear& calendar_year) {
  YearDays days;
  for (const Holiday& holiday : calendar_year.holidays) {
    for (sys_days day = sys_days{holiday.from}; day <= sys_days{holiday.to}; day += std::chrono::days{1}) {
      days.holidays.emplace(day, holiday.name);
    }
  }
  for (Date makeup : calendar_year.makeup_workdays) days.makeup_workdays.insert(sys_days{makeup});
  years_[calendar_year.year] = std::move(days);
}

void WorkingDayCalendar::add_closure(const Holiday& closure) {
  for (sys_days day = sys_days{closure.from}; day <= sys_days{closure.to}; day += std::chrono::days{1}) {
    closures_.insert_or_assign(day, closure.name);
  }
}

bool WorkingDayCalendar::is_working_day(Date date) const {
  sys_days day{date};
  if (closures_.contains(day)) return false;
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

int WorkingDayCalendar::count_working_days(Date after, Date through) const {
  int count = 0;
  for (sys_days day = sys_days{after} + std::chrono::days{1}; day <= sys_days{through}; day += std::chrono::days{1}) {
    if (is_working_day(Date{day})) ++count;
  }
  return count;
}

Date WorkingDayCalendar::subtract_working_days(Date from, int count) const {
  count = std::max(count, 1);
  sys_days day{from};
  while (count > 0) {
    day -= std::chrono::days{1};
    if (is_working_day(Date{day})) --count;
  }
  return Date{day};
}

std::vector<int> WorkingDayCalendar::missing_years(Date from, Date through) const {
  std::vector<int> missing;
  for (int year = static_cast<int>(from.year()); year <= static_cast<int>(through.year()); ++year) {
    if (!has_year(year)) missing.push_back(year);
  }
  return missing;
}

std::vector<int> WorkingDayCalendar::loaded_years() const {
  std::vector<int> years;
  for (const auto& [year, days] : years_) years.push_back(year);
  return years;
}

std::vector<SpecialDay> WorkingDayCalendar::special_days(Date from, Date through) const {
  std::vector<SpecialDay> special;
  for (sys_days day = sys_days{from}; day <= sys_days{through}; day += std::chrono::days{1}) {
    if (auto closure = closures_.find(day); closure != closures_.end()) {
      special.push_back({Date{day}, SpecialDayKind::closure, closure->second});
      continue;
    }
    auto year = years_.find(year_of(day));
    if (year == years_.end()) continue;
    if (year->second.makeup_workdays.contains(day)) {
      special.push_back({Date{day}, SpecialDayKind::makeup_workday, {}});
    } else if (auto holiday = year->second.holidays.find(day); holiday != year->second.holidays.end()) {
      special.push_back({Date{day}, SpecialDayKind::holiday, holiday->second});
    }
  }
  return special;
}

}  // namespace sitecycle
