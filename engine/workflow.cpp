#include "workflow.h"

namespace sitecycle {

const State* Workflow::find_state(std::string_view state_id) const {
  for (const State& state : states) {
    if (state.id == state_id) return &state;
  }
  return nullptr;
}

const Transition* Workflow::find_transition(std::string_view transition_id) const {
  for (const Transition& transition : transitions) {
    if (transition.id == transition_id) return &transition;
  }
  return nullptr;
}

const DocumentKind* Workflow::find_document(std::string_view document_id) const {
  for (const DocumentKind& document : documents) {
    if (document.id == document_id) return &document;
  }
  return nullptr;
}

const WorkflowSetting* Workflow::find_setting(std::string_view setting_id) const {
  for (const WorkflowSetting& setting : settings) {
    if (setting.id == setting_id) return &setting;
  }
  return nullptr;
}

const State* Workflow::initial_state() const {
  for (const State& state : states) {
    if (state.initial) return &state;
  }
  return nullptr;
}

bool RoleCatalog::contains(std::string_view role) const {
  return role == kSystemRole || roles.find(std::string(role)) != roles.end();
}

}  // namespace sitecycle
