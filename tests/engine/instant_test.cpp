#include "engine/instant.h"

#include <catch2/catch.hpp>

using namespace sitecycle;

TEST_CASE("instant round-trips through UTC text", "[instant]") {
  auto parsed = parse_utc_instant("2026-03-16T09:30:00+08:00");
  REQUIRE(parsed);
  CHECK(format_instant(*parsed) == "2026-03-16T01:30:00Z");
  CHECK(parse_utc_instant("2026-03-16T01:30:00Z") == parsed);
  CHECK_FALSE(parse_utc_instant("2026-03-16T01:30:00"));
  CHECK_FALSE(parse_utc_instant("2026-03-16T01:30:00Zjunk"));
}

TEST_CASE("date parsing rejects impossible dates", "[instant]") {
  CHECK(parse_date("2024-02-29"));
  CHECK_FALSE(parse_date("2026-02-29"));
  CHECK_FALSE(parse_date("2026-13-01"));
  CHECK_FALSE(parse_date("2026-1-01"));
  CHECK(format_date(*parse_date("2026-02-28")) == "2026-02-28");
}

TEST_CASE("stored instants round-trip", "[instant]") {
  for (const char* text : {"2026-03-16T01:30:00Z", "2025-12-31T23:59:59Z", "2024-02-29T00:00:00Z", "1970-01-01T00:00:00Z",
                           "2099-10-07T16:00:00Z"}) {
    INFO(text);
    auto parsed = parse_utc_instant(text);
    REQUIRE(parsed);
    CHECK(format_instant(*parsed) == text);
  }
  CHECK_FALSE(parse_utc_instant("2026-02-30T00:00:00Z"));
  CHECK_FALSE(parse_utc_instant("2026-03-16T24:00:00Z"));
  CHECK_FALSE(parse_utc_instant("2026-03-16T01:60:00Z"));
  CHECK_FALSE(parse_utc_instant("2026-03-16 01:30:00Z"));
  CHECK_FALSE(parse_utc_instant("2026-0a-16T01:30:00Z"));
}

TEST_CASE("offsets outside real time zones rejected", "[instant]") {
  CHECK(parse_utc_instant("2026-03-16T09:30:00+08:00"));
  CHECK(parse_utc_instant("2026-03-16T09:30:00+14:00"));
  CHECK(parse_utc_instant("2026-03-16T09:30:00-12:00"));
  CHECK_FALSE(parse_utc_instant("2026-03-16T09:30:00+99:00"));
  CHECK_FALSE(parse_utc_instant("2026-03-16T09:30:00+24:00"));
  CHECK_FALSE(parse_utc_instant("2026-03-16T09:30:00+23:60"));
  CHECK_FALSE(parse_utc_instant("2026-03-16T09:30:00+00:99"));
  CHECK_FALSE(parse_utc_instant("2026-03-16T09:30:00-12:30"));
  CHECK_FALSE(parse_utc_instant("2026-03-16T09:30:00+08"));
}
