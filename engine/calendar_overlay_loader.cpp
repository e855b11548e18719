#include "calendar_overlay_loader.h"

#include "yaml_reader.h"

#include <fmt/format.h>

#include <chrono>

namespace sitecycle {

namespace {

constexpr std::size_t kMaxCalendarIdLength = 32;

std::optional<std::string> read_calendar_id(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  auto text = reader.read_string(node, key_path);
  if (!text) return std::nullopt;
  if (is_calendar_id(*text)) return text;
  reader.report(node, key_path, describe_node(node),
                {"日历标识，如 CN 或 CN-SH（大写字母开头，仅含大写字母、数字和连字符，最多 32 个字符）",
                 "a calendar id such as CN or CN-SH (an uppercase letter, then uppercase letters, digits or hyphens; "
                 "at most 32 characters)"});
  return std::nullopt;
}

std::optional<CalendarClosure> read_closure(YamlReader& reader, const YAML::Node& entry, const std::string& entry_path) {
  if (!reader.expect_map(entry, entry_path)) return std::nullopt;
  reader.check_keys(entry, entry_path, {"name", "from", "to", "source_url"});

  auto name = reader.read_title(reader.require(entry, "name", entry_path), join_path(entry_path, "name"));
  std::string to_path = join_path(entry_path, "to");
  auto from = reader.read_date(reader.require(entry, "from", entry_path), join_path(entry_path, "from"));
  auto to = reader.read_date(reader.require(entry, "to", entry_path), to_path);
  auto source_url = reader.read_string(reader.require(entry, "source_url", entry_path), join_path(entry_path, "source_url"));
  if (!name || !from || !to || !source_url) return std::nullopt;

  if (std::chrono::sys_days{*from} > std::chrono::sys_days{*to}) {
    reader.report(entry["to"], to_path, describe_node(entry["to"]),
                  {fmt::format("不早于 from（{}）的日期", format_date(*from)),
                   fmt::format("a date on or after from ({})", format_date(*from))});
    return std::nullopt;
  }
  return CalendarClosure{Holiday{*name, *from, *to}, *source_url};
}

void read_closures(YamlReader& reader, const YAML::Node& node, CalendarOverlay& overlay) {
  if (!reader.expect_sequence(node, "closures")) return;
  for (std::size_t index = 0; index < node.size(); ++index) {
    if (auto closure = read_closure(reader, node[index], fmt::format("closures[{}]", index))) {
      overlay.closures.push_back(std::move(*closure));
    }
  }
}

}  // namespace

bool is_calendar_id(std::string_view text) {
  if (text.empty() || text.size() > kMaxCalendarIdLength) return false;
  if (text[0] < 'A' || text[0] > 'Z') return false;
  for (char c : text) {
    bool allowed = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!allowed) return false;
  }
  return true;
}

std::optional<CalendarOverlay> parse_calendar_overlay(std::string_view yaml_text, const std::string& file_name,
                                                      Diagnostics& diagnostics) {
  std::size_t problems_before = diagnostics.size();
  auto root = load_yaml_mapping(yaml_text, file_name, diagnostics,
                                {"calendar", "base", "title", "source_url", "closures"});
  if (!root) return std::nullopt;
  YamlReader reader(file_name, diagnostics);

  CalendarOverlay overlay;
  overlay.calendar = read_calendar_id(reader, reader.require(*root, "calendar", ""), "calendar").value_or("");
  overlay.base = read_calendar_id(reader, reader.require(*root, "base", ""), "base").value_or("");
  overlay.title = reader.read_title(reader.require(*root, "title", ""), "title").value_or(LocalizedText{});
  overlay.source_url = reader.read_string(reader.require(*root, "source_url", ""), "source_url").value_or("");
  read_closures(reader, reader.require(*root, "closures", ""), overlay);

  if (!overlay.calendar.empty() && overlay.calendar == overlay.base) {
    YAML::Node base = (*root)["base"];
    reader.report(base, "base", describe_node(base),
                  {"另一个日历的标识：叠加日历不能以自身为基础", "the id of another calendar: an overlay cannot be its own base"});
  }

  if (diagnostics.size() != problems_before) return std::nullopt;
  return overlay;
}

}  // namespace sitecycle
