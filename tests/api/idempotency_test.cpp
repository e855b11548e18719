// Idempotency-Key: a retry gets the first response again and runs nothing twice.
#include "adapters/workflow_files.h"
#include "api_fixture.h"

#include <catch2/catch.hpp>

using namespace sitecycle;
using sitecycle::testing::actor_headers;
using sitecycle::testing::ApiFixture;
using sitecycle::testing::body_of;
using sitecycle::testing::header_of;
using sitecycle::testing::Headers;
using nlohmann::json;

namespace {

Headers with_key(const std::string& role, const std::string& key) {
  Headers headers = actor_headers(role);
  headers["idempotency-key"] = key;
  return headers;
}

const json kNewSite{{"workflow", "site"}, {"data", {{"name", "幂等地块"}, {"planned_class", 1}}}};

}  // namespace

TEST_CASE("a retried create is answered once", "[api][idempotency]") {
  ApiFixture api;
  sitecycle::http::HttpResponse first = api.post("/api/v1/cases", kNewSite, with_key("land_bureau", "create-1"));
  REQUIRE(first.status == 201);
  sitecycle::http::HttpResponse retry = api.post("/api/v1/cases", kNewSite, with_key("land_bureau", "create-1"));
  CHECK(retry.status == 201);
  CHECK(retry.body == first.body);
  CHECK(header_of(retry, "Location") == header_of(first, "Location"));
  CHECK(header_of(retry, "Idempotent-Replayed") == "true");
  CHECK(api.total_cases() == 1);

  SECTION("the same key with another body is refused") {
    json other = kNewSite;
    other["data"]["name"] = "另一地块";
    sitecycle::http::HttpResponse reused = api.post("/api/v1/cases", other, with_key("land_bureau", "create-1"));
    CHECK(reused.status == 422);
    CHECK(body_of(reused).at("code") == "idempotency_key_reused");
    CHECK(api.total_cases() == 1);
  }
  SECTION("another user's key is their own") {
    CHECK(api.post("/api/v1/cases", kNewSite, with_key("district_eeb", "create-1")).status == 201);
    CHECK(api.total_cases() == 2);
  }
  SECTION("a key is forgotten after 24 hours") {
    api.clock().advance(std::chrono::hours(25));
    CHECK(api.post("/api/v1/cases", kNewSite, with_key("land_bureau", "create-1")).status == 201);
    CHECK(api.total_cases() == 2);
  }
}

TEST_CASE("a retried transition fires once", "[api][idempotency]") {
  ApiFixture api;
  std::string site = api.create_site("重试地块", 1);
  std::string target = "/api/v1/cases/" + site + "/transitions/add_remark";
  json body{{"input", {{"remark", "现场核查"}}}};
  sitecycle::http::HttpResponse first = api.post(target, body, with_key("land_bureau", "remark-1"));
  REQUIRE(first.status == 200);
  sitecycle::http::HttpResponse retry = api.post(target, body, with_key("land_bureau", "remark-1"));
  CHECK(retry.status == 200);
  CHECK(retry.body == first.body);
  CHECK(api.case_footprint(site) == "registered v2, 2 events");

  // A rejection is kept too: the retry gets the same response without running again.
  sitecycle::http::HttpResponse refused = api.post(target, json::object(), with_key("land_bureau", "remark-2"));
  CHECK(refused.status == 422);
  CHECK(api.post(target, json::object(), with_key("land_bureau", "remark-2")).body == refused.body);
}

TEST_CASE("malformed or busy keys are refused", "[api][idempotency]") {
  ApiFixture api;
  for (const std::string& key : {std::string(256, 'k'), std::string("   "), std::string("键")}) {
    INFO(key);
    sitecycle::http::HttpResponse response = api.post("/api/v1/cases", kNewSite, with_key("land_bureau", key));
    CHECK(response.status == 400);
  }

  // The same request, claimed by another server thread that has not responded yet.
  SqlIdempotencyStore store(api.store().path());
  Instant now = api.clock().now().instant;
  std::string fingerprint = sha256_hex("POST\n/api/v1/cases\n" + kNewSite.dump());
  REQUIRE(store.claim("test_land_bureau", "busy", fingerprint, now, now - std::chrono::hours(24),
                      now - std::chrono::minutes(5)).claim == KeyClaim::claimed);
  sitecycle::http::HttpResponse busy = api.post("/api/v1/cases", kNewSite, with_key("land_bureau", "busy"));
  CHECK(busy.status == 409);
  CHECK(api.total_cases() == 0);
}
