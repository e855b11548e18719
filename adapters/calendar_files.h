// Reading working-day calendars from a folder on disk.
#pragma once

#include "engine/diagnostic.h"
#include "engine/working_day_calendar.h"

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

// Every calendar under a folder. A national calendar is <folder>/<ID>/<YEAR>.yaml, one file per
// published year; a local calendar is <folder>/<ID>/overlay.yaml, another calendar plus closures.
struct CalendarSet {
  std::map<std::string, WorkingDayCalendar, std::less<>> calendars;  // By id, such as "CN".
  // The years with a published calendar, ascending, by id. An overlay has its base's years.
  std::map<std::string, std::vector<int>, std::less<>> years;

  // The calendar with id `id`, or nullptr.
  const WorkingDayCalendar* find(std::string_view id) const;
};

struct LoadedCalendars {
  CalendarSet set;
  // Every problem found. A file with problems is left out and the others still load, so callers
  // that need the full calendar must refuse to start when this is not empty.
  Diagnostics diagnostics;
  bool unreadable = false;  // A folder or file could not be read at all.
};

// Loads every calendar under `folder` (for example workflows/calendars). Checked beyond each
// file's own content: the file name's year equals its `year`, the folder name equals its
// `calendar`, a folder contains either YEAR.yaml files or one overlay.yaml, and an overlay's base
// exists without a cycle of overlays.
LoadedCalendars load_calendar_folder(const std::filesystem::path& folder);

}  // namespace sitecycle
