#include "adapters/icalendar.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace sitecycle;

namespace {

using namespace std::chrono_literals;

Instant at(std::chrono::year_month_day day, std::chrono::seconds time_of_day) {
  return Instant{std::chrono::sys_days{day}} + time_of_day;
}

std::vector<std::string> split_crlf(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find("\r\n", start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
}

// Undoes folding (RFC 5545 section 3.1): a CRLF followed by one space is removed.
std::string unfold(const std::string& text) {
  std::string unfolded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    unfolded += text[i];
  }
  return unfolded;
}

// A plain decoder, independent of the one in icalendar.cpp: true when `text` is well-formed
// UTF-8 (no stray continuation bytes, overlong forms, surrogates or code points above U+10FFFF).
bool is_valid_utf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    char32_t code_point = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    const char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < smallest[length] || code_point > 0x10FFFF) return false;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    i += length;
  }
  return true;
}

// Checks the folding contract on `folded`, the result of folding `line`.
void check_folding(const std::string& line, const std::string& folded, bool expect_valid_utf8) {
  std::vector<std::string> physical = split_crlf(folded);
  for (std::size_t i = 0; i < physical.size(); ++i) {
    INFO("physical line " << i << ": " << physical[i]);
    CHECK(physical[i].size() <= 75);
    if (i > 0) CHECK(physical[i].rfind(' ', 0) == 0);
    if (expect_valid_utf8) CHECK(is_valid_utf8(physical[i]));
  }
  CHECK(unfold(folded) == line);
}

std::string repeat(std::string_view piece, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += piece;
  return text;
}

}  // namespace

TEST_CASE("fold keeps a line of exactly 75 octets whole", "[icalendar]") {
  std::string line = "DESCRIPTION:" + std::string(63, 'a');
  REQUIRE(line.size() == 75);

  CHECK(fold_ical_line(line) == line);
}

TEST_CASE("fold breaks a 76-octet line after octet 75", "[icalendar]") {
  std::string line = "DESCRIPTION:" + std::string(64, 'a');

  CHECK(fold_ical_line(line) == line.substr(0, 75) + "\r\n " + line.substr(75));
}

TEST_CASE("fold counts the leading space of continuation lines", "[icalendar]") {
  std::string line(75 + 74 + 1, 'x');
  std::string folded = fold_ical_line(line);

  CHECK(folded == std::string(75, 'x') + "\r\n " + std::string(74, 'x') + "\r\n x");
  check_folding(line, folded, true);
}

TEST_CASE("fold of an empty line is empty", "[icalendar]") {
  CHECK(fold_ical_line("") == "");
}

TEST_CASE("fold never splits Chinese characters", "[icalendar]") {
  // "SUMMARY:" is 8 octets, so 3-octet characters cross the 75-octet mark at every offset.
  for (int prefix = 0; prefix < 3; ++prefix) {
    std::string line = "SUMMARY:" + std::string(prefix, '-') + repeat("地块调查报告评审", 12);
    INFO("ASCII octets before the Chinese text: " << 8 + prefix);
    check_folding(line, fold_ical_line(line), true);
  }
}

TEST_CASE("fold moves a Chinese character that would cross octet 75", "[icalendar]") {
  // 73 ASCII octets leave room for 2 more, so the 3-octet character starts the next line.
  std::string line = std::string(73, 'a') + "审b";

  CHECK(fold_ical_line(line) == std::string(73, 'a') + "\r\n 审b");
}

TEST_CASE("fold keeps a 4-octet emoji whole at the boundary", "[icalendar]") {
  const std::string emoji = "\xF0\x9F\x98\x80";  // U+1F600

  SECTION("ending exactly at octet 75") {
    std::string line = std::string(71, 'a') + emoji + "b";
    CHECK(fold_ical_line(line) == std::string(71, 'a') + emoji + "\r\n b");
  }
  SECTION("crossing octet 75 by one to three octets") {
    for (int ascii = 72; ascii <= 74; ++ascii) {
      INFO("ASCII octets before the emoji: " << ascii);
      std::string line = std::string(ascii, 'a') + emoji;
      std::string folded = fold_ical_line(line);
      CHECK(folded == std::string(ascii, 'a') + "\r\n " + emoji);
      check_folding(line, folded, true);
    }
  }
  SECTION("many emoji on continuation lines") {
    std::string line = "SUMMARY:" + repeat(emoji, 60);
    check_folding(line, fold_ical_line(line), true);
  }
}

TEST_CASE("fold treats malformed UTF-8 as single octets", "[icalendar]") {
  const std::vector<std::string> malformed{
      "\xFF\xFE",          // bytes that never occur in UTF-8
      "\x80\xBF",          // continuation bytes with no lead byte
      "\xE5\xAE",          // a 3-octet sequence cut short
      "\xE5\x41\x42",      // a lead byte followed by ASCII
      "\xC0\xAF",          // an overlong '/'
      "\xED\xA0\x80",      // a UTF-16 surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
  };
  for (const std::string& bad : malformed) {
    for (int ascii = 70; ascii <= 75; ++ascii) {
      std::string line = std::string(ascii, 'a') + bad + "审" + repeat(bad, 40);
      INFO("ASCII octets before the malformed bytes: " << ascii);
      check_folding(line, fold_ical_line(line), false);
    }
  }

  // A cut-short sequence at the very end of the input.
  std::string line = std::string(74, 'a') + "\xE5\xAE";
  CHECK(fold_ical_line(line) == std::string(74, 'a') + "\xE5\r\n \xAE");
}

TEST_CASE("escape handles the TEXT special characters", "[icalendar]") {
  CHECK(escape_ical_text("plain 文本") == "plain 文本");
  CHECK(escape_ical_text("a\\b") == "a\\\\b");
  CHECK(escape_ical_text("a;b,c") == "a\\;b\\,c");
  CHECK(escape_ical_text("line 1\nline 2") == "line 1\\nline 2");
  CHECK(escape_ical_text("line 1\r\nline 2\r") == "line 1\\nline 2");
  CHECK(escape_ical_text("C:\\reports\\a.pdf, p. 3; see\n") == "C:\\\\reports\\\\a.pdf\\, p. 3\\; see\\n");
  CHECK(escape_ical_text("") == "");
}

TEST_CASE("escape drops control characters but keeps tab", "[icalendar]") {
  CHECK(escape_ical_text(std::string("a\x01" "b\x7F" "c\td\0e", 9)) == "abc\tde");
}

TEST_CASE("ical instant uses the UTC form", "[icalendar]") {
  CHECK(format_ical_instant(at(std::chrono::year{2026} / 3 / 16, 16h)) == "20260316T160000Z");
  CHECK(format_ical_instant(at(std::chrono::year{2025} / 12 / 31, 23h + 59min + 59s)) == "20251231T235959Z");
}

TEST_CASE("empty feed has only the calendar lines", "[icalendar]") {
  std::string feed = write_icalendar({}, "sitecycle", at(std::chrono::year{2026} / 3 / 17, 2h));

  CHECK(feed ==
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//sitecycle//sitecycle deadlines//ZH\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        "X-WR-CALNAME:sitecycle\r\n"
        "X-WR-TIMEZONE:Asia/Shanghai\r\n"
        "END:VCALENDAR\r\n");
}

TEST_CASE("feed of two deadlines matches the expected text", "[icalendar]") {
  CalendarEntry overdue{
      .uid = "deadline-42@sitecycle",
      .due_date = std::chrono::year{2026} / 3 / 16,
      .due = at(std::chrono::year{2026} / 3 / 16, 16h),
      .summary = "调查报告评审期限, 浦东曹路 C1-A3",
      .description = "评审意见：补充地下水采样点位; 见附件 C:\\reports\\a.pdf\r\n第 3 页",
      .url = "http://127.0.0.1:8080/api/v1/cases/pudong_caolu_c1_a3",
      .last_modified = at(std::chrono::year{2026} / 3 / 10, 2h),
      .status_text = "已超期 1 个工作日",
  };
  CalendarEntry bare{
      .uid = "deadline-43@sitecycle",
      .due_date = std::chrono::year{2026} / 10 / 13,
      .due = at(std::chrono::year{2026} / 10 / 13, 16h),
      .summary = "Supply gate; Jiading 84-01b",
      .description = "",
      .url = "",
      .last_modified = at(std::chrono::year{2026} / 3 / 1, 0h),
      .status_text = "",
  };

  std::string feed = write_icalendar({overdue, bare}, "sitecycle 期限, 浦东", at(std::chrono::year{2026} / 3 / 17, 2h));

  // The first DESCRIPTION line is 74 octets, so the 3-octet 点 starts the continuation line.
  CHECK(feed ==
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//sitecycle//sitecycle deadlines//ZH\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        "X-WR-CALNAME:sitecycle 期限\\, 浦东\r\n"
        "X-WR-TIMEZONE:Asia/Shanghai\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:deadline-42@sitecycle\r\n"
        "DTSTAMP:20260317T020000Z\r\n"
        "DTSTART;VALUE=DATE:20260316\r\n"
        "DTEND;VALUE=DATE:20260317\r\n"
        "SUMMARY:调查报告评审期限\\, 浦东曹路 C1-A3\r\n"
        "DESCRIPTION:已超期 1 个工作日\\n评审意见：补充地下水采样\r\n"
        " 点位\\; 见附件 C:\\\\reports\\\\a.pdf\\n第 3 页\r\n"
        "URL:http://127.0.0.1:8080/api/v1/cases/pudong_caolu_c1_a3\r\n"
        "LAST-MODIFIED:20260310T020000Z\r\n"
        "X-SITECYCLE-DUE:20260316T160000Z\r\n"
        "TRANSP:TRANSPARENT\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:deadline-43@sitecycle\r\n"
        "DTSTAMP:20260317T020000Z\r\n"
        "DTSTART;VALUE=DATE:20261013\r\n"
        "DTEND;VALUE=DATE:20261014\r\n"
        "SUMMARY:Supply gate\\; Jiading 84-01b\r\n"
        "LAST-MODIFIED:20260301T000000Z\r\n"
        "X-SITECYCLE-DUE:20261013T160000Z\r\n"
        "TRANSP:TRANSPARENT\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n");
}

TEST_CASE("feed ends every line with CRLF and keeps lines short", "[icalendar]") {
  CalendarEntry entry{
      .uid = "deadline-7@sitecycle",
      .due_date = std::chrono::year{2026} / 12 / 31,
      .due = at(std::chrono::year{2026} / 12 / 31, 16h),
      .summary = repeat("土壤污染状况调查报告评审", 10),
      .description = repeat("第一行\n第二行, 含逗号; 分号\\反斜杠\r\n", 8),
      .url = "http://127.0.0.1:8080/api/v1/cases/x\r\nX-INJECTED:1",
      .last_modified = at(std::chrono::year{2026} / 12 / 1, 0h),
      .status_text = "已超期 2 个工作日",
  };
  std::string feed = write_icalendar({entry}, "sitecycle", at(std::chrono::year{2026} / 12 / 31, 0h));

  REQUIRE(feed.size() >= 2);
  CHECK(feed.substr(feed.size() - 2) == "\r\n");
  for (std::size_t i = 0; i < feed.size(); ++i) {
    if (feed[i] == '\n') CHECK((i > 0 && feed[i - 1] == '\r'));
    if (feed[i] == '\r') CHECK((i + 1 < feed.size() && feed[i + 1] == '\n'));
  }
  for (const std::string& line : split_crlf(feed)) {
    INFO(line);
    CHECK(line.size() <= 75);
    CHECK(is_valid_utf8(line));
  }

  // The year-end event ends on the first day of the next year, and the URL stays on one line.
  std::string unfolded = unfold(feed);
  CHECK(unfolded.find("DTEND;VALUE=DATE:20270101\r\n") != std::string::npos);
  CHECK(unfolded.find("URL:http://127.0.0.1:8080/api/v1/cases/xX-INJECTED:1\r\n") != std::string::npos);
  CHECK(unfolded.find("\r\nX-INJECTED") == std::string::npos);
}
