#include "engine/waiting_states.h"

#include <catch2/catch.hpp>

using namespace sitecycle;

namespace {

Transition transition(std::string id, std::vector<std::string> from, std::optional<std::string> to,
                      std::vector<std::string> roles) {
  Transition step;
  step.id = std::move(id);
  step.from = std::move(from);
  step.to = std::move(to);
  step.roles = std::move(roles);
  return step;
}

State state(std::string id, bool initial, bool final) {
  State result;
  result.id = std::move(id);
  result.initial = initial;
  result.final = final;
  return result;
}

// review: submitted -> under_review -> passed (final); a note keeps the state.
WorkflowPtr review_workflow() {
  auto workflow = std::make_shared<Workflow>();
  workflow->id = "review";
  workflow->version = 1;
  workflow->states = {state("submitted", true, false), state("under_review", false, false),
                      state("passed", false, true)};
  workflow->transitions = {
      transition("accept", {"submitted"}, "under_review", {"bureau"}),
      transition("pass", {"under_review"}, "passed", {"bureau", "panel"}),
      transition("note", {"submitted", "under_review"}, std::nullopt, {"bureau", "firm"}),
      transition("reopen", {"passed", "under_review"}, "submitted", {"bureau"}),
  };
  return workflow;
}

std::vector<std::string> names_of(const std::vector<WorkflowState>& states) {
  std::vector<std::string> names;
  for (const WorkflowState& state : states) names.push_back(state.workflow_id + "/" + state.state);
  return names;
}

}  // namespace

TEST_CASE("waiting states count steps that move on", "[waiting]") {
  WorkflowRegistry registry({review_workflow()}, RoleCatalog{});
  // Each state once; the final state `passed` is left out although `reopen` leaves it.
  CHECK(names_of(states_waiting_for(registry, "bureau")) ==
        std::vector<std::string>{"review/submitted", "review/under_review"});
  CHECK(names_of(states_waiting_for(registry, "panel")) == std::vector<std::string>{"review/under_review"});
  // A step that keeps the state makes no case wait.
  CHECK(states_waiting_for(registry, "firm").empty());
  CHECK(states_waiting_for(registry, "nobody").empty());
}
