#include "adapters/clock.h"

#include <date/tz.h>

#include <sstream>
#include <stdexcept>

namespace sitecycle {

Date local_date(Instant instant, std::string_view zone) {
  const date::time_zone* time_zone = date::locate_zone(std::string(zone));
  auto local = time_zone->to_local(instant);
  auto days = std::chrono::floor<std::chrono::days>(local.time_since_epoch());
  return Date{std::chrono::sys_days{days}};
}

static std::optional<Instant> parse_any_instant(std::string_view text, std::string_view zone);

Instant start_of_local_day(Date date, std::string_view zone) {
  const date::time_zone* time_zone = date::locate_zone(std::string(zone));
  date::local_seconds midnight{date::local_days{date::year_month_day{
      date::year{static_cast<int>(date.year())}, date::month{static_cast<unsigned>(date.month())},
      date::day{static_cast<unsigned>(date.day())}}}};
  return Instant{time_zone->to_sys(midnight, date::choose::earliest)};
}

std::optional<Instant> parse_instant(std::string_view text, std::string_view zone) {
  std::optional<Instant> parsed = parse_any_instant(text, zone);
  if (!parsed || !is_supported_instant(*parsed)) return std::nullopt;
  return parsed;
}

std::optional<Instant> parse_any_instant(std::string_view text, std::string_view zone) {
  if (auto utc = parse_utc_instant(text)) return utc;

  std::string input(text);
  date::local_seconds local;
  std::istringstream stream(input);
  if (input.size() == 10) {
    auto day = parse_date(input);
    if (!day) return std::nullopt;
    local = date::local_seconds{date::local_days{date::year_month_day{
        date::year{static_cast<int>(day->year())}, date::month{static_cast<unsigned>(day->month())},
        date::day{static_cast<unsigned>(day->day())}}}};
  } else {
    stream >> date::parse("%Y-%m-%dT%H:%M:%S", local);
    if (stream.fail() || stream.peek() != std::char_traits<char>::eof()) return std::nullopt;
  }
  try {
    const date::time_zone* time_zone = date::locate_zone(std::string(zone));
    return Instant{time_zone->to_sys(local, date::choose::earliest)};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Moment make_moment(Instant instant, std::string_view zone) {
  return Moment{instant, local_date(instant, zone)};
}

Moment SystemClock::now() const {
  return make_moment(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

StartedClock::StartedClock(Instant start) : start_(start), started_at_(std::chrono::steady_clock::now()) {}

Moment StartedClock::now() const {
  auto elapsed = std::chrono::floor<std::chrono::seconds>(std::chrono::steady_clock::now() - started_at_);
  return make_moment(start_ + elapsed);
}

ManualClock::ManualClock(Instant start) : current_(start) {}

Moment ManualClock::now() const {
  std::lock_guard lock(mutex_);
  return make_moment(current_);
}

void ManualClock::set(Instant instant) {
  std::lock_guard lock(mutex_);
  current_ = instant;
}

void ManualClock::advance(std::chrono::seconds by) {
  std::lock_guard lock(mutex_);
  current_ += by;
}

}  // namespace sitecycle
