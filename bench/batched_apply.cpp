#include "bench/batched_apply.h"

#include "bench/commands.h"

#include <fmt/format.h>

#include <stdexcept>

namespace sitecycle::bench {

namespace {

LinkedCases load_linked_cases(CaseTransaction& transaction, const std::string& case_id) {
  LinkedCases linked;
  for (const CaseLink& link : transaction.links_of(case_id)) {
    if (auto other = transaction.find_case(link.linked_case_id)) linked[link.role] = std::move(*other);
  }
  return linked;
}

StoredCase project(const Workflow& workflow, const StoredCase& current, const AppliedTransition& applied,
                   const Moment& now) {
  StoredCase updated = current;
  updated.state = applied.to_state;
  updated.data = applied.data;
  updated.version = current.version + 1;
  const State* new_state = workflow.find_state(updated.state);
  updated.closed = applied.close || (new_state != nullptr && new_state->final);
  updated.updated_at = now.instant;
  return updated;
}

StoredEvent transition_event(const StoredCase& updated, const AppliedTransition& applied,
                             const TransitionRequest& request, const Moment& now) {
  StoredEvent event;
  event.case_id = updated.id;
  event.case_version = updated.version;
  event.kind = "transition";
  event.transition = request.transition;
  event.from_state = applied.from_state;
  event.to_state = applied.to_state;
  event.actor = request.actor;
  event.at = now.instant;
  event.input = request.input;
  event.comment = request.comment;
  event.effects = applied.effects_record;
  return event;
}

}  // namespace

void apply_in_transaction(CaseTransaction& transaction, const WorkflowRegistry& registry,
                          const std::string& case_id, const TransitionRequest& request, const Moment& now) {
  // Guards: the case and the workflow version it runs on.
  std::optional<StoredCase> current = transaction.find_case(case_id);
  if (!current) throw std::runtime_error(fmt::format("case {} not found", case_id));
  WorkflowPtr workflow = registry.find(current->workflow_id, current->workflow_version);
  if (!workflow) {
    throw std::runtime_error(fmt::format("workflow {} version {} of case {} is not loaded", current->workflow_id,
                                         current->workflow_version, case_id));
  }

  // Step 1: compute the transition.
  const LinkedCases linked = load_linked_cases(transaction, case_id);
  const std::string action = fmt::format("transition {} on case {}", request.transition, case_id);
  const AppliedTransition applied = require_ok(apply_transition(*workflow, *current, linked, request, now), action);
  if (!applied.open_cases.empty() || !applied.signals.empty()) {
    throw std::runtime_error(action + " opens or signals other cases, which the batched path does not run");
  }

  // Step 2: write the projection and the event.
  const StoredCase updated = project(*workflow, *current, applied, now);
  if (!transaction.update_case(updated, current->version)) {
    throw std::runtime_error(action + ": the case version changed inside the transaction");
  }
  transaction.append_event(transition_event(updated, applied, request, now));
}

}  // namespace sitecycle::bench
