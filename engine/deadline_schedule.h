// Date arithmetic of deadline periods on a working-day calendar: due dates with pauses, the
// warning date, escalation dates and the light at a moment. Pure: dates only, no time zone.
#pragma once

#include "deadline.h"
#include "deadline_rule.h"
#include "working_day_calendar.h"

#include <optional>
#include <vector>

namespace sitecycle {

struct DueDate {
  Date due_on{};
  bool provisional = false;        // a year the period reached has no calendar loaded
  std::vector<int> missing_years;  // those years, ascending
};

// The last day of a period that started on `started_on` (not counted), with the clock stopped
// during `pauses` (sorted, non-overlapping; an open pause counts as if the clock had resumed on
// its first day). `field_date` is the date a before_date period counts back from. Returns
// nullopt when a before_date period has no field date.
// - working_days: the amount-th working day after the start.
// - calendar_days, months: the day so many days or months on (31 January plus one month is the
//   last day of February), moved to the next working day if it is not one.
// - before_date: the amount-th working day before the field date, or the day before it for 0.
// - yearly_by: the next month-day after the start, moved like calendar_days. A later cycle
//   starts on the due date of the one before, so each year is due once.
std::optional<DueDate> compute_due_date(const DeadlineDuration& duration, int amount, Date started_on,
                                        const std::vector<PauseInterval>& pauses, std::optional<Date> field_date,
                                        const WorkingDayCalendar& calendar);

// `date` plus `months` months, clamped to the last day of the target month.
Date add_months(Date date, int months);

// The first day on which at most `lead` working days are left before `due_on` (the due date
// itself for a lead of 0).
Date warning_date(Date due_on, int lead, const WorkingDayCalendar& calendar);

// The last day of an escalation step `after_working_days` working days past `due_on`.
Date escalation_date(Date due_on, int after_working_days, const WorkingDayCalendar& calendar);

// The light, the working days left or over and a short bilingual text, for a deadline seen on
// `today` at `now`.
DeadlineView view_deadline(const DeadlineRecord& record, Date today, Instant now, const WorkingDayCalendar& calendar);

// The working days left when the clock stopped: what remains of the period after the pause.
int working_days_left_at_pause(const DeadlineRecord& record, const WorkingDayCalendar& calendar);

}  // namespace sitecycle
