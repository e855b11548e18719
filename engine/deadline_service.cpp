#include "deadline_service.h"

#include <fmt/format.h>

namespace sitecycle {

namespace {

Problem unavailable(const StoreError& error) {
  return make_problem(ErrorCode::unavailable,
                      {fmt::format("案件库暂时不可用，期限未处理；稍后重试（{}）", error.what()),
                       fmt::format("the case store is unavailable; deadlines were not processed; will retry ({})",
                                   error.what())});
}

const DeadlineRule* find_rule(const Workflow& workflow, const std::string& rule_id) {
  for (const DeadlineRule& rule : workflow.deadlines) {
    if (rule.id == rule_id) return &rule;
  }
  return nullptr;
}

nlohmann::json recipients_of(const std::vector<std::string>& roles, const DeadlineRecord& record) {
  nlohmann::json recipients = nlohmann::json::array();
  for (const std::string& role : roles) recipients.push_back({{"role", role}, {"agency", record.agency_id}});
  return recipients;
}

LocalizedText firing_text(DeadlineEvent event, const DeadlineRule& rule, int level) {
  switch (event) {
    case DeadlineEvent::warning_due:
      return {fmt::format("期限预警：{}", rule.title.zh_cn), fmt::format("deadline warning: {}", rule.title.en)};
    case DeadlineEvent::breach_due:
      return {fmt::format("期限已超期：{}", rule.title.zh_cn), fmt::format("deadline breached: {}", rule.title.en)};
    default:
      return {fmt::format("超期升级（第 {} 级）：{}", level, rule.title.zh_cn),
              fmt::format("deadline escalated (level {}): {}", level, rule.title.en)};
  }
}

// Bumps the case version for one more event on it. False when the case is gone or changed
// under us, which the single store writer rules out.
std::optional<StoredCase> next_case_version(CaseTransaction& transaction, const std::string& case_id, Instant now) {
  std::optional<StoredCase> stored = transaction.find_case(case_id);
  if (!stored) return std::nullopt;
  StoredCase updated = *stored;
  updated.version = stored->version + 1;
  updated.updated_at = now;
  if (!transaction.update_case(updated, stored->version)) return std::nullopt;
  return updated;
}

StoredEvent deadline_event(const StoredCase& stored, std::string_view kind, const DeadlineRecord& record, Instant now) {
  StoredEvent event;
  event.case_id = stored.id;
  event.case_version = stored.version;
  event.kind = std::string(kind);
  event.transition = record.rule_id;
  event.from_state = stored.state;
  event.to_state = stored.state;
  event.actor = Actor{kSystemRole, record.agency_id, "deadline_scheduler"};
  event.at = now;
  return event;
}

}  // namespace

std::string_view deadline_event_kind(DeadlineEvent event) {
  switch (event) {
    case DeadlineEvent::warning_due: return "deadline_warning";
    case DeadlineEvent::breach_due: return "deadline_breached";
    case DeadlineEvent::escalation_due: return "deadline_escalated";
    default: return "deadline_changed";
  }
}

DeadlineService::DeadlineService(std::shared_ptr<const WorkflowRegistry> registry, CaseStore& store,
                                 const DeadlineTracker& tracker)
    : registry_(std::move(registry)), store_(store), tracker_(tracker) {}

// Turns one firing into its event and notification. The store assigns the case version, the
// states and the ids.
static DeadlineFiringWrite firing_write(const DeadlineRecord& record, const DeadlineRule& rule, const DeadlineFiring& firing,
                                 Instant now) {
  DeadlineFiringWrite write;
  StoredEvent& event = write.event;
  event.case_id = record.case_id;
  event.kind = std::string(deadline_event_kind(firing.event));
  event.transition = record.rule_id;
  event.actor = Actor{kSystemRole, record.agency_id, "deadline_scheduler"};
  event.at = now;
  LocalizedText text = firing_text(firing.event, rule, firing.escalation_level);
  event.comment = text.zh_cn + " (" + text.en + ")";
  event.input = {{"deadline_id", record.id},
                 {"deadline", record.rule_id},
                 {"cycle", record.cycle},
                 {"due_on", format_date(record.due_on)},
                 {"due_at", format_instant(record.due_at)},
                 {"scheduled_at", format_instant(firing.scheduled_at)},
                 {"escalation_level", firing.escalation_level},
                 {"notify", firing.notify}};

  OutboxMessage& message = write.message;
  message.case_id = record.case_id;
  message.deadline_id = record.id;
  message.kind = event.kind;
  message.recipients = recipients_of(firing.notify, record);
  message.payload = event.input;
  message.payload["title"] = to_json(text);
  message.created_at = now;
  return write;
}

Result<std::vector<DeadlineFiringRecord>> DeadlineService::fire_due(const Moment& now, std::int64_t batch) {
  std::vector<DeadlineFiringRecord> fired;
  try {
    while (true) {
      std::unique_ptr<CaseTransaction> transaction = store_.begin();
      std::vector<DeadlineRecord> due = transaction->due_deadlines(now.instant, batch);
      std::vector<DeadlineFiringWrite> writes;
      std::vector<DeadlineFiringRecord> batch_fired;
      for (DeadlineRecord& record : due) {
        WorkflowPtr workflow = registry_->find(record.workflow_id, record.workflow_version);
        const DeadlineRule* rule = workflow ? find_rule(*workflow, record.rule_id) : nullptr;
        if (rule == nullptr) {
          // The definition is gone, so nothing can be computed; stop the timer rather than spin.
          record.next_fire_at.reset();
          continue;
        }
        for (const DeadlineFiring& firing : tracker_.fire_due(record, *rule, now.instant)) {
          writes.push_back(firing_write(record, *rule, firing, now.instant));
          batch_fired.push_back({record.id, record.case_id, record.rule_id, record.cycle, firing.event,
                                 firing.scheduled_at, 0});
        }
        // The tracker always moves next_fire_at past `now`; should a row ever stay due, stop its
        // timer so that the batch loop cannot spin on it.
        if (record.next_fire_at && *record.next_fire_at <= now.instant) record.next_fire_at.reset();
      }
      std::vector<std::int64_t> event_ids = transaction->record_deadline_firings(writes);
      for (std::size_t i = 0; i < batch_fired.size() && i < event_ids.size(); ++i) batch_fired[i].event_id = event_ids[i];
      if (!transaction->update_deadline_lifecycles(due)) {
        return make_problem(ErrorCode::conflict, {"期限正被同时修改；稍后重试", "a deadline was changed concurrently; will retry"});
      }
      transaction->commit();
      fired.insert(fired.end(), batch_fired.begin(), batch_fired.end());
      if (static_cast<std::int64_t>(due.size()) < batch) break;
    }
  } catch (const StoreError& error) {
    return unavailable(error);
  }
  return fired;
}

Result<int> DeadlineService::recompute_provisional(const Moment& now) {
  int changed = 0;
  try {
    std::unique_ptr<CaseTransaction> transaction = store_.begin();
    for (DeadlineRecord record : transaction->provisional_deadlines()) {
      WorkflowPtr workflow = registry_->find(record.workflow_id, record.workflow_version);
      const DeadlineRule* rule = workflow ? find_rule(*workflow, record.rule_id) : nullptr;
      std::optional<StoredCase> stored = transaction->find_case(record.case_id);
      if (rule == nullptr || !stored) continue;

      std::int64_t expected_version = record.version;
      Date old_due = record.due_on;
      if (!tracker_.recompute(record, *rule, stored->data)) continue;
      record.updated_at = now.instant;
      std::optional<StoredCase> bumped = next_case_version(*transaction, record.case_id, now.instant);
      if (!bumped) continue;
      StoredEvent event = deadline_event(*bumped, "deadline_recomputed", record, now.instant);
      event.comment = fmt::format("日历已更新，期限重新计算：{} (calendar loaded, deadline recomputed: {})",
                                  rule->title.zh_cn, rule->title.en);
      event.input = {{"deadline_id", record.id},
                     {"deadline", record.rule_id},
                     {"cycle", record.cycle},
                     {"previous_due_on", format_date(old_due)},
                     {"due_on", format_date(record.due_on)},
                     {"provisional", record.provisional},
                     {"missing_years", record.missing_years}};
      transaction->append_event(event);
      if (!transaction->update_deadline(record, expected_version)) {
        return make_problem(ErrorCode::conflict, {"期限正被同时修改；请重试", "a deadline was changed concurrently; retry"});
      }
      ++changed;
    }
    transaction->commit();
  } catch (const StoreError& error) {
    return unavailable(error);
  }
  return changed;
}

}  // namespace sitecycle
