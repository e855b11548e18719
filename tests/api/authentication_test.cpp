// Bearer tokens: what signs in, what does not, lock-out after failures and the audit trail.
// Also optimistic concurrency with ETag and If-Match.
#include "adapters/api_token.h"
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

Headers bearer(const std::string& token) { return {{"authorization", "Bearer " + token}}; }

// Issues a new token for the test user of `role` and returns its text.
std::string issue_token(ApiFixture& api, const std::string& role, std::optional<Instant> expires_at = std::nullopt) {
  GeneratedToken token = generate_token();
  api.identities().add_token({token.parts.id, testing::test_user_of(role), token.secret_hash, "test",
                              api.clock().now().instant, expires_at, std::nullopt});
  return token.text;
}

std::string wrong_secret_of(const std::string& token) {
  std::string wrong = token;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  return wrong;
}

}  // namespace

TEST_CASE("valid token signs in", "[api][auth]") {
  ApiFixture api;
  std::string token = issue_token(api, "land_bureau");
  json me = body_of(api.get("/api/v1/me", bearer(token)));
  CHECK(me.at("user").at("id") == "test_land_bureau");
  CHECK(me.at("organisation").at("id") == "test_city_bureau");
  // The scheme is case-insensitive (RFC 9110, section 11.1).
  CHECK(api.get("/api/v1/me", {{"authorization", "bearer " + token}}).status == 200);
}

TEST_CASE("invalid tokens get 401", "[api][auth]") {
  ApiFixture api;
  std::string token = issue_token(api, "land_bureau");

  SECTION("revoked") {
    std::string id = parse_token(token)->id;
    REQUIRE(api.identities().revoke_token(id, api.clock().now().instant));
    CHECK(api.get("/api/v1/me", bearer(token)).status == 401);
  }
  SECTION("expired") {
    std::string expiring = issue_token(api, "land_bureau", api.clock().now().instant + std::chrono::hours(1));
    CHECK(api.get("/api/v1/me", bearer(expiring)).status == 200);
    api.clock().advance(std::chrono::hours(1));
    CHECK(api.get("/api/v1/me", bearer(expiring)).status == 401);
  }
  SECTION("user disabled") {
    REQUIRE(api.identities().set_user_disabled("test_land_bureau", true));
    CHECK(api.get("/api/v1/me", bearer(token)).status == 401);
  }
  SECTION("wrong secret, unknown id or malformed") {
    for (const std::string& bad : {wrong_secret_of(token), std::string("sct_unknown_") + std::string(64, 'b'),
                                   std::string("sct_"), std::string("not a token")}) {
      INFO(bad);
      sitecycle::http::HttpResponse response = api.get("/api/v1/me", bearer(bad));
      CHECK(response.status == 401);
      CHECK(body_of(response).at("code") == "unauthenticated");
      CHECK(header_of(response, "WWW-Authenticate") == "Bearer realm=\"sitecycle\"");
      // The response does not echo the token.
      if (bad.size() > 20) CHECK(response.body.find(bad) == std::string::npos);
    }
  }
  SECTION("each failure is audited") {
    api.get("/api/v1/me", bearer(wrong_secret_of(token)));
    Page<AuditRecord> audit = api.identities().audit_records(10, 0);
    REQUIRE(audit.total == 1);
    CHECK(audit.items.at(0).kind == "sign_in_failed");
    CHECK(audit.items.at(0).user_id == "test_land_bureau");
    CHECK(audit.items.at(0).path == "/api/v1/me");
    CHECK(audit.items.at(0).detail.find(parse_token(token)->secret) == std::string::npos);
  }
}

TEST_CASE("failures lock the user out", "[api][auth]") {
  ApiFixture api;
  std::string token = issue_token(api, "land_bureau");
  for (int i = 0; i < 5; ++i) CHECK(api.get("/api/v1/me", bearer(wrong_secret_of(token))).status == 401);
  CHECK(api.identities().audit_records(1, 0).items.at(0).kind == "locked_out");
  std::int64_t audited = api.identities().audit_records(1, 0).total;

  // Locked: further wrong secrets get 429 with the time to wait, and are not audited again.
  sitecycle::http::HttpResponse locked = api.get("/api/v1/me", bearer(wrong_secret_of(token)));
  CHECK(locked.status == 429);
  CHECK(body_of(locked).at("code") == "locked_out");
  CHECK(header_of(locked, "Retry-After") == "900");
  CHECK(api.identities().audit_records(1, 0).total == audited);
  // The holder of the right secret is not locked out by someone who only has the token's id.
  CHECK(api.get("/api/v1/me", bearer(token)).status == 200);

  api.clock().advance(std::chrono::minutes(16));
  CHECK(api.get("/api/v1/me", bearer(wrong_secret_of(token))).status == 401);
}

TEST_CASE("failures lock the address out", "[api][auth]") {
  ApiFixture api;
  auto from = [](const std::string& address, Headers headers) {
    sitecycle::http::HttpRequest request = testing::make_request("GET", "/api/v1/me", "", headers);
    request.remote_address = address;
    return request;
  };
  std::string unknown = "sct_guess_" + std::string(64, 'c');
  for (int i = 0; i < 20; ++i) CHECK(api.router().handle(from("127.0.0.9", bearer(unknown))).status == 401);
  CHECK(api.router().handle(from("127.0.0.9", bearer(unknown))).status == 429);
  CHECK(api.router().handle(from("127.0.0.10", bearer(unknown))).status == 401);
  // Behind a proxy every client shares one address, so valid tokens from it still work.
  CHECK(api.router().handle(from("127.0.0.9", actor_headers("land_bureau"))).status == 200);
}

TEST_CASE("routes need a token", "[api][auth]") {
  ApiFixture api;
  CHECK(api.get("/api/v1/health", testing::anonymous_headers()).status == 200);
  for (const char* target : {"/api/v1/me", "/api/v1/workflows", "/api/v1/cases", "/api/v1/cases/x",
                             "/api/v1/cases/x/events", "/api/v1/deadlines", "/api/v1/deadlines.ics",
                             "/api/v1/calendars/CN/working-days?from=2026-03-16&count=1"}) {
    INFO(target);
    CHECK(api.get(target, testing::anonymous_headers()).status == 401);
  }
  for (const char* target : {"/api/v1/cases", "/api/v1/cases/x/transitions/y", "/api/v1/cases/x/parties"}) {
    INFO(target);
    sitecycle::http::HttpResponse response = api.post(target, std::string("{}"), testing::anonymous_headers());
    CHECK(response.status == 401);
    CHECK(body_of(response).at("code") == "unauthenticated");
  }
  // No case is created by an anonymous caller.
  CHECK(api.total_cases() == 0);
}

TEST_CASE("stale If-Match gets 412", "[api][concurrency]") {
  ApiFixture api;
  std::string site = api.create_site("版本地块", 1);
  std::string path = "/api/v1/cases/" + site;
  sitecycle::http::HttpResponse read = api.get(path);
  std::string etag = header_of(read, "ETag");
  CHECK(etag == "\"" + site + "-v1\"");

  Headers with_etag = actor_headers("land_bureau");
  with_etag["if-match"] = etag;
  sitecycle::http::HttpResponse first = api.post(path + "/transitions/add_remark", json{{"input", {{"remark", "一"}}}}, with_etag);
  REQUIRE(first.status == 200);
  CHECK(header_of(first, "ETag") == "\"" + site + "-v2\"");

  SECTION("the same ETag again is stale: 412, and nothing changes") {
    std::string before = api.case_footprint(site);
    sitecycle::http::HttpResponse stale = api.post(path + "/transitions/add_remark", json{{"input", {{"remark", "二"}}}}, with_etag);
    CHECK(stale.status == 412);
    CHECK(body_of(stale).at("code") == "precondition_failed");
    CHECK(body_of(stale).at("current_version") == 2);
    CHECK(api.case_footprint(site) == before);
  }
  SECTION("the current ETag or * is accepted") {
    Headers current = actor_headers("land_bureau");
    current["if-match"] = "\"" + site + "-v2\"";
    CHECK(api.post(path + "/transitions/add_remark", json{{"input", {{"remark", "二"}}}}, current).status == 200);
    current["if-match"] = "*";
    CHECK(api.post(path + "/transitions/add_remark", json{{"input", {{"remark", "三"}}}}, current).status == 200);
  }
  SECTION("a malformed If-Match is a bad request") {
    for (const char* value : {"v2", "\"other_case-v2\"", "W/\"x-v2\"", "\"x-v0\"", "\"x-v2\", \"x-v3\""}) {
      INFO(value);
      Headers bad = actor_headers("land_bureau");
      bad["if-match"] = value;
      CHECK(api.post(path + "/transitions/add_remark", json{{"input", {{"remark", "四"}}}}, bad).status == 400);
    }
  }
}

TEST_CASE("revoking a token ends its open stream", "[api][auth][stream]") {
  ApiFixture api;
  std::string token = issue_token(api, "district_eeb");
  sitecycle::http::HttpResponse opened = api.get("/api/v1/stream", bearer(token));
  REQUIRE(opened.status == 200);
  REQUIRE(opened.stream);
  REQUIRE(opened.stream->poll().has_value());

  REQUIRE(api.identities().revoke_token(parse_token(token)->id, api.clock().now().instant));
  CHECK_FALSE(opened.stream->poll().has_value());
}
