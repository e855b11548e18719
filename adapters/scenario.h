// Replay scenarios: the model and its parser. docs/scenarios.md is the format's contract.
#pragma once

#include "engine/case_store.h"
#include "engine/diagnostic.h"
#include "engine/instant.h"
#include "engine/localized_text.h"
#include "engine/position.h"
#include "engine/result.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sitecycle {

// When a step happens. A source may publish only a month, or no date at all.
struct StepTime {
  enum class Kind { unchanged, instant, not_published };
  Kind kind = Kind::unchanged;
  Instant instant{};
  std::string text;  // as written
};

struct CreateAction {
  std::string name;
  std::string workflow;
  std::optional<std::string> case_id;
  Actor actor;
  nlohmann::json data = nlohmann::json::object();
  std::string comment;
};

struct FireAction {
  std::string case_name;  // NAME or NAME.LINK_ROLE...
  std::string transition;
  Actor actor;
  nlohmann::json input = nlohmann::json::object();
  std::string comment;
};

// The expected state of one deadline of a case: the latest cycle of the rule, unless `cycle` is
// given. Unset members are not checked.
struct DeadlineExpectation {
  std::string rule;
  std::optional<int> cycle;
  std::optional<std::string> status;  // a deadline_status_name
  std::optional<std::string> due_on;  // YYYY-MM-DD
  std::optional<std::string> light;   // green, yellow, red, grey, none
  std::optional<bool> provisional;
  Position position;
};

struct Expectation {
  std::string case_name;
  std::optional<std::string> state;
  nlohmann::json fields = nlohmann::json::object();
  std::vector<DeadlineExpectation> deadlines;
  std::map<std::string, int> event_counts;  // event kind -> how many the case has in all
};

// A rejection a step expects: its stable code and, optionally, words its message and legal basis
// must contain.
struct ExpectedRejection {
  ErrorCode code = ErrorCode::guard_failed;
  std::string reason_contains;  // matched against the zh-CN and the en message
  std::string basis_contains;
};

struct ScenarioStep {
  int number = 0;  // 1-based
  Position position;
  StepTime time;
  std::optional<std::chrono::seconds> advance;
  bool restart = false;  // simulate a server restart: only what the store contains survives
  std::optional<CreateAction> create;
  std::optional<FireAction> fire;
  std::optional<Expectation> expect;
  std::optional<ExpectedRejection> expect_rejection;
  std::string note;
};

struct Scenario {
  std::string id;
  LocalizedText title;
  std::filesystem::path file;
  std::filesystem::path workflows_folder;  // resolved against the scenario's folder
  std::vector<std::string> sources;
  std::optional<Instant> start;
  std::vector<ScenarioStep> steps;
};

// Parses a scenario, reporting every problem with file:line:column.
std::optional<Scenario> parse_scenario(std::string_view yaml_text, const std::filesystem::path& file,
                                       Diagnostics& diagnostics);

}  // namespace sitecycle
