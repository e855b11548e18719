// Reading the agency catalog (workflows/agencies.yaml) from disk, and checking what the engine
// cannot: that each agency's calendar is loaded and its time zone exists.
#pragma once

#include "engine/agency.h"
#include "engine/diagnostic.h"

#include <filesystem>
#include <optional>
#include <set>
#include <string>

namespace sitecycle {

struct LoadedAgencies {
  std::optional<AgencyCatalog> catalog;  // set only when `diagnostics` is empty
  Diagnostics diagnostics;
  bool unreadable = false;  // the file could not be read at all (usage error, not invalid content)
};

// Reads and parses `file`, then reports each agency whose calendar is not in `known_calendars`
// (the calendar ids the caller has loaded, such as {"CN"}) or whose time zone is not in the
// system tz database.
LoadedAgencies load_agencies_file(const std::filesystem::path& file, const std::set<std::string>& known_calendars);

}  // namespace sitecycle
