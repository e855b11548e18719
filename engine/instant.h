// Instants in UTC and civil dates. Conversions through a time zone live in adapters/.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sitecycle {

// A point in time, stored and exchanged in UTC with second precision.
using Instant = std::chrono::sys_seconds;
// A civil date with no time zone, as used by calendars and date fields.
using Date = std::chrono::year_month_day;

// "2026-03-16T01:30:00Z".
std::string format_instant(Instant instant);
// Parses an instant that carries a UTC offset ("...Z" or "...+08:00").
std::optional<Instant> parse_utc_instant(std::string_view text);

// The years sitecycle accepts in dates and clocks. Every period counted from them ends before
// year 10000, which keeps the four-digit YYYY-MM-DD form valid.
inline constexpr int kMinSupportedYear = 1900;
inline constexpr int kMaxSupportedYear = 2999;
bool is_supported_date(Date date);
bool is_supported_instant(Instant instant);

// "2026-03-16".
std::string format_date(Date date);
// Parses YYYY-MM-DD and rejects impossible dates such as 2026-02-30.
std::optional<Date> parse_date(std::string_view text);

// The clock value a command runs at: the instant, and the civil date at the acting agency
// (Asia/Shanghai by default). The caller computes the date, so the engine reads no clock or
// time zone database.
struct Moment {
  Instant instant;
  Date local_date{};
};

}  // namespace sitecycle
