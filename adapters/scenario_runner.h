// Runs replay scenarios on a simulated clock against a case store.
#pragma once

#include "adapters/clock.h"
#include "adapters/deadline_setup.h"
#include "adapters/scenario.h"
#include "engine/case_service.h"
#include "engine/case_store.h"
#include "engine/deadline_service.h"
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

// The services a replay runs on: workflows, calendars, agencies, CaseService and
// DeadlineService over one store. restart() drops them all and loads them again from the files
// and the store, as a server restart would; the store itself stays open.
class ReplayServices {
 public:
  // Returns nullptr after appending to `diagnostics` when the folder's files are invalid.
  static std::unique_ptr<ReplayServices> open(const std::filesystem::path& workflows_folder, CaseStore& store,
                                              Diagnostics& diagnostics);

  CaseService& cases() { return *cases_; }
  DeadlineService& deadlines() { return *deadlines_; }
  const DeadlineTracker& tracker() const { return *environment_->tracker; }
  CaseStore& store() { return store_; }
  // False after appending to `diagnostics` when the files no longer load.
  bool restart(Diagnostics& diagnostics);

 private:
  ReplayServices(std::filesystem::path workflows_folder, CaseStore& store);
  bool load(Diagnostics& diagnostics);

  std::filesystem::path workflows_folder_;
  CaseStore& store_;
  std::unique_ptr<DeadlineEnvironment> environment_;
  std::unique_ptr<CaseService> cases_;
  std::unique_ptr<DeadlineService> deadlines_;
};

// Runs a parsed scenario. The clock starts at the scenario's start, else at its first dated step,
// else at `default_start`. Before each step, the deadlines due at the step's time fire.
ScenarioRun run_scenario(const Scenario& scenario, ReplayServices& services, Instant default_start, Language language);

// Reads, parses and runs a scenario file: loads its workflows folder, pins the definitions in
// `store`, and runs it.
ScenarioRun replay_scenario_file(const std::filesystem::path& file, CaseStore& store, Instant default_start,
                                 Language language);

}  // namespace sitecycle
