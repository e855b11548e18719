#include "deadline_tracker.h"

#include <algorithm>

namespace sitecycle {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The state the step entered and the state it left. An internal transition (no `to`) enters and
// leaves nothing; a transition back to its own state leaves and enters it.
const std::string* entered_state(const CaseStep& step) {
  if (step.before == nullptr) return &step.after->state;
  if (step.transition != nullptr && step.transition->to) return &step.after->state;
  return nullptr;
}

const std::string* left_state(const CaseStep& step) {
  if (step.before != nullptr && step.transition != nullptr && step.transition->to) return &step.before->state;
  return nullptr;
}

// The date in a field, when the field contains a valid YYYY-MM-DD string.
std::optional<Date> date_field(const nlohmann::json& data, const std::string& field) {
  if (!data.is_object()) return std::nullopt;
  auto value = data.find(field);
  if (value == data.end() || !value->is_string()) return std::nullopt;
  return parse_date(value->get<std::string>());
}

// The first of `fields` that got a new date in this step.
std::optional<Date> newly_set_date(const DeadlineTriggers& triggers, const CaseStep& step) {
  for (const std::string& field : triggers.on_field) {
    std::optional<Date> after = date_field(step.after->data, field);
    if (!after) continue;
    std::optional<Date> before = step.before != nullptr ? date_field(step.before->data, field) : std::nullopt;
    if (before != after) return after;
  }
  return std::nullopt;
}

bool matches(const DeadlineTriggers& triggers, const CaseStep& step) {
  if (const std::string* state = entered_state(step); state != nullptr && contains(triggers.on_enter, *state)) {
    return true;
  }
  if (const std::string* state = left_state(step); state != nullptr && contains(triggers.on_leave, *state)) return true;
  if (step.transition != nullptr && contains(triggers.on_transition, step.transition->id)) return true;
  return false;
}

std::string date_text(Date date) { return format_date(date); }

nlohmann::json effect_of(const DeadlineRecord& record, std::string_view action) {
  nlohmann::json effect{{"deadline", record.rule_id}, {"cycle", record.cycle}, {"action", action}};
  if (is_open(record.state)) {
    effect["due_on"] = date_text(record.due_on);
    effect["due_at"] = format_instant(record.due_at);
    if (record.provisional) {
      effect["provisional"] = true;
      effect["missing_years"] = record.missing_years;
    }
  }
  return effect;
}

const std::vector<std::string>& or_responsible(const std::vector<std::string>& roles, const DeadlineRule& rule,
                                               std::vector<std::string>& fallback) {
  if (!roles.empty()) return roles;
  fallback = {rule.responsible};
  return fallback;
}

}  // namespace

DeadlineTracker::DeadlineTracker(const AgencyCatalog* agencies, const CalendarMap& calendars, const TimeZones& zones)
    : agencies_(agencies), calendars_(calendars), zones_(zones) {}

const WorkingDayCalendar& DeadlineTracker::calendar_of(const DeadlineRecord& record) const {
  auto found = calendars_.find(record.calendar_id);
  return found != calendars_.end() ? found->second : weekends_only_;
}

Instant DeadlineTracker::end_of_day(Date date, const std::string& zone) const {
  return zones_.start_of_day(Date{sys_days{date} + days{1}}, zone);
}

DeadlineTracker::AgencyChoice DeadlineTracker::choose_agency(const DeadlineRule& rule,
                                                             const nlohmann::json& case_data) const {
  if (agencies_ == nullptr) return {kFallbackAgencyId, kNationalCalendarId, "Asia/Shanghai"};
  const Agency* agency = &agencies_->select(rule.agency, case_data);
  return {agency->id, agency->calendar, agency->time_zone};
}

int DeadlineTracker::resolve_amount(const DeadlineAmount& amount, const std::string& agency_id,
                                    const nlohmann::json& case_data, int maximum) const {
  if (amount.field) {
    // A case field outside the range of the unit counts as unset, so its default applies.
    auto value = case_data.is_object() ? case_data.find(*amount.field) : case_data.end();
    if (case_data.is_object() && value != case_data.end() && value->is_number_integer() &&
        value->get<long long>() >= 0 && value->get<long long>() <= maximum) {
      return value->get<int>();
    }
    return amount.default_value;
  }
  if (!amount.parameter || agencies_ == nullptr) return amount.default_value;
  const ParameterOverride* override = agencies_->parameter(agency_id, *amount.parameter);
  if (override == nullptr || !override->value.is_number_integer()) return amount.default_value;
  return override->value.get<int>();
}

void DeadlineTracker::plan_next_firing(DeadlineRecord& record, const DeadlineRule& rule) const {
  record.next_fire_at.reset();
  if (!is_open(record.state) || record.state.paused) return;
  switch (record.state.progress) {
    case DeadlineProgress::armed:
      record.next_fire_at = std::min(record.warning_at, record.due_at);
      break;
    case DeadlineProgress::warned:
      record.next_fire_at = record.due_at;
      break;
    case DeadlineProgress::breached:
    case DeadlineProgress::escalated: {
      auto level = static_cast<std::size_t>(record.escalation_level);
      if (level < rule.escalation.size()) {
        Date last_day = escalation_date(record.due_on, rule.escalation[level].after_working_days, calendar_of(record));
        record.next_fire_at = end_of_day(last_day, record.time_zone);
      }
      break;
    }
    case DeadlineProgress::met:
    case DeadlineProgress::cancelled:
      break;
  }
}

bool DeadlineTracker::schedule(DeadlineRecord& record, const DeadlineRule& rule, const nlohmann::json& case_data) const {
  std::optional<Date> field_date;
  if (rule.duration.kind == DurationKind::before_date) field_date = date_field(case_data, rule.duration.date_field);
  const WorkingDayCalendar& calendar = calendar_of(record);
  // A cycle of a fixed cadence counts from the cadence's anchor. yearly_by cycles need no anchor,
  // because each runs to the next month-day after the previous due date.
  bool cadence = record.periods > 1 && rule.duration.kind != DurationKind::yearly_by;
  std::optional<DueDate> due = compute_due_date(rule.duration, cadence ? record.amount * record.periods : record.amount,
                                                cadence ? record.anchor_on : record.started_on, record.pauses,
                                                field_date, calendar);
  // Supported start dates and period bounds keep due dates within four-digit years. A date
  // beyond them could not be written back by the store, so the cycle does not start.
  if (!due || !due->due_on.ok() || static_cast<int>(due->due_on.year()) > 9999) return false;

  record.due_on = due->due_on;
  record.due_at = end_of_day(due->due_on, record.time_zone);
  // A period shorter than the warning lead is in its warning from the start.
  record.warning_at = std::max(
      zones_.start_of_day(warning_date(due->due_on, record.warning_working_days, calendar), record.time_zone),
      record.started_at);
  record.provisional = due->provisional;
  record.missing_years = due->missing_years;
  plan_next_firing(record, rule);
  return true;
}

std::optional<DeadlineRecord> DeadlineTracker::start_cycle(const Workflow& workflow, const DeadlineRule& rule,
                                                           const StoredCase& stored, int cycle, Date started_on,
                                                           Instant now, const DeadlineRecord* previous_in_cadence) const {
  AgencyChoice agency = choose_agency(rule, stored.data);
  DeadlineRecord record;
  record.case_id = stored.id;
  record.workflow_id = workflow.id;
  record.workflow_version = workflow.version;
  record.rule_id = rule.id;
  record.cycle = cycle;
  record.agency_id = agency.id;
  record.calendar_id = agency.calendar;
  record.time_zone = agency.time_zone;
  record.responsible = rule.responsible;
  int maximum = rule.duration.kind == DurationKind::months ? kMaxDeadlineMonths : kMaxDeadlineDays;
  record.amount = resolve_amount(rule.duration.amount, agency.id, stored.data, maximum);
  record.warning_working_days = resolve_amount(rule.warning_working_days, agency.id, stored.data, kMaxDeadlineDays);
  record.started_on = started_on;
  record.started_at = now;
  // A cadence counts whole periods from its anchor, so it does not drift. When the period
  // changed (a case field or an agency override), the cadence starts over from this cycle's start.
  bool same_cadence = previous_in_cadence != nullptr && previous_in_cadence->amount == record.amount;
  record.anchor_on = same_cadence ? previous_in_cadence->anchor_on : started_on;
  record.periods = same_cadence ? previous_in_cadence->periods + 1 : 1;
  record.created_at = now;
  record.updated_at = now;
  if (!schedule(record, rule, stored.data)) return std::nullopt;
  return record;
}

DeadlineChanges DeadlineTracker::on_step(const Workflow& workflow, const CaseStep& step,
                                         std::vector<DeadlineRecord> existing, Instant now, bool may_start) const {
  DeadlineChanges changes;
  for (const DeadlineRule& rule : workflow.deadlines) {
    int last_cycle = 0;
    DeadlineRecord* open = nullptr;
    for (DeadlineRecord& record : existing) {
      if (record.rule_id != rule.id) continue;
      last_cycle = std::max(last_cycle, record.cycle);
      if (is_open(record.state)) open = &record;
    }
    AgencyChoice agency = choose_agency(rule, step.after->data);
    Date today = zones_.local_date(now, agency.time_zone);

    auto end_cycle = [&](DeadlineRecord& record, DeadlineEvent event, std::string reason) {
      auto next = apply_deadline_event(record.state, event);
      if (!next) return false;
      if (!record.pauses.empty() && !record.pauses.back().to) record.pauses.back().to = today;
      record.state = *next;
      record.ended_at = now;
      record.end_reason = std::move(reason);
      record.next_fire_at.reset();
      record.updated_at = now;
      return true;
    };
    auto start_next = [&](Date started_on, const DeadlineRecord* previous_in_cadence = nullptr) {
      if (auto started = start_cycle(workflow, rule, *step.after, ++last_cycle, started_on, now, previous_in_cadence)) {
        changes.effects.push_back(effect_of(*started, "started"));
        changes.started.push_back(std::move(*started));
      }
    };

    if (open != nullptr) {
      DeadlineRecord& record = *open;
      std::string_view action;
      std::optional<Date> next_start;
      bool in_cadence = false;
      if (matches(rule.cancel, step) && end_cycle(record, DeadlineEvent::cancel, "cancel")) {
        action = "cancelled";
      } else if (matches(rule.stop, step) && end_cycle(record, DeadlineEvent::stop, "stop")) {
        action = "met";
      } else if (matches(rule.complete, step) && end_cycle(record, DeadlineEvent::stop, "complete")) {
        action = "met";
        bool from_due = rule.repeat == RepeatFrom::previous_due || rule.duration.kind == DurationKind::yearly_by;
        next_start = from_due ? record.due_on : today;
        in_cadence = rule.repeat == RepeatFrom::previous_due;
      } else if (matches(rule.restart, step) && end_cycle(record, DeadlineEvent::cancel, "restart")) {
        action = "restarted";
        next_start = today;
      } else if (matches(rule.pause, step) && !record.state.paused) {
        record.state = apply_deadline_event(record.state, DeadlineEvent::pause).value_or(record.state);
        record.pauses.push_back(PauseInterval{today, std::nullopt});
        record.next_fire_at.reset();
        action = "paused";
      } else if (matches(rule.resume, step) && record.state.paused) {
        record.state = apply_deadline_event(record.state, DeadlineEvent::resume).value_or(record.state);
        record.pauses.back().to = today;
        schedule(record, rule, step.after->data);
        action = "resumed";
      }
      if (is_open(record.state) && step.after->closed && end_cycle(record, DeadlineEvent::cancel, "case_closed")) {
        action = "cancelled";
      }
      if (!action.empty()) {
        record.updated_at = now;
        changes.effects.push_back(effect_of(record, action));
        changes.updated.push_back(record);
      }
      if (next_start && !step.after->closed && may_start) {
        start_next(*next_start, in_cadence ? &record : nullptr);
        continue;
      }
      // A cycle that ended in this step may start again in it, for example on a transition that
      // leaves a state and enters it again.
      if (is_open(record.state)) continue;
    }

    if (step.after->closed || !may_start) continue;
    if (std::optional<Date> field_start = newly_set_date(rule.start, step)) {
      start_next(*field_start);
    } else if (matches(rule.start, step)) {
      start_next(today);
    }
  }
  return changes;
}

std::vector<DeadlineFiring> DeadlineTracker::fire_due(DeadlineRecord& record, const DeadlineRule& rule,
                                                      Instant now) const {
  std::vector<DeadlineFiring> firings;
  while (is_open(record.state) && !record.state.paused && record.next_fire_at && *record.next_fire_at <= now) {
    DeadlineFiring firing;
    firing.scheduled_at = *record.next_fire_at;
    std::vector<std::string> fallback;
    switch (record.state.progress) {
      case DeadlineProgress::armed:
        firing.event = record.warning_at < record.due_at ? DeadlineEvent::warning_due : DeadlineEvent::breach_due;
        break;
      case DeadlineProgress::warned:
        firing.event = DeadlineEvent::breach_due;
        break;
      default:
        firing.event = DeadlineEvent::escalation_due;
        break;
    }
    if (firing.event == DeadlineEvent::warning_due) {
      firing.notify = or_responsible(rule.warning_notify, rule, fallback);
    } else if (firing.event == DeadlineEvent::breach_due) {
      firing.notify = or_responsible(rule.breach_notify, rule, fallback);
    } else {
      auto level = static_cast<std::size_t>(record.escalation_level);
      if (level >= rule.escalation.size()) break;  // plan_next_firing schedules no further step
      firing.notify = rule.escalation[level].notify;
      firing.escalation_level = record.escalation_level + 1;
    }
    auto next = apply_deadline_event(record.state, firing.event);
    if (!next) break;
    record.state = *next;
    if (firing.event == DeadlineEvent::escalation_due) record.escalation_level = firing.escalation_level;
    record.updated_at = now;
    plan_next_firing(record, rule);
    firings.push_back(std::move(firing));
  }
  return firings;
}

bool DeadlineTracker::recompute(DeadlineRecord& record, const DeadlineRule& rule, const nlohmann::json& case_data) const {
  Date old_due = record.due_on;
  bool old_provisional = record.provisional;
  std::vector<int> old_missing = record.missing_years;
  if (!schedule(record, rule, case_data)) return false;
  return record.due_on != old_due || record.provisional != old_provisional || record.missing_years != old_missing;
}

DeadlineView DeadlineTracker::view(const DeadlineRecord& record, Instant now) const {
  return view_deadline(record, zones_.local_date(now, record.time_zone), now, calendar_of(record));
}

}  // namespace sitecycle
