// Parses one year of a working-day calendar from YAML text. Reading files is the caller's job.
#pragma once

#include "diagnostic.h"
#include "working_day_calendar.h"

#include <optional>
#include <string>
#include <string_view>

namespace sitecycle {

// Parses a file such as workflows/calendars/CN/2026.yaml:
//   calendar: CN
//   year: 2026
//   notice: 国务院办公厅关于2026年部分节假日安排的通知
//   notice_number: null            # or the document number
//   notice_date: 2025-11-04
//   source_url: https://...
//   holidays: [{name: {zh-CN: 春节, en: Spring Festival}, from: 2026-02-15, to: 2026-02-23}]
//   makeup_workdays: [2026-02-14, 2026-02-28]
// Every problem is appended to `diagnostics` with file:line:column in zh-CN and en; the year is
// returned only when there were none. Checked: unknown and missing keys, bilingual holiday names,
// YYYY-MM-DD dates, from <= to, every holiday and make-up date inside `year` (so a holiday may
// not cross the year end), make-up days on a Saturday or Sunday, and no day both a holiday and a
// make-up day.
std::optional<CalendarYear> parse_calendar_year(std::string_view yaml_text, const std::string& file_name,
                                                Diagnostics& diagnostics);

}  // namespace sitecycle
