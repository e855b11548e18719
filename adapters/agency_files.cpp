#include "adapters/agency_files.h"

#include "adapters/text_file.h"

#include <date/tz.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sitecycle {

namespace {

namespace fs = std::filesystem;

void report_unreadable(LoadedAgencies& loaded, const fs::path& file, LocalizedText reason) {
  Diagnostic diagnostic;
  diagnostic.file = file.string();
  diagnostic.found = std::move(reason);
  diagnostic.expected = {"可读取的机构文件（agencies.yaml）", "a readable agencies file (agencies.yaml)"};
  loaded.diagnostics.push_back(std::move(diagnostic));
  loaded.unreadable = true;
}

std::string comma_list(const std::set<std::string>& names) {
  std::string list;
  for (const std::string& name : names) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

void check_calendar(const Agency& agency, const std::string& file, const std::set<std::string>& known_calendars,
                    Diagnostics& diagnostics) {
  if (known_calendars.count(agency.calendar)) return;
  LocalizedText expected{"已加载的日历之一：" + comma_list(known_calendars),
                         "one of the loaded calendars: " + comma_list(known_calendars)};
  if (known_calendars.empty()) expected = {"已加载的日历（当前未加载任何日历）", "a loaded calendar (none is loaded)"};
  diagnostics.push_back(Diagnostic{file, agency.calendar_position.line, agency.calendar_position.column,
                                   "agencies." + agency.id + ".calendar", verbatim("\"" + agency.calendar + "\""),
                                   std::move(expected)});
}

bool zone_exists(const std::string& zone) {
  try {
    date::locate_zone(zone);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

void check_time_zone(const Agency& agency, const std::string& file, Diagnostics& diagnostics) {
  if (zone_exists(agency.time_zone)) return;
  diagnostics.push_back(Diagnostic{file, agency.time_zone_position.line, agency.time_zone_position.column,
                                   "agencies." + agency.id + ".time_zone", verbatim("\"" + agency.time_zone + "\""),
                                   {"系统时区数据库（IANA）中的时区，例如 Asia/Shanghai",
                                    "a time zone in the system tz database (IANA), such as Asia/Shanghai"}});
}

}  // namespace

LoadedAgencies load_agencies_file(const fs::path& file, const std::set<std::string>& known_calendars) {
  LoadedAgencies loaded;
  std::error_code error;
  if (!fs::is_regular_file(file, error)) {
    report_unreadable(loaded, file, fs::exists(file, error) ? LocalizedText{"不是文件", "not a file"}
                                                            : LocalizedText{"文件不存在", "no such file"});
    return loaded;
  }
  auto text = read_text_file(file);
  if (!text) {
    report_unreadable(loaded, file, {"无法读取的文件", "unreadable file"});
    return loaded;
  }

  std::optional<AgencyCatalog> catalog = parse_agencies(*text, file.string(), loaded.diagnostics);
  if (!catalog) return loaded;
  for (const Agency& agency : catalog->agencies()) {
    check_calendar(agency, file.string(), known_calendars, loaded.diagnostics);
    check_time_zone(agency, file.string(), loaded.diagnostics);
  }
  if (loaded.diagnostics.empty()) loaded.catalog = std::move(catalog);
  return loaded;
}

}  // namespace sitecycle
