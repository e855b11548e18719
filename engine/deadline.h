// One running (or ended) deadline of a case, as stored, and how it looks at a given moment.
#pragma once

#include "deadline_lifecycle.h"
#include "instant.h"
#include "localized_text.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

// Conversion between civil dates and instants in an IANA time zone. The engine reads no time
// zone database, so adapters/ supplies the implementation.
class TimeZones {
 public:
  virtual ~TimeZones() = default;
  // The first instant of `date` in `zone` (00:00 local time).
  virtual Instant start_of_day(Date date, std::string_view zone) const = 0;
  virtual Date local_date(Instant instant, std::string_view zone) const = 0;
};

// A span during which the clock stood still. The clock stops after the day `from` (which was
// used) and runs again from the day after `to`. `to` is empty while the pause lasts.
struct PauseInterval {
  Date from{};
  std::optional<Date> to;
  bool operator==(const PauseInterval&) const = default;
};

// One cycle of a deadline rule on one case. A rule without repeat has one cycle per start. A
// restart or a recurring rule ends a cycle and starts the next with `cycle` + 1.
struct DeadlineRecord {
  std::int64_t id = 0;  // assigned by the store
  std::string case_id;
  std::string workflow_id;
  int workflow_version = 0;
  std::string rule_id;
  int cycle = 1;
  std::string agency_id;
  std::string calendar_id;
  std::string time_zone;
  std::string responsible;  // the role that must act

  DeadlineState state;
  int amount = 0;  // the period in the rule's unit, after the agency's override
  int warning_working_days = 3;
  Date started_on{};
  Instant started_at{};
  // A fixed cadence (repeat from the previous due date) counts every cycle from the first
  // cycle's start, so month ends and days moved off weekends do not drift: cycle k is due
  // `periods` x `amount` after `anchor_on`. Other cycles have anchor_on == started_on, periods 1.
  Date anchor_on{};
  int periods = 1;
  std::vector<PauseInterval> pauses;

  Date due_on{};          // the last day of the period
  Instant due_at{};     // the end of due_on in the agency's time zone
  Instant warning_at{};  // the start of the day from which at most warning_working_days are left
  int escalation_level = 0;  // escalation steps fired so far
  // When the scheduler acts next (warning, breach or escalation); empty while paused or ended.
  std::optional<Instant> next_fire_at;
  bool provisional = false;        // the due date relies on a year with no calendar loaded
  std::vector<int> missing_years;  // those years

  std::optional<Instant> ended_at;  // met or cancelled
  std::string end_reason;           // the trigger that ended it: stop, complete, cancel, restart, case_closed
  std::int64_t version = 1;
  Instant created_at{};
  Instant updated_at{};
};

// The traffic light shown beside a deadline: green in time, yellow within the warning lead,
// red when overdue and grey while paused. A met or cancelled deadline has none.
enum class DeadlineLight { none, green, yellow, red, grey };
std::string_view to_string(DeadlineLight light);

struct DeadlineView {
  DeadlineLight light = DeadlineLight::none;
  int working_days_left = 0;  // working days after today up to the due date; 0 on the due date
  int working_days_over = 0;  // working days since the due date, today included, when overdue
  LocalizedText summary;      // "剩余 3 个工作日" / "3 working days left", and so on
};

}  // namespace sitecycle
