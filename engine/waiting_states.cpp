#include "waiting_states.h"

#include <algorithm>

namespace sitecycle {

std::vector<WorkflowState> states_waiting_for(const WorkflowRegistry& registry, std::string_view role) {
  std::vector<WorkflowState> states;
  for (const WorkflowPtr& workflow : registry.latest_all()) {
    for (const Transition& transition : workflow->transitions) {
      if (!transition.to) continue;
      if (std::find(transition.roles.begin(), transition.roles.end(), role) == transition.roles.end()) continue;
      for (const std::string& from : transition.from) {
        const State* state = workflow->find_state(from);
        if (state == nullptr || state->final) continue;
        const bool listed = std::any_of(states.begin(), states.end(), [&](const WorkflowState& known) {
          return known.workflow_id == workflow->id && known.state == from;
        });
        if (!listed) states.push_back({workflow->id, from});
      }
    }
  }
  return states;
}

}  // namespace sitecycle
