#include "instant.h"

#include <date/date.h>
#include <fmt/format.h>

#include <sstream>

namespace sitecycle {

std::string format_instant(Instant instant) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", instant);
}

std::optional<Instant> parse_utc_instant(std::string_view text) {
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
