// Fires the deadline warnings, breaches and escalations that came due, and recomputes
// provisional due dates once their year's calendar is loaded. Each firing becomes an event on
// its case and a message in the outbox, in the same store transaction as the deadline's new
// state. A firing is therefore stored together with that state or not at all, so it fires once.
//
// Thread-safety: safe to call from several threads; the store serialises writers.
#pragma once

#include "case_store.h"
#include "deadline_tracker.h"
#include "result.h"
#include "workflow_registry.h"

#include <memory>
#include <string>
#include <vector>

namespace sitecycle {

struct DeadlineFiringRecord {
  std::int64_t deadline_id = 0;
  std::string case_id;
  std::string rule_id;
  int cycle = 0;
  DeadlineEvent event = DeadlineEvent::warning_due;
  Instant scheduled_at{};
  std::int64_t event_id = 0;
};

// The event kinds of deadline firings: "deadline_warning", "deadline_breached",
// "deadline_escalated"; and "deadline_recomputed" for a changed due date.
std::string_view deadline_event_kind(DeadlineEvent event);

class DeadlineService {
 public:
  // The registry, store and tracker must outlive the service.
  DeadlineService(std::shared_ptr<const WorkflowRegistry> registry, CaseStore& store, const DeadlineTracker& tracker);

  // Fires everything scheduled at or before `now`, `batch` deadlines per transaction, until
  // nothing is due. Returns what fired, in order.
  Result<std::vector<DeadlineFiringRecord>> fire_due(const Moment& now, std::int64_t batch = 1000);

  // Recomputes every open provisional deadline and records each changed due date as a
  // "deadline_recomputed" event. Returns how many changed.
  Result<int> recompute_provisional(const Moment& now);

 private:
  std::shared_ptr<const WorkflowRegistry> registry_;
  CaseStore& store_;
  const DeadlineTracker& tracker_;
};

}  // namespace sitecycle
