#include "adapters/sql_idempotency_store.h"
#include "test_database.h"

#include <catch2/catch.hpp>

#include <chrono>

using namespace sitecycle;
using sitecycle::testing::TestDatabase;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

const Instant kStart = *parse_utc_instant("2026-03-16T01:30:00Z");

// A claim at `now` that deletes keys older than a day and takes over claims older than 5 minutes.
ClaimResult claim_at(IdempotencyStore& store, std::string_view fingerprint, Instant now) {
  return store.claim("wang_li", "key_1", fingerprint, now, now - hours(24), now - minutes(5));
}

}  // namespace

TEST_CASE("an idempotency key is claimed once across servers", "[adapters][idempotency][store]") {
  TestDatabase database;
  // Two stores with connections of their own, as two server processes have.
  SqlIdempotencyStore first(database.open());
  SqlIdempotencyStore second(database.open());

  CHECK(claim_at(first, "post /cases a", kStart).claim == KeyClaim::claimed);
  CHECK(claim_at(second, "post /cases a", kStart + minutes(1)).claim == KeyClaim::in_progress);
  CHECK(claim_at(second, "post /cases b", kStart + minutes(1)).claim == KeyClaim::reused);
  // The first server stopped mid-request: after 5 minutes the other takes the claim over, once.
  CHECK(claim_at(second, "post /cases a", kStart + minutes(6)).claim == KeyClaim::claimed);
  CHECK(claim_at(first, "post /cases a", kStart + minutes(7)).claim == KeyClaim::in_progress);

  second.complete("wang_li", "key_1", {201, {{"Location", "/api/v1/cases/x"}}, "{}"});
  ClaimResult replay = claim_at(first, "post /cases a", kStart + minutes(8));
  CHECK(replay.claim == KeyClaim::replay);
  CHECK(replay.response.status == 201);
}
