#include "deadline_schedule.h"

#include <fmt/format.h>

#include <algorithm>

namespace sitecycle {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

Date next_working_day_from(Date date, const WorkingDayCalendar& calendar) {
  sys_days day{date};
  while (!calendar.is_working_day(Date{day})) day += days{1};
  return Date{day};
}

// "1 working day" or "N working days", for the English summaries.
std::string working_days_en(int count) { return fmt::format("{} working day{}", count, count == 1 ? "" : "s"); }

// Where an open pause ends for the arithmetic: it is treated as zero length.
Date pause_end(const PauseInterval& pause) { return pause.to ? *pause.to : pause.from; }

Date due_in_working_days(int amount, Date started_on, const std::vector<PauseInterval>& pauses,
                         const WorkingDayCalendar& calendar) {
  int remaining = amount;
  Date cursor = started_on;
  for (const PauseInterval& pause : pauses) {
    int used = calendar.count_working_days(cursor, pause.from);
    if (used >= remaining) break;
    remaining -= used;
    cursor = std::max(pause_end(pause), cursor, [](Date a, Date b) { return sys_days{a} < sys_days{b}; });
  }
  return calendar.add_working_days(cursor, remaining).due_date;
}

Date due_in_calendar_days(int amount, Date started_on, const std::vector<PauseInterval>& pauses,
                          const WorkingDayCalendar& calendar) {
  int remaining = amount;
  sys_days cursor{started_on};
  for (const PauseInterval& pause : pauses) {
    int used = static_cast<int>((sys_days{pause.from} - cursor).count());
    if (used >= remaining) break;
    remaining -= std::max(used, 0);
    cursor = std::max(sys_days{pause_end(pause)}, cursor);
  }
  return next_working_day_from(Date{cursor + days{remaining}}, calendar);
}

Date due_in_months(int amount, Date started_on, const std::vector<PauseInterval>& pauses,
                   const WorkingDayCalendar& calendar) {
  sys_days due{add_months(started_on, amount)};
  for (const PauseInterval& pause : pauses) {
    if (sys_days{pause.from} >= due) break;
    due += sys_days{pause_end(pause)} - sys_days{pause.from};
  }
  return next_working_day_from(Date{due}, calendar);
}

Date due_yearly(std::chrono::month_day month_day, Date after) {
  Date candidate = after.year() / month_day.month() / month_day.day();
  if (sys_days{candidate} <= sys_days{after}) candidate = (after.year() + std::chrono::years{1}) / month_day.month() / month_day.day();
  return candidate;
}

}  // namespace

Date add_months(Date date, int months) {
  std::chrono::year_month target = date.year() / date.month();
  target += std::chrono::months{months};
  std::chrono::day last = (target / std::chrono::last).day();
  return target / std::min(date.day(), last);
}

std::optional<DueDate> compute_due_date(const DeadlineDuration& duration, int amount, Date started_on,
                                        const std::vector<PauseInterval>& pauses, std::optional<Date> field_date,
                                        const WorkingDayCalendar& calendar) {
  DueDate result;
  Date counted_from = started_on;
  switch (duration.kind) {
    case DurationKind::working_days:
      result.due_on = due_in_working_days(amount, started_on, pauses, calendar);
      break;
    case DurationKind::calendar_days:
      result.due_on = due_in_calendar_days(amount, started_on, pauses, calendar);
      break;
    case DurationKind::months:
      result.due_on = due_in_months(amount, started_on, pauses, calendar);
      break;
    case DurationKind::before_date:
      if (!field_date) return std::nullopt;
      result.due_on = amount > 0 ? calendar.subtract_working_days(*field_date, amount)
                                 : Date{sys_days{*field_date} - days{1}};
      counted_from = std::min(started_on, result.due_on, [](Date a, Date b) { return sys_days{a} < sys_days{b}; });
      break;
    case DurationKind::yearly_by:
      result.due_on = next_working_day_from(due_yearly(duration.yearly_by, started_on),
                                            calendar);
      break;
  }
  Date first_counted{sys_days{counted_from} + days{1}};
  Date last_looked_at{sys_days{result.due_on} + days{1}};  // moving off a day off may look one day on
  if (sys_days{first_counted} <= sys_days{last_looked_at}) {
    result.missing_years = calendar.missing_years(first_counted, last_looked_at);
  }
  // Only the due date's own span matters: a year after it does not move it.
  std::erase_if(result.missing_years, [&](int year) { return year > static_cast<int>(result.due_on.year()); });
  result.provisional = !result.missing_years.empty();
  return result;
}

Date warning_date(Date due_on, int lead, const WorkingDayCalendar& calendar) {
  if (lead <= 0) return due_on;
  return calendar.subtract_working_days(due_on, lead);
}

Date escalation_date(Date due_on, int after_working_days, const WorkingDayCalendar& calendar) {
  if (after_working_days <= 0) return due_on;
  return calendar.add_working_days(due_on, after_working_days).due_date;
}

int working_days_left_at_pause(const DeadlineRecord& record, const WorkingDayCalendar& calendar) {
  if (record.pauses.empty() || record.pauses.back().to) return 0;
  return calendar.count_working_days(record.pauses.back().from, record.due_on);
}

DeadlineView view_deadline(const DeadlineRecord& record, Date today, Instant now, const WorkingDayCalendar& calendar) {
  DeadlineView view;
  if (!is_open(record.state)) return view;
  bool late = record.state.progress == DeadlineProgress::breached || record.state.progress == DeadlineProgress::escalated;
  if (record.state.paused && late && !record.pauses.empty()) {
    // The clock ran out before it stopped, so the days over are counted up to the pause.
    view.light = DeadlineLight::red;
    view.working_days_over = calendar.count_working_days(record.due_on, record.pauses.back().from);
    view.summary = {fmt::format("已超期 {} 个工作日（计时暂停）", view.working_days_over),
                    fmt::format("{} overdue (clock paused)", working_days_en(view.working_days_over))};
    return view;
  }
  if (record.state.paused) {
    view.light = DeadlineLight::grey;
    view.working_days_left = working_days_left_at_pause(record, calendar);
    view.summary = {fmt::format("已暂停（剩余 {} 个工作日）", view.working_days_left),
                    fmt::format("paused ({} left)", working_days_en(view.working_days_left))};
    return view;
  }
  if (now >= record.due_at) {
    view.light = DeadlineLight::red;
    // Over a weekend right after the due date no working day has passed yet, but it is overdue.
    view.working_days_over = calendar.count_working_days(record.due_on, today);
    if (view.working_days_over == 0) {
      view.summary = {"已超期", "overdue"};
    } else {
      view.summary = {fmt::format("已超期 {} 个工作日", view.working_days_over),
                      fmt::format("{} overdue", working_days_en(view.working_days_over))};
    }
    return view;
  }
  view.working_days_left = calendar.count_working_days(today, record.due_on);
  view.light = view.working_days_left <= record.warning_working_days ? DeadlineLight::yellow : DeadlineLight::green;
  if (view.working_days_left == 0) {
    view.summary = {"今日到期", "due today"};
  } else {
    view.summary = {fmt::format("剩余 {} 个工作日", view.working_days_left),
                    fmt::format("{} left", working_days_en(view.working_days_left))};
  }
  return view;
}

std::string_view to_string(DeadlineLight light) {
  switch (light) {
    case DeadlineLight::green: return "green";
    case DeadlineLight::yellow: return "yellow";
    case DeadlineLight::red: return "red";
    case DeadlineLight::grey: return "grey";
    case DeadlineLight::none: break;
  }
  return "none";
}

}  // namespace sitecycle
