#include "instant.h"

#include <date/date.h>
#include <fmt/format.h>

#include <sstream>

namespace sitecycle {

namespace {

// Digits at text[from, from + length), or -1 when any is not a digit.
int digits_at(std::string_view text, std::size_t from, std::size_t length) {
  int value = 0;
  for (std::size_t i = from; i < from + length; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// The stored form "YYYY-MM-DDTHH:MM:SSZ", read without streams because stores read it for every
// row. Returns nullopt for any other form, which the general parser then handles.
std::optional<Instant> parse_canonical_utc(std::string_view text) {
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  int year = digits_at(text, 0, 4);
  int month = digits_at(text, 5, 2);
  int day = digits_at(text, 8, 2);
  int hour = digits_at(text, 11, 2);
  int minute = digits_at(text, 14, 2);
  int second = digits_at(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 59) {
    return std::nullopt;
  }
  Date date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return Instant{std::chrono::sys_days{date}} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

// "Z", or an offset "+HH:MM" / "-HH:MM" within the offsets in use (-12:00 to +14:00), which the
// date library's %Ez does not range-check.
bool has_valid_offset(std::string_view text) {
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) return true;
  if (text.size() < 6) return false;
  std::string_view offset = text.substr(text.size() - 6);
  if ((offset[0] != '+' && offset[0] != '-') || offset[3] != ':') return false;
  int hours = digits_at(offset, 1, 2);
  int minutes = digits_at(offset, 4, 2);
  if (hours < 0 || minutes < 0 || minutes > 59) return false;
  int total = hours * 60 + minutes;
  return offset[0] == '+' ? total <= 14 * 60 : total <= 12 * 60;
}

}  // namespace

std::string format_instant(Instant instant) {
  auto day = std::chrono::floor<std::chrono::days>(instant);
  Date date{day};
  std::chrono::hh_mm_ss time{instant - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count());
}

std::optional<Instant> parse_utc_instant(std::string_view text) {
  if (auto canonical = parse_canonical_utc(text)) return canonical;
  if (!has_valid_offset(text)) return std::nullopt;
  std::string input(text);
  std::istringstream stream(input);
  date::sys_seconds parsed;
  if (!input.empty() && (input.back() == 'Z' || input.back() == 'z')) {
    stream >> date::parse("%Y-%m-%dT%H:%M:%S", parsed);
    if (stream.fail()) return std::nullopt;
    stream.get();  // the Z
  } else {
    stream >> date::parse("%Y-%m-%dT%H:%M:%S%Ez", parsed);
    if (stream.fail()) return std::nullopt;
  }
  if (stream.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return Instant{parsed};
}

bool is_supported_date(Date date) {
  int year = static_cast<int>(date.year());
  return date.ok() && year >= kMinSupportedYear && year <= kMaxSupportedYear;
}

bool is_supported_instant(Instant instant) {
  return is_supported_date(Date{std::chrono::floor<std::chrono::days>(instant)});
}

std::string format_date(Date value) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(value.year()),
                     static_cast<unsigned>(value.month()), static_cast<unsigned>(value.day()));
}

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  auto number = [&](std::size_t from, std::size_t length) {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  Date result{std::chrono::year{number(0, 4)}, std::chrono::month{static_cast<unsigned>(number(5, 2))},
              std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  if (!result.ok()) return std::nullopt;
  return result;
}

}  // namespace sitecycle
