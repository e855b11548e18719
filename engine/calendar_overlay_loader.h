// Parses a calendar overlay: a local calendar that is a base calendar plus extra days off.
// Reading files and resolving the base calendar are the caller's job.
#pragma once

#include "diagnostic.h"
#include "working_day_calendar.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

// Extra days off of a local agency, such as a city's own extension of a public holiday.
struct CalendarClosure {
  Holiday days;
  std::string source_url;
};

// The content of <calendars>/<ID>/overlay.yaml.
struct CalendarOverlay {
  std::string calendar;  // Its own id, such as "CN-SH".
  std::string base;      // The id of the calendar it adds closures to, such as "CN".
  LocalizedText title;
  std::string source_url;
  std::vector<CalendarClosure> closures;
};

// True for calendar ids: an uppercase ASCII letter, then uppercase letters, digits or hyphens, at
// most 32 characters in all ("CN", "CN-SH").
bool is_calendar_id(std::string_view text);

// Parses <calendars>/<ID>/overlay.yaml, such as:
//   calendar: CN-SH
//   base: CN
//   title: {zh-CN: 上海市, en: Shanghai}
//   source_url: https://...
//   closures:
//     - name: {zh-CN: 延迟复工, en: Delayed return to work}
//       from: 2026-02-24
//       to: 2026-02-27
//       source_url: https://...
// Every problem is appended to `diagnostics` with file:line:column in zh-CN and en; the overlay is
// returned only when there were none. Checked: unknown, repeated and missing keys, calendar ids,
// bilingual names and title, YYYY-MM-DD dates and from <= to. A closure may cross the year end.
std::optional<CalendarOverlay> parse_calendar_overlay(std::string_view yaml_text, const std::string& file_name,
                                                      Diagnostics& diagnostics);

}  // namespace sitecycle
