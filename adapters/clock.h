// Clocks and time-zone conversion. The engine never reads a clock: callers take a Moment from
// one of these and pass it in.
#pragma once

#include "engine/deadline.h"
#include "engine/instant.h"

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace sitecycle {

// The time zone of every Shanghai agency.
inline constexpr const char* kShanghaiZone = "Asia/Shanghai";

// The civil date at `instant` in the IANA zone `zone` (from the system tz database).
// Throws std::runtime_error when the zone is unknown.
Date local_date(Instant instant, std::string_view zone = kShanghaiZone);

// Parses "2022-01-13T10:00:00+08:00" or "...Z" as given, and "2022-01-13T10:00:00" or
// "2022-01-13" as local time in `zone`. Instants outside the supported years (see
// is_supported_instant) give nullopt, because clocks set there would count past year 9999.
std::optional<Instant> parse_instant(std::string_view text, std::string_view zone = kShanghaiZone);

Moment make_moment(Instant instant, std::string_view zone = kShanghaiZone);

// The first instant of `date` in `zone`. Throws std::runtime_error when the zone is unknown.
Instant start_of_local_day(Date date, std::string_view zone = kShanghaiZone);

// TimeZones on the system tz database (Howard Hinnant's date library).
class TzDatabaseZones final : public TimeZones {
 public:
  Instant start_of_day(Date date, std::string_view zone) const override { return start_of_local_day(date, zone); }
  Date local_date(Instant instant, std::string_view zone) const override { return sitecycle::local_date(instant, zone); }
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Moment now() const = 0;
};

// Real time.
class SystemClock final : public Clock {
 public:
  Moment now() const override;
};

// Starts at a given instant and then runs on at real speed (`serve --now`).
class StartedClock final : public Clock {
 public:
  explicit StartedClock(Instant start);
  Moment now() const override;

 private:
  Instant start_;
  std::chrono::steady_clock::time_point started_at_;
};

// Moves only through set() and advance() (scenario replay and tests). Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start);
  Moment now() const override;
  void set(Instant instant);
  void advance(std::chrono::seconds by);

 private:
  mutable std::mutex mutex_;
  Instant current_;
};

}  // namespace sitecycle
