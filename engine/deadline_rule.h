// Deadline rules as declared under `deadlines:` in a workflow file. docs/workflow-format.md is
// the format's contract. A rule names what starts, pauses, resumes, restarts, stops and cancels
// a clock on a case, how long the period is, when to warn and whom to notify at and after a breach.
#pragma once

#include "agency.h"
#include "localized_text.h"
#include "position.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace sitecycle {

// Case steps that act on a clock. Any one listed step matches.
struct DeadlineTriggers {
  std::vector<std::string> on_enter;       // entering one of these states (also at creation)
  std::vector<std::string> on_leave;       // leaving one of these states
  std::vector<std::string> on_transition;  // firing one of these transitions
  std::vector<std::string> on_field;       // a date field getting a value (start only)
  Position position;

  bool empty() const { return on_enter.empty() && on_leave.empty() && on_transition.empty() && on_field.empty(); }
};

// The largest counts a rule accepts: a century in days or in months.
inline constexpr int kMaxDeadlineDays = 36500;
inline constexpr int kMaxDeadlineMonths = 1200;

// A count written as a number, as a named parameter with a default that an agency in
// agencies.yaml may override, or as an integer case field with a default for when it is unset.
struct DeadlineAmount {
  int default_value = 0;
  std::optional<std::string> parameter;
  std::optional<std::string> field;
  Position position;
};

enum class DurationKind {
  working_days,   // N working days after the start, which is not counted
  calendar_days,  // N days; a period ending on a day off moves to the next working day
  months,         // N months, clamped to the month end, then moved like calendar days
  before_date,    // due before the date in a case field, optionally N working days before it
  yearly_by,      // every year by a fixed month and day
};

struct DeadlineDuration {
  DurationKind kind = DurationKind::working_days;
  DeadlineAmount amount;
  std::string date_field;            // before_date: the case field holding the date
  std::chrono::month_day yearly_by;  // yearly_by: the month and day
  Position position;
};

// Notifications after a breach: `after_working_days` more working days past the due date.
struct EscalationStep {
  int after_working_days = 0;
  std::vector<std::string> notify;  // roles
  Position position;
};

// The start of the next cycle of a recurring obligation.
enum class RepeatFrom {
  none,          // one cycle only
  completion,    // "every N years from the last completion": at the completing step
  previous_due,  // a fixed cadence such as half-yearly monitoring: at the previous due date
};

struct DeadlineRule {
  std::string id;
  LocalizedText title;
  Position position;
  std::string responsible;  // the role that must act before the due date
  AgencySelector agency;

  DeadlineTriggers start;
  DeadlineTriggers stop;      // the cycle is met and no further cycle starts
  DeadlineTriggers complete;  // recurring rules: the cycle is met and the next one starts
  DeadlineTriggers cancel;    // the cycle is cancelled and no further cycle starts
  DeadlineTriggers pause;
  DeadlineTriggers resume;
  DeadlineTriggers restart;   // the cycle is cancelled and a new one starts with the full period

  DeadlineDuration duration;
  DeadlineAmount warning_working_days{3, std::nullopt, std::nullopt, {}};  // the light turns yellow at this many left
  std::vector<std::string> warning_notify;
  std::vector<std::string> breach_notify;
  std::vector<EscalationStep> escalation;
  RepeatFrom repeat = RepeatFrom::none;

  std::string basis;
  bool needs_legal_check = false;
  std::string source_status;
  std::string note;
  nlohmann::json definition;  // the rule as written, converted to JSON, for display
};

}  // namespace sitecycle
