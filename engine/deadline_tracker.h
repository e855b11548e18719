// Applies a workflow's deadline rules to the steps of a case, and fires the warnings, breaches
// and escalations that come due. Pure: it computes records and leaves storing them to the
// caller (CaseService for case steps, the scheduler for firings).
//
// Thread-safety: immutable after construction; const calls may run from several threads.
#pragma once

#include "agency.h"
#include "case_store.h"
#include "deadline.h"
#include "deadline_schedule.h"
#include "workflow.h"
#include "working_day_calendar.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sitecycle {

using CalendarMap = std::map<std::string, WorkingDayCalendar, std::less<>>;

// One step of a case: its creation (no `before`, no transition) or a transition.
struct CaseStep {
  const StoredCase* before = nullptr;
  const StoredCase* after = nullptr;
  const Transition* transition = nullptr;
};

struct DeadlineChanges {
  std::vector<DeadlineRecord> started;  // new cycles, to insert
  std::vector<DeadlineRecord> updated;  // changed open cycles, to write back
  // What happened to each clock, for the step's event: [{deadline, cycle, action, due_on...}].
  nlohmann::json effects = nlohmann::json::array();

  bool empty() const { return started.empty() && updated.empty(); }
};

// A warning, breach or escalation that came due.
struct DeadlineFiring {
  DeadlineEvent event = DeadlineEvent::warning_due;
  Instant scheduled_at{};
  int escalation_level = 0;  // the level reached, for escalation_due
  std::vector<std::string> notify;  // roles
};

// The agency used when no catalog is loaded: national calendar, Shanghai time.
inline constexpr const char* kFallbackAgencyId = "default";
inline constexpr const char* kNationalCalendarId = "CN";

class DeadlineTracker {
 public:
  // `agencies` may be null (every clock then runs on the national calendar in Asia/Shanghai).
  // The referenced objects must outlive the tracker.
  DeadlineTracker(const AgencyCatalog* agencies, const CalendarMap& calendars, const TimeZones& zones);

  // Starts, stops, pauses, resumes, restarts and cancels clocks for one step. `existing` are the
  // case's cycles, open and ended. A closed case cancels whatever the rules left open. Without
  // `may_start` (a replayed step with no published date) no clock starts; running clocks still
  // stop, pause and resume.
  DeadlineChanges on_step(const Workflow& workflow, const CaseStep& step, std::vector<DeadlineRecord> existing,
                          Instant now, bool may_start = true) const;

  // Fires, in order, every warning, breach and escalation of `record` scheduled at or before
  // `now`, updating the record. Each fires once: the record's state and next_fire_at move on.
  std::vector<DeadlineFiring> fire_due(DeadlineRecord& record, const DeadlineRule& rule, Instant now) const;

  // Recomputes the due date with the calendars now loaded (for example after a new year's
  // notice). Returns true when the due date or its provisional mark changed.
  bool recompute(DeadlineRecord& record, const DeadlineRule& rule, const nlohmann::json& case_data) const;

  DeadlineView view(const DeadlineRecord& record, Instant now) const;
  const WorkingDayCalendar& calendar_of(const DeadlineRecord& record) const;
  const TimeZones& zones() const { return zones_; }
  const CalendarMap& calendars() const { return calendars_; }
  const AgencyCatalog* agencies() const { return agencies_; }

 private:
  struct AgencyChoice {
    std::string id;
    std::string calendar;
    std::string time_zone;
  };
  AgencyChoice choose_agency(const DeadlineRule& rule, const nlohmann::json& case_data) const;
  // The count of `amount` for a case: from its field, the agency's override or the default.
  int resolve_amount(const DeadlineAmount& amount, const std::string& agency_id, const nlohmann::json& case_data,
                     int maximum) const;
  std::optional<DeadlineRecord> start_cycle(const Workflow& workflow, const DeadlineRule& rule, const StoredCase& stored,
                                            int cycle, Date started_on, Instant now,
                                            const DeadlineRecord* previous_in_cadence = nullptr) const;
  bool schedule(DeadlineRecord& record, const DeadlineRule& rule, const nlohmann::json& case_data) const;
  void plan_next_firing(DeadlineRecord& record, const DeadlineRule& rule) const;
  Instant end_of_day(Date date, const std::string& zone) const;

  const AgencyCatalog* agencies_;
  const CalendarMap& calendars_;
  const TimeZones& zones_;
  WorkingDayCalendar weekends_only_;
};

}  // namespace sitecycle
