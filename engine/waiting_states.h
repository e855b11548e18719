// The states in which a case waits for a role: those from which the role may take a step that
// moves the case on. The to-do queue lists the cases in these states.
#pragma once

#include "case_store.h"
#include "workflow_registry.h"

#include <string_view>
#include <vector>

namespace sitecycle {

// The non-final states of the latest workflows from which `role` may fire a transition that
// changes the state, each once, in workflow and transition order. Steps that keep the state
// (record keeping) do not count.
std::vector<WorkflowState> states_waiting_for(const WorkflowRegistry& registry, std::string_view role);

}  // namespace sitecycle
