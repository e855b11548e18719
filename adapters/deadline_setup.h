// Everything deadline clocks need besides the workflows: the working-day calendars under
// <workflows>/calendars, the agency catalog <workflows>/agencies.yaml and the time zone
// database, checked against the workflows' deadline rules.
#pragma once

#include "adapters/calendar_files.h"
#include "adapters/clock.h"
#include "engine/agency.h"
#include "engine/deadline_tracker.h"
#include "engine/diagnostic.h"
#include "engine/workflow.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace sitecycle {

struct DeadlineEnvironment {
  CalendarSet calendars;
  std::optional<AgencyCatalog> agencies;  // empty when the folder has no agencies.yaml
  TzDatabaseZones zones;
  std::unique_ptr<DeadlineTracker> tracker;  // refers to the members above

  DeadlineEnvironment() = default;
  DeadlineEnvironment(const DeadlineEnvironment&) = delete;
  DeadlineEnvironment& operator=(const DeadlineEnvironment&) = delete;
};

struct LoadedDeadlineEnvironment {
  std::unique_ptr<DeadlineEnvironment> environment;  // set only when `diagnostics` is empty
  Diagnostics diagnostics;
  bool unreadable = false;
};

// Loads calendars and agencies beside the workflows in `workflows_folder` and checks that every
// rule's fixed agency exists and every agency override names a parameter some rule declares.
// A folder without calendars or agencies.yaml loads with weekends-only counting (every due date
// provisional) and the fallback agency.
LoadedDeadlineEnvironment load_deadline_environment(const std::filesystem::path& workflows_folder,
                                                    const std::vector<WorkflowPtr>& workflows);

}  // namespace sitecycle
