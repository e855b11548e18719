// Runs replay scenarios on a simulated clock against a case store.
#pragma once

#include "adapters/clock.h"
#include "adapters/scenario.h"
#include "engine/case_service.h"
#include "engine/case_store.h"
#include "engine/localized_text.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>

namespace sitecycle {

// The report of one scenario file, and how it ended.
struct ScenarioRun {
  enum class Status { passed, failed, malformed };
  Status status = Status::passed;
  nlohmann::json report = nlohmann::json::object();
  Diagnostics diagnostics;  // why a scenario or its workflows could not be read
};

// Runs a parsed scenario. The clock starts at the scenario's start, else at its first dated step,
// else at `default_start`.
ScenarioRun run_scenario(const Scenario& scenario, CaseService& service, Instant default_start, Language language);

// Reads, parses and runs a scenario file: loads its workflows folder, pins the definitions in
// `store`, and runs it.
ScenarioRun replay_scenario_file(const std::filesystem::path& file, CaseStore& store, Instant default_start,
                                 Language language);

}  // namespace sitecycle
