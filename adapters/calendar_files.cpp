#include "adapters/calendar_files.h"

#include "adapters/text_file.h"
#include "engine/calendar_loader.h"
#include "engine/calendar_overlay_loader.h"
#include "engine/yaml_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

namespace sitecycle {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kOverlayFileName = "overlay.yaml";

// One subfolder of the calendars folder, with its files sorted by name.
struct CalendarFolder {
  std::string id;
  std::vector<std::pair<int, fs::path>> year_files;
  std::optional<fs::path> overlay_file;
};

// An overlay.yaml as read, kept until its base is built.
struct OverlayFile {
  fs::path file;
  std::string text;
  std::optional<CalendarOverlay> overlay;  // nullopt when the file has problems, already reported.
};

void report_file(LoadedCalendars& loaded, const fs::path& path, LocalizedText found, LocalizedText expected) {
  loaded.diagnostics.push_back(Diagnostic{path.string(), 0, 0, "", std::move(found), std::move(expected)});
}

void report_unreadable(LoadedCalendars& loaded, const fs::path& path, LocalizedText reason) {
  report_file(loaded, path, std::move(reason), {"可读取的文件或目录", "a readable file or folder"});
  loaded.unreadable = true;
}

// Reports the top-level `key` of a file that parsed, with the key's line and column.
void report_key(LoadedCalendars& loaded, const fs::path& file, std::string_view text, const std::string& key,
                LocalizedText found, LocalizedText expected) {
  Diagnostics ignored;
  Position position;
  if (auto root = load_yaml(text, file.string(), ignored); root && root->IsMap()) position = position_of((*root)[key]);
  loaded.diagnostics.push_back(
      Diagnostic{file.string(), position.line, position.column, key, std::move(found), std::move(expected)});
}

std::string in_quotes(std::string_view text) { return fmt::format("\"{}\"", text); }

bool is_yaml_file_name(const fs::path& path) { return path.extension() == ".yaml" || path.extension() == ".yml"; }

// The year of a file named YYYY.yaml, such as 2026.yaml.
std::optional<int> year_of_file_name(const fs::path& path) {
  std::string stem = path.stem().string();
  if (path.extension() != ".yaml" || stem.size() != 4) return std::nullopt;
  if (!std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  return std::stoi(stem);
}

// The entries of `folder` sorted by name, leaving out hidden ones such as .gitkeep.
std::vector<fs::path> sorted_entries(const fs::path& folder, LoadedCalendars& loaded) {
  std::vector<fs::path> entries;
  std::error_code error;
  fs::directory_iterator iterator(folder, error);
  for (; !error && iterator != fs::directory_iterator(); iterator.increment(error)) {
    if (!iterator->path().filename().string().starts_with(".")) entries.push_back(iterator->path());
  }
  if (error) report_unreadable(loaded, folder, {fmt::format("无法读取的目录（{}）", error.message()),
                                                fmt::format("an unreadable folder ({})", error.message())});
  std::sort(entries.begin(), entries.end());
  return entries;
}

void report_unexpected_entry(LoadedCalendars& loaded, const fs::path& entry) {
  std::error_code error;
  LocalizedText found = fs::is_directory(entry, error)
                            ? LocalizedText{"日历目录中的子目录", "a folder inside a calendar folder"}
                            : LocalizedText{"名称不是 YEAR.yaml 或 overlay.yaml 的 YAML 文件",
                                            "a YAML file named neither YEAR.yaml nor overlay.yaml"};
  report_file(loaded, entry, std::move(found),
              {"YEAR.yaml 文件（如 2026.yaml）或 overlay.yaml", "a YEAR.yaml file (such as 2026.yaml) or overlay.yaml"});
}

// Sorts the files of one calendar folder and reports those that are not calendars. A folder
// with both YEAR.yaml files and an overlay.yaml is read as a national calendar.
CalendarFolder list_calendar_folder(const fs::path& path, LoadedCalendars& loaded) {
  CalendarFolder folder{path.filename().string(), {}, {}};
  for (const fs::path& entry : sorted_entries(path, loaded)) {
    std::error_code error;
    bool is_file = fs::is_regular_file(entry, error);
    if (is_file && entry.filename() == kOverlayFileName) {
      folder.overlay_file = entry;
    } else if (auto year = year_of_file_name(entry); is_file && year) {
      folder.year_files.emplace_back(*year, entry);
    } else if (!is_file || is_yaml_file_name(entry)) {
      report_unexpected_entry(loaded, entry);
    }
  }

  if (folder.overlay_file && !folder.year_files.empty()) {
    report_file(loaded, *folder.overlay_file, {"与 YEAR.yaml 文件同在一个目录的 overlay.yaml", "an overlay.yaml beside YEAR.yaml files"},
                {"国家日历目录只放 YEAR.yaml，地方日历目录只放 overlay.yaml",
                 "a national calendar folder with YEAR.yaml files only, or a local calendar folder with overlay.yaml only"});
    folder.overlay_file.reset();
  }
  if (!folder.overlay_file && folder.year_files.empty()) {
    report_file(loaded, path, {"没有日历文件的目录", "a folder with no calendar files"},
                {"YEAR.yaml 文件（如 2026.yaml）或 overlay.yaml", "YEAR.yaml files (such as 2026.yaml) or an overlay.yaml"});
  }
  return folder;
}

bool check_calendar_matches_folder(LoadedCalendars& loaded, const fs::path& file, std::string_view text,
                                   const std::string& calendar, const std::string& folder_id) {
  if (calendar == folder_id) return true;
  report_key(loaded, file, text, "calendar", verbatim(in_quotes(calendar)),
             {fmt::format("{}，与文件所在目录的名称一致", folder_id),
              fmt::format("{}, the name of the folder that holds the file", folder_id)});
  return false;
}

bool check_year_matches_file_name(LoadedCalendars& loaded, const fs::path& file, std::string_view text, int year,
                                  int file_year) {
  if (year == file_year) return true;
  std::string file_name = file.filename().string();
  report_key(loaded, file, text, "year", verbatim(std::to_string(year)),
             {fmt::format("{}，与文件名 {} 一致", file_year, file_name),
              fmt::format("{}, the year in the file name {}", file_year, file_name)});
  return false;
}

// Loads the YEAR.yaml files of a national calendar. The calendar is added even when no year
// loads, so overlays built on it do not report its problems a second time.
void load_national_calendar(const CalendarFolder& folder, LoadedCalendars& loaded) {
  WorkingDayCalendar calendar;
  std::vector<int> years;
  for (const auto& [file_year, file] : folder.year_files) {
    auto text = read_text_file(file);
    if (!text) {
      report_unreadable(loaded, file, {"无法读取的文件", "an unreadable file"});
      continue;
    }
    auto calendar_year = parse_calendar_year(*text, file.string(), loaded.diagnostics);
    if (!calendar_year) continue;
    bool year_matches = check_year_matches_file_name(loaded, file, *text, calendar_year->year, file_year);
    bool calendar_matches = check_calendar_matches_folder(loaded, file, *text, calendar_year->calendar, folder.id);
    if (!year_matches || !calendar_matches) continue;
    calendar.add_year(*calendar_year);
    years.push_back(file_year);
  }
  loaded.set.calendars.insert_or_assign(folder.id, std::move(calendar));
  loaded.set.years.insert_or_assign(folder.id, std::move(years));
}

OverlayFile read_overlay_file(const CalendarFolder& folder, LoadedCalendars& loaded) {
  OverlayFile entry{*folder.overlay_file, "", std::nullopt};
  auto text = read_text_file(entry.file);
  if (!text) {
    report_unreadable(loaded, entry.file, {"无法读取的文件", "an unreadable file"});
    return entry;
  }
  entry.text = std::move(*text);
  entry.overlay = parse_calendar_overlay(entry.text, entry.file.string(), loaded.diagnostics);
  if (entry.overlay && !check_calendar_matches_folder(loaded, entry.file, entry.text, entry.overlay->calendar, folder.id)) {
    entry.overlay.reset();
  }
  return entry;
}

// Builds each overlay on its base, bases first, and reports bases that are missing or that lead
// back to the overlay itself.
class OverlayBuilder {
 public:
  OverlayBuilder(std::map<std::string, OverlayFile> overlays, LoadedCalendars& loaded, const fs::path& folder)
      : overlays_(std::move(overlays)), loaded_(loaded), folder_(folder) {}

  void build_all() {
    for (const auto& [id, entry] : overlays_) build(id);
  }

 private:
  enum class State { building, built, failed };

  // Returns whether the overlay `id` is in the set now.
  bool build(const std::string& id) {
    if (auto state = states_.find(id); state != states_.end()) return state->second == State::built;
    const OverlayFile& entry = overlays_.at(id);
    if (!entry.overlay) {
      states_[id] = State::failed;
      return false;
    }
    states_[id] = State::building;
    chain_.push_back(id);
    bool built = build_on_base(id, entry);
    chain_.pop_back();
    states_[id] = built ? State::built : State::failed;
    return built;
  }

  bool build_on_base(const std::string& id, const OverlayFile& entry) {
    const std::string& base = entry.overlay->base;
    if (auto state = states_.find(base); state != states_.end() && state->second == State::building) {
      report_cycle(entry, base);
      return false;
    }
    if (overlays_.contains(base) && !build(base)) return false;
    auto base_calendar = loaded_.set.calendars.find(base);
    if (base_calendar == loaded_.set.calendars.end()) {
      report_unknown_base(id, entry, base);
      return false;
    }

    WorkingDayCalendar calendar = base_calendar->second;
    for (const CalendarClosure& closure : entry.overlay->closures) calendar.add_closure(closure.days);
    loaded_.set.calendars.insert_or_assign(id, std::move(calendar));
    loaded_.set.years.insert_or_assign(id, loaded_.set.years[base]);
    return true;
  }

  void report_cycle(const OverlayFile& entry, const std::string& base) {
    auto first = std::find(chain_.begin(), chain_.end(), base);
    std::vector<std::string> cycle(first, chain_.end());
    cycle.push_back(base);
    std::string path = fmt::format("{}", fmt::join(cycle, " -> "));
    report_key(loaded_, entry.file, entry.text, "base", verbatim(in_quotes(base)),
               {fmt::format("不会绕回本日历的基础日历（现为 {}）", path),
                fmt::format("a base calendar that does not lead back to this one (now {})", path)});
  }

  void report_unknown_base(const std::string& id, const OverlayFile& entry, const std::string& base) {
    std::vector<std::string> known;
    for (const auto& [other_id, calendar] : loaded_.set.calendars) known.push_back(other_id);
    for (const auto& [other_id, overlay] : overlays_) {
      if (other_id != id) known.push_back(other_id);
    }
    std::sort(known.begin(), known.end());
    std::string list = known.empty() ? "-" : fmt::format("{}", fmt::join(known, ", "));
    report_key(loaded_, entry.file, entry.text, "base", verbatim(in_quotes(base)),
               {fmt::format("{} 中已有的日历之一：{}", folder_.string(), list),
                fmt::format("one of the calendars in {}: {}", folder_.string(), list)});
  }

  std::map<std::string, OverlayFile> overlays_;
  LoadedCalendars& loaded_;
  const fs::path& folder_;
  std::map<std::string, State> states_;
  std::vector<std::string> chain_;  // The overlays being built, each on the next one's base.
};

// Reads every calendar folder under `folder`: national calendars into the set at once, overlays
// into the returned map to be built on their bases later.
std::map<std::string, OverlayFile> read_calendar_folders(const fs::path& folder, LoadedCalendars& loaded) {
  std::map<std::string, OverlayFile> overlays;
  for (const fs::path& entry : sorted_entries(folder, loaded)) {
    std::error_code error;
    if (!fs::is_directory(entry, error)) {
      if (is_yaml_file_name(entry)) {
        report_file(loaded, entry, {"日历目录之外的 YAML 文件", "a YAML file outside a calendar folder"},
                    {"放在日历目录中：<ID>/<YEAR>.yaml 或 <ID>/overlay.yaml", "a file in a calendar folder: <ID>/<YEAR>.yaml or <ID>/overlay.yaml"});
      }
      continue;
    }
    std::string id = entry.filename().string();
    if (!is_calendar_id(id)) {
      report_file(loaded, entry, verbatim(in_quotes(id)),
                  {"以日历标识命名的目录，如 CN 或 CN-SH（大写字母开头，仅含大写字母、数字和连字符）",
                   "a folder named by a calendar id such as CN or CN-SH (an uppercase letter, then uppercase "
                   "letters, digits or hyphens)"});
      continue;
    }
    CalendarFolder calendar_folder = list_calendar_folder(entry, loaded);
    if (!calendar_folder.year_files.empty()) {
      load_national_calendar(calendar_folder, loaded);
    } else if (calendar_folder.overlay_file) {
      overlays.emplace(id, read_overlay_file(calendar_folder, loaded));
    }
  }
  return overlays;
}

}  // namespace

const WorkingDayCalendar* CalendarSet::find(std::string_view id) const {
  auto calendar = calendars.find(id);
  return calendar == calendars.end() ? nullptr : &calendar->second;
}

LoadedCalendars load_calendar_folder(const fs::path& folder) {
  LoadedCalendars loaded;
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    report_unreadable(loaded, folder,
                      fs::exists(folder, error) ? LocalizedText{"不是目录", "not a folder"} : LocalizedText{"目录不存在", "no such folder"});
    return loaded;
  }
  OverlayBuilder(read_calendar_folders(folder, loaded), loaded, folder).build_all();
  return loaded;
}

}  // namespace sitecycle
