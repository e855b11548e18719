// The workflow model: states, transitions, roles, field schema, guards, effects and deadline
// rules, as loaded from one YAML file. A Workflow is immutable once loaded and is shared by
// pointer-to-const; every case records the (id, version) it runs under.
#pragma once

#include "condition.h"
#include "deadline_rule.h"
#include "field_schema.h"
#include "localized_text.h"
#include "position.h"
#include "workflow_setting.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sitecycle {

struct State {
  std::string id;
  LocalizedText title;
  bool initial = false;
  bool final = false;
  Position position;
};

// A value written by an effect: a literal, or the value found at a path (input.x, data.y,
// now.date, now.instant, case.id).
struct ValueSource {
  std::optional<ValuePath> path;
  nlohmann::json literal;
};

struct SetFieldsEffect {
  std::map<std::string, ValueSource> fields;
};

// Opens a case of another workflow and links both cases: the new case is reached from this one
// as `link_role`, and this case from the new one as `back_role`.
struct OpenCaseEffect {
  std::string workflow;
  std::string link_role;
  std::string back_role;
  std::map<std::string, ValueSource> data;
};

// Fires `transition` on the case linked as `link`, acting as the `system` role. A signal whose
// transition is not available from the target's current state is recorded as skipped.
struct SignalEffect {
  std::string link;
  std::string transition;
};

struct CloseCaseEffect {};

struct Effect {
  enum class Kind { set_fields, open_case, signal, close_case };
  Kind kind = Kind::set_fields;
  SetFieldsEffect set_fields;
  OpenCaseEffect open_case;
  SignalEffect signal;
  std::optional<Condition> when;  // the effect runs only when this condition is true
  Position position;
};

// Fields a transition accepts as input. Accepted input is validated against the workflow's field
// schema and written into the case data.
struct TransitionInput {
  std::vector<std::string> required;
  std::vector<std::string> optional;
};

// A kind of document a workflow's steps submit or issue (a report, a plan, a notice).
struct DocumentKind {
  std::string id;
  LocalizedText title;
  std::string basis;  // the rule that requires it, when there is one
  Position position;
};

struct Transition {
  std::string id;
  LocalizedText title;
  std::vector<std::string> from;  // state ids
  std::optional<std::string> to;  // nullopt: an internal transition that keeps the state
  std::vector<std::string> roles;
  TransitionInput input;
  std::optional<Condition> guard;
  std::vector<Effect> effects;
  std::vector<std::string> documents;  // ids of DocumentKind: what this step submits or issues
  // Kinds that must have been uploaded to the case before the step fires, such as the report
  // that a submission hands in.
  std::vector<std::string> required_documents;
  Position required_documents_position;
  Position position;
  Position documents_position;
  Position from_position;
  Position to_position;
  Position roles_position;
};

struct Workflow {
  std::string id;
  int version = 0;
  LocalizedText title;
  std::string source_file;
  std::string source_sha256;
  std::string source_text;
  Position position;         // of the id
  Position states_position;  // of the states mapping
  // Roles that may create a case of this workflow directly; empty means every role. Cases opened
  // by another case's effect are not subject to it.
  std::vector<std::string> create_roles;
  Position create_roles_position;
  FieldSchema fields;
  std::vector<State> states;            // in file order
  std::vector<Transition> transitions;  // in file order
  std::vector<DeadlineRule> deadlines;
  std::vector<DocumentKind> documents;   // in file order
  std::vector<WorkflowSetting> settings;  // in file order
  // Whose overrides in agencies.yaml apply to the settings; the default agency without one.
  AgencySelector agency;
  Position agency_position;

  const State* find_state(std::string_view state_id) const;
  const Transition* find_transition(std::string_view transition_id) const;
  const DocumentKind* find_document(std::string_view document_id) const;
  const WorkflowSetting* find_setting(std::string_view setting_id) const;
  const State* initial_state() const;
};

using WorkflowPtr = std::shared_ptr<const Workflow>;

// The roles known to every workflow, from roles.yaml. The role `system` is always present: it
// is the actor of signalled transitions.
struct RoleCatalog {
  std::map<std::string, LocalizedText> roles;
  bool contains(std::string_view role) const;
};

inline constexpr const char* kSystemRole = "system";

// Generated case ids are WORKFLOW_NNNNNN and case ids have at most 64 characters, so workflow ids
// leave room for "_" and 15 digits.
inline constexpr std::size_t kMaxWorkflowIdLength = 48;

}  // namespace sitecycle
