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
