// An iCalendar (RFC 5545) feed of deadlines, for subscribing from a calendar application.
#pragma once

#include "engine/instant.h"

#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

// One deadline as an all-day event on its last day.
struct CalendarEntry {
  std::string uid;            // Stable across feeds, such as "deadline-42@sitecycle".
  Date due_date{};              // The last day of the period, a civil date in Asia/Shanghai.
  Instant due;                // The end of the period, in UTC.
  std::string summary;        // Already localized by the caller.
  std::string description;    // Already localized. May contain newlines, commas, semicolons, backslashes.
  std::string url;            // May be empty.
  Instant last_modified;
  std::string status_text;    // Such as "已超期 2 个工作日". The first line of the event's description.
};

// Writes a VCALENDAR with one all-day VEVENT per entry, in order. Each event runs from
// `due_date` (DTSTART;VALUE=DATE) to the next day (DTEND;VALUE=DATE), carries `due` as
// X-SITECYCLE-DUE, has DTSTAMP `stamp` and is TRANSP:TRANSPARENT (free, not busy). DESCRIPTION
// is the status text and the description on separate lines, and is left out when both are
// empty, as URL is when empty. The calendar has a fixed PRODID, CALSCALE:GREGORIAN,
// METHOD:PUBLISH, X-WR-CALNAME `calendar_name` and X-WR-TIMEZONE:Asia/Shanghai. Every line is
// folded by fold_ical_line and ends with CRLF. Requires valid dates.
std::string write_icalendar(const std::vector<CalendarEntry>& entries, std::string_view calendar_name, Instant stamp);

// Escapes a TEXT value (RFC 5545 section 3.3.11): backslash, semicolon and comma get a backslash,
// a newline becomes "\n", and CR and the other control characters except tab are dropped because
// TEXT does not allow them.
std::string escape_ical_text(std::string_view text);

// Folds one content line, given without its CRLF, so that no physical line exceeds 75 octets.
// Each continuation line starts with one space. A UTF-8 character is never split across lines,
// and a byte that does not start a valid UTF-8 sequence is kept as a single octet. Returns the
// physical lines joined by CRLF, without a final CRLF.
std::string fold_ical_line(std::string_view line);

// "20260316T160000Z": an instant in the UTC form of a DATE-TIME value.
std::string format_ical_instant(Instant instant);

}  // namespace sitecycle
