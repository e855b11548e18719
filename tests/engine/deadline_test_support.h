// Helpers shared by the deadline tests: civil dates from text, instants at a Shanghai wall-clock
// time, a time zone with a fixed +08:00 offset, and the shipped CN working-day calendars.
#pragma once

#include "engine/calendar_loader.h"
#include "engine/deadline.h"
#include "engine/instant.h"
#include "engine/working_day_calendar.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sitecycle::testing {

// Parses a YYYY-MM-DD date and throws on a typing mistake in a test table.
inline Date day(std::string_view text) {
  std::optional<Date> parsed = parse_date(text);
  if (!parsed) throw std::invalid_argument("not a YYYY-MM-DD date: " + std::string(text));
  return *parsed;
}

// The instant of `hour`:`minute` Shanghai time (UTC+08:00) on `date`.
inline Instant shanghai_time(Date date, int hour, int minute = 0) {
  return Instant{std::chrono::sys_days{date}} + std::chrono::hours{hour - 8} + std::chrono::minutes{minute};
}

// Maps dates to instants with a fixed +08:00 offset for every zone name. Asia/Shanghai has kept
// that offset without daylight saving time since 1991, so for the dates in these tests this
// equals the tz database while keeping the engine tests free of it.
class FixedOffsetZones final : public TimeZones {
 public:
  Instant start_of_day(Date date, std::string_view) const override { return shanghai_time(date, 0); }
  Date local_date(Instant instant, std::string_view) const override {
    return Date{std::chrono::floor<std::chrono::days>(instant + std::chrono::hours{8})};
  }
};

// Loads one year of workflows/calendars/CN as shipped. Throws with every diagnostic if it does not parse.
inline CalendarYear shipped_cn_year(int year) {
  std::filesystem::path path =
      std::filesystem::path(SITECYCLE_SOURCE_DIR) / "workflows" / "calendars" / "CN" / (std::to_string(year) + ".yaml");
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << file.rdbuf();
  Diagnostics diagnostics;
  std::optional<CalendarYear> parsed = parse_calendar_year(text.str(), path.string(), diagnostics);
  if (!parsed || !diagnostics.empty()) {
    std::string all;
    for (const Diagnostic& diagnostic : diagnostics) all += diagnostic.to_string() + "\n";
    throw std::runtime_error("shipped calendar does not parse:\n" + all);
  }
  return *parsed;
}

// A CN calendar with the shipped `years` loaded and no other year.
inline WorkingDayCalendar shipped_cn_calendar(std::initializer_list<int> years) {
  WorkingDayCalendar calendar;
  for (int year : years) calendar.add_year(shipped_cn_year(year));
  return calendar;
}

}  // namespace sitecycle::testing
