#include "calendar_loader.h"

#include "yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include <chrono>

namespace sitecycle {

namespace {

using std::chrono::sys_days;

// A date as written, with where it was written, for the cross-checks after reading.
struct DateAt {
  Date date;
  YAML::Node node;
  std::string key_path;
};

enum class DateRole { holiday_end, makeup_workday };

// Reports a date outside the file's year; returns whether it is inside. A holiday that runs
// into the next year is split, so each file holds only its own days.
bool check_in_year(YamlReader& reader, const DateAt& at, int year, DateRole role) {
  if (static_cast<int>(at.date.year()) == year) return true;
  LocalizedText expected{fmt::format("{} 年内的日期", year), fmt::format("a date in {}", year)};
  if (role == DateRole::holiday_end) {
    expected.zh_cn += "（节假日不得跨年，跨年部分写入下一年的文件）";
    expected.en += " (a holiday may not cross the year end; put its days in the next year in that year's file)";
  }
  reader.report(at.node, at.key_path, describe_node(at.node), expected);
  return false;
}

void read_holidays(YamlReader& reader, const YAML::Node& node, int year, CalendarYear& calendar_year) {
  if (!reader.expect_sequence(node, "holidays")) return;
  for (std::size_t index = 0; index < node.size(); ++index) {
    YAML::Node entry = node[index];
    std::string entry_path = fmt::format("holidays[{}]", index);
    if (!reader.expect_map(entry, entry_path)) continue;
    reader.check_keys(entry, entry_path, {"name", "from", "to"});

    auto name = reader.read_title(reader.require(entry, "name", entry_path), join_path(entry_path, "name"));
    std::string from_path = join_path(entry_path, "from");
    std::string to_path = join_path(entry_path, "to");
    auto from = reader.read_date(reader.require(entry, "from", entry_path), from_path);
    auto to = reader.read_date(reader.require(entry, "to", entry_path), to_path);
    if (!name || !from || !to) continue;

    bool from_in_year = check_in_year(reader, {*from, entry["from"], from_path}, year, DateRole::holiday_end);
    bool to_in_year = check_in_year(reader, {*to, entry["to"], to_path}, year, DateRole::holiday_end);
    if (sys_days{*from} > sys_days{*to}) {
      reader.report(entry["to"], to_path, describe_node(entry["to"]),
                    {fmt::format("不早于 from（{}）的日期", format_date(*from)),
                     fmt::format("a date on or after from ({})", format_date(*from))});
      continue;
    }
    if (!from_in_year || !to_in_year) continue;
    const Holiday* overlapping = nullptr;
    for (const Holiday& earlier : calendar_year.holidays) {
      if (sys_days{*to} >= sys_days{earlier.from} && sys_days{*from} <= sys_days{earlier.to}) overlapping = &earlier;
    }
    if (overlapping != nullptr) {
      reader.report(entry["from"], from_path, describe_node(entry["from"]),
                    {fmt::format("不与节假日\"{}\"（{} 至 {}）重叠的日期范围；同一假期只写一次", overlapping->name.zh_cn,
                                 format_date(overlapping->from), format_date(overlapping->to)),
                     fmt::format("a span that does not overlap the holiday \"{}\" ({} to {}); list each holiday once",
                                 overlapping->name.en, format_date(overlapping->from), format_date(overlapping->to))});
      continue;
    }
    calendar_year.holidays.push_back(Holiday{*name, *from, *to});
  }
}

void read_makeup_workdays(YamlReader& reader, const YAML::Node& node, int year, CalendarYear& calendar_year) {
  if (!reader.expect_sequence(node, "makeup_workdays")) return;
  for (std::size_t index = 0; index < node.size(); ++index) {
    std::string day_path = fmt::format("makeup_workdays[{}]", index);
    auto date = reader.read_date(node[index], day_path);
    if (!date) continue;
    if (!check_in_year(reader, {*date, node[index], day_path}, year, DateRole::makeup_workday)) continue;

    std::chrono::weekday weekday{sys_days{*date}};
    if (weekday != std::chrono::Saturday && weekday != std::chrono::Sunday) {
      reader.report(node[index], day_path, describe_node(node[index]),
                    {"周六或周日：调休上班日只能是周末，工作日本来就要上班",
                     "a Saturday or Sunday: a make-up working day replaces a weekend day, and weekdays are worked anyway"});
      continue;
    }
    if (std::find(calendar_year.makeup_workdays.begin(), calendar_year.makeup_workdays.end(), *date) !=
        calendar_year.makeup_workdays.end()) {
      reader.report(node[index], day_path, describe_node(node[index]),
                    {"尚未列出的日期（每个调休上班日只写一次）", "a date not listed before (list each make-up working day once)"});
      continue;
    }
    calendar_year.makeup_workdays.push_back(*date);
  }
}

// Reports each make-up day that also lies inside a holiday.
void check_overlaps(YamlReader& reader, const YAML::Node& makeup_node, const CalendarYear& calendar_year) {
  if (!makeup_node.IsSequence()) return;
  for (std::size_t index = 0; index < makeup_node.size(); ++index) {
    auto date = makeup_node[index].IsScalar() ? parse_date(makeup_node[index].Scalar()) : std::nullopt;
    if (!date) continue;
    for (const Holiday& holiday : calendar_year.holidays) {
      if (sys_days{*date} < sys_days{holiday.from} || sys_days{*date} > sys_days{holiday.to}) continue;
      reader.report(makeup_node[index], fmt::format("makeup_workdays[{}]", index), describe_node(makeup_node[index]),
                    {fmt::format("不在假期“{}”（{} 至 {}）内的日期：同一天不能既放假又调休上班", holiday.name.zh_cn,
                                 format_date(holiday.from), format_date(holiday.to)),
                     fmt::format("a date outside the holiday \"{}\" ({} to {}): a day cannot be both a holiday and a "
                                 "make-up working day",
                                 holiday.name.en, format_date(holiday.from), format_date(holiday.to))});
    }
  }
}

}  // namespace

std::optional<CalendarYear> parse_calendar_year(std::string_view yaml_text, const std::string& file_name,
                                                Diagnostics& diagnostics) {
  std::size_t problems_before = diagnostics.size();
  auto root = load_yaml_mapping(yaml_text, file_name, diagnostics,
                                {"calendar", "year", "notice", "notice_number", "notice_date", "source_url", "holidays",
                                 "makeup_workdays"});
  if (!root) return std::nullopt;
  YamlReader reader(file_name, diagnostics);

  CalendarYear calendar_year;
  calendar_year.calendar = reader.read_string(reader.require(*root, "calendar", ""), "calendar").value_or("");
  calendar_year.notice = reader.read_string(reader.require(*root, "notice", ""), "notice").value_or("");
  calendar_year.source_url = reader.read_string(reader.require(*root, "source_url", ""), "source_url").value_or("");
  YAML::Node notice_number = reader.require(*root, "notice_number", "");
  if (notice_number.IsDefined() && !notice_number.IsNull()) {
    calendar_year.notice_number = reader.read_string(notice_number, "notice_number");
  }
  if (auto notice_date = reader.read_date(reader.require(*root, "notice_date", ""), "notice_date")) {
    calendar_year.notice_date = format_date(*notice_date);
  }

  auto year = reader.read_integer(reader.require(*root, "year", ""), "year");
  if (year && (*year < 1949 || *year > 9999)) {
    reader.report((*root)["year"], "year", describe_node((*root)["year"]), {"1949 至 9999 之间的年份", "a year from 1949 to 9999"});
    year.reset();
  }
  if (!year) return std::nullopt;
  calendar_year.year = static_cast<int>(*year);

  read_holidays(reader, reader.require(*root, "holidays", ""), calendar_year.year, calendar_year);
  YAML::Node makeup_node = reader.require(*root, "makeup_workdays", "");
  read_makeup_workdays(reader, makeup_node, calendar_year.year, calendar_year);
  check_overlaps(reader, makeup_node, calendar_year);

  if (diagnostics.size() != problems_before) return std::nullopt;
  return calendar_year;
}

}  // namespace sitecycle
