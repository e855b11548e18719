#include "icalendar.h"

#include <date/date.h>
#include <fmt/format.h>

namespace sitecycle {

namespace {

// RFC 5545 section 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
constexpr std::size_t kMaxLineOctets = 75;

constexpr std::string_view kProductId = "-//sitecycle//sitecycle deadlines//ZH";

bool is_continuation_byte(unsigned char byte) {
  return byte >= 0x80 && byte <= 0xBF;
}

// The length of the well-formed UTF-8 sequence (RFC 3629) at the start of `text`. It is 1 when
// `text` starts with a stray continuation byte, an overlong or surrogate form, a code point
// above U+10FFFF or a sequence cut short.
std::size_t utf8_sequence_length(std::string_view text) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);

  std::size_t length = 1;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
  }
  if (length == 1 || text.size() < length) return 1;

  if (byte(1) < second_min || byte(1) > second_max) return 1;
  for (std::size_t i = 2; i < length; ++i) {
    if (!is_continuation_byte(byte(i))) return 1;
  }
  return length;
}

// Control characters that no iCalendar value may contain. Tab is allowed.
bool is_forbidden_control(char character) {
  auto byte = static_cast<unsigned char>(character);
  return (byte < 0x20 && character != '\t') || byte == 0x7F;
}

// A URI value has no escaping, so control characters are removed to keep the value on its line.
std::string drop_control_characters(std::string_view text) {
  std::string result;
  for (char character : text) {
    if (!is_forbidden_control(character)) result += character;
  }
  return result;
}

std::string format_ical_date(Date date) {
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

Date next_day(Date date) {
  return Date{std::chrono::sys_days{date} + std::chrono::days{1}};
}

// The status text, then the description, one per line, leaving out whichever is empty.
std::string event_description(const CalendarEntry& entry) {
  if (entry.status_text.empty()) return entry.description;
  if (entry.description.empty()) return entry.status_text;
  return entry.status_text + "\n" + entry.description;
}

void append_line(std::string& out, std::string_view name, std::string_view value) {
  std::string line;
  line.reserve(name.size() + 1 + value.size());
  line.append(name).append(":").append(value);
  out += fold_ical_line(line);
  out += "\r\n";
}

void append_event(std::string& out, const CalendarEntry& entry, Instant stamp) {
  append_line(out, "BEGIN", "VEVENT");
  append_line(out, "UID", escape_ical_text(entry.uid));
  append_line(out, "DTSTAMP", format_ical_instant(stamp));
  append_line(out, "DTSTART;VALUE=DATE", format_ical_date(entry.due_date));
  append_line(out, "DTEND;VALUE=DATE", format_ical_date(next_day(entry.due_date)));
  append_line(out, "SUMMARY", escape_ical_text(entry.summary));

  std::string description = event_description(entry);
  if (!description.empty()) append_line(out, "DESCRIPTION", escape_ical_text(description));
  if (!entry.url.empty()) append_line(out, "URL", drop_control_characters(entry.url));

  append_line(out, "LAST-MODIFIED", format_ical_instant(entry.last_modified));
  append_line(out, "X-SITECYCLE-DUE", format_ical_instant(entry.due));
  // A deadline marks a day without blocking time in the subscriber's calendar.
  append_line(out, "TRANSP", "TRANSPARENT");
  append_line(out, "END", "VEVENT");
}

}  // namespace

std::string write_icalendar(const std::vector<CalendarEntry>& entries, std::string_view calendar_name, Instant stamp) {
  std::string out;
  append_line(out, "BEGIN", "VCALENDAR");
  append_line(out, "VERSION", "2.0");
  append_line(out, "PRODID", kProductId);
  append_line(out, "CALSCALE", "GREGORIAN");
  append_line(out, "METHOD", "PUBLISH");
  append_line(out, "X-WR-CALNAME", escape_ical_text(calendar_name));
  append_line(out, "X-WR-TIMEZONE", "Asia/Shanghai");

  for (const CalendarEntry& entry : entries) append_event(out, entry, stamp);

  append_line(out, "END", "VCALENDAR");
  return out;
}

std::string escape_ical_text(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char character : text) {
    switch (character) {
      case '\\': escaped += "\\\\"; break;
      case ';': escaped += "\\;"; break;
      case ',': escaped += "\\,"; break;
      case '\n': escaped += "\\n"; break;
      default:
        if (!is_forbidden_control(character)) escaped += character;
        break;
    }
  }
  return escaped;
}

std::string fold_ical_line(std::string_view line) {
  std::string folded;
  folded.reserve(line.size() + line.size() / (kMaxLineOctets - 1) * 3);

  std::size_t octets_on_line = 0;
  std::size_t position = 0;
  while (position < line.size()) {
    std::size_t length = utf8_sequence_length(line.substr(position));
    if (octets_on_line + length > kMaxLineOctets) {
      folded += "\r\n ";
      octets_on_line = 1;  // the leading space
    }
    folded.append(line.substr(position, length));
    octets_on_line += length;
    position += length;
  }
  return folded;
}

std::string format_ical_instant(Instant instant) {
  return date::format("%Y%m%dT%H%M%SZ", instant);
}

}  // namespace sitecycle
