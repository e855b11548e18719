// Applying a transition to a case: a pure function of the definition, the case, its linked
// cases, the request and the clock. It performs no I/O; CaseService commits what it returns.
#pragma once

#include "case_store.h"
#include "condition.h"
#include "instant.h"
#include "result.h"
#include "workflow.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace sitecycle {

// A document uploaded to the case that a transition hands in.
struct AttachedDocument {
  std::string id;
  std::string kind;
};

struct TransitionRequest {
  std::string transition;
  Actor actor;
  nlohmann::json input = nlohmann::json::object();
  std::string comment;
  // The documents handed in with the step. nullopt when the caller cannot carry files (a replay
  // of a published record); then the transition's required_documents are not checked.
  std::optional<std::vector<AttachedDocument>> documents;
};

// The cases linked to one case, by link role. Where several cases share a role, the most
// recently linked one is the one a role name refers to.
using LinkedCases = std::map<std::string, StoredCase, std::less<>>;

// An effect that reaches beyond the case, with its values already resolved.
struct OpenCaseOrder {
  std::string workflow;
  std::string link_role;
  std::string back_role;
  nlohmann::json data = nlohmann::json::object();
};
struct SignalOrder {
  std::string link;
  std::string target_case_id;
  std::string transition;
};

struct AppliedTransition {
  std::string from_state;
  std::string to_state;
  nlohmann::json data;  // the case data after input and set effects
  bool close = false;
  std::vector<OpenCaseOrder> open_cases;
  std::vector<SignalOrder> signals;
  nlohmann::json effects_record = nlohmann::json::array();  // what ran, for the event
};

// Authorises the actor's role, checks the input against the schema and the required documents,
// evaluates the guard, and computes the new state, data and outward effects. Rejections carry
// no_such_transition, role_not_allowed, invalid_input, documents_missing (naming each missing
// kind), guard_failed (naming the condition and any blocking case) or case_closed. `settings`
// contains the case's values of the workflow settings (see resolve_settings); without it, guards
// reading `setting.NAME` find no value.
Result<AppliedTransition> apply_transition(const Workflow& workflow, const StoredCase& current,
                                           const LinkedCases& linked,
                                           const TransitionRequest& request, const Moment& now,
                                           const nlohmann::json* settings = nullptr);

// A transition the actor's role may fire from the current state, with whether its guard holds
// before any input is given.
struct AvailableTransition {
  const Transition* transition = nullptr;
  bool guard_holds = true;
  std::optional<LocalizedText> blocked_reason;
  std::string blocking_case;
};

std::vector<AvailableTransition> available_transitions(const Workflow& workflow,
                                                       const StoredCase& current,
                                                       const LinkedCases& linked,
                                                       const Actor& actor,
                                                       const nlohmann::json* settings = nullptr);

}  // namespace sitecycle
