// A transition applied inside a transaction that the caller begins and commits, so that many
// transitions can share one commit. CaseService has no such command, because each fire() is its
// own transaction.
#pragma once

#include "engine/case_store.h"
#include "engine/instant.h"
#include "engine/runtime.h"
#include "engine/workflow_registry.h"

#include <string>

namespace sitecycle::bench {

// Reads the case and its linked cases, runs apply_transition, then writes the projection with
// update_case and the event with append_event. These are the steps CaseService::fire takes for a
// transition without outward effects. Unlike fire, it neither re-reads the case afterwards nor
// builds a CommandOutcome.
//
// Throws std::runtime_error when the case or its workflow is missing, the transition is rejected,
// the version check fails, or the transition would open or signal another case, because this
// path runs no such effects.
void apply_in_transaction(CaseTransaction& transaction, const WorkflowRegistry& registry,
                          const std::string& case_id, const TransitionRequest& request, const Moment& now);

}  // namespace sitecycle::bench
