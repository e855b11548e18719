#include "adapters/api_token.h"
#include "adapters/sql_case_store.h"
#include "adapters/sql_identity_store.h"
#include "engine/credit_code.h"
#include "test_database.h"

#include <catch2/catch.hpp>

#include <set>

using namespace sitecycle;
using sitecycle::testing::TestDatabase;

namespace {

const Instant kStart = *parse_utc_instant("2026-03-16T01:30:00Z");

Organisation organisation(const std::string& id, OrganisationType type, const std::string& district = "",
                          const std::string& credit_code = "") {
  return {id, type, district, {"单位 " + id, "Organisation " + id}, credit_code, kStart};
}

// Writes a case created by `org` with `data`.
void create_case(CaseStore& store, const std::string& id, const nlohmann::json& data, const std::string& org) {
  StoredCase stored;
  stored.id = id;
  stored.workflow_id = "parcel";
  stored.workflow_version = 1;
  stored.state = "registered";
  stored.data = data;
  stored.version = 1;
  stored.created_at = kStart;
  stored.updated_at = kStart;
  StoredEvent event;
  event.case_id = id;
  event.case_version = 1;
  event.kind = "created";
  event.to_state = "registered";
  event.actor = {"land_bureau", org, "someone"};
  event.at = kStart;
  auto transaction = store.begin();
  transaction->insert_case(stored);
  transaction->append_event(event);
  transaction->commit();
}

std::set<std::string> ids_in(CaseStore& store, const CaseScope& scope) {
  CaseQuery query;
  query.scope = scope;
  std::set<std::string> ids;
  for (const StoredCase& stored : store.list_cases(query).items) ids.insert(stored.id);
  return ids;
}

}  // namespace

TEST_CASE("tokens parse, hash and compare", "[adapters][auth]") {
  GeneratedToken token = generate_token();
  REQUIRE(token.text.starts_with("sct_"));
  std::optional<TokenParts> parts = parse_token(token.text);
  REQUIRE(parts);
  CHECK(parts->id == token.parts.id);
  CHECK(token_secret_matches(parts->secret, token.secret_hash));
  CHECK_FALSE(token_secret_matches(std::string(64, '0'), token.secret_hash));
  CHECK_FALSE(token_secret_matches(parts->secret, "not hex"));
  CHECK(token.secret_hash != parts->secret);
  CHECK(generate_token().text != token.text);

  for (const char* bad : {"", "sct_", "sct_id_short", "xyz_id_aaaa", "sct__" /* empty id */,
                          "sct_Upper_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    INFO(bad);
    CHECK_FALSE(parse_token(bad));
  }
  CHECK(parse_token("sct_my_token_" + std::string(64, 'f'))->id == "my_token");
}

TEST_CASE("identity store keeps organisations, users and tokens", "[adapters][auth][store]") {
  TestDatabase database;
  SqlIdentityStore identities(database.open());

  CHECK(identities.add_organisation(organisation("pudong_eeb", OrganisationType::ecology_bureau, "pudong")));
  CHECK_FALSE(identities.add_organisation(organisation("pudong_eeb", OrganisationType::firm)));
  CHECK(identities.find_organisation("pudong_eeb")->type == OrganisationType::ecology_bureau);
  CHECK(identities.find_organisation("pudong_eeb")->name.zh_cn == "单位 pudong_eeb");
  CHECK_FALSE(identities.find_organisation("nobody"));

  CHECK(identities.add_user({"wang_li", "pudong_eeb", "district_eeb", "王立", false, kStart}));
  CHECK_FALSE(identities.add_user({"wang_li", "pudong_eeb", "city_eeb", "", false, kStart}));
  CHECK_THROWS_AS(identities.add_user({"ghost", "no_such_org", "district_eeb", "", false, kStart}), StoreError);
  CHECK(identities.set_user_disabled("wang_li", true));
  CHECK(identities.find_user("wang_li")->disabled);
  CHECK_FALSE(identities.set_user_disabled("nobody", true));

  GeneratedToken token = generate_token();
  CHECK(identities.add_token({token.parts.id, "wang_li", token.secret_hash, "laptop", kStart, std::nullopt, std::nullopt}));
  CHECK(identities.tokens_of("wang_li").size() == 1);
  CHECK(identities.revoke_token(token.parts.id, kStart));
  CHECK_FALSE(identities.revoke_token(token.parts.id, kStart));
  CHECK(identities.find_token(token.parts.id)->revoked_at == kStart);

  SECTION("a second store on the same file sees the same rows") {
    SqlCaseStore cases(database.open());
    SqlIdentityStore again(database.open());
    CHECK(again.users().size() == 1);
  }
}

TEST_CASE("sign-in failures counted and audited", "[adapters][auth][store]") {
  TestDatabase database;
  SqlIdentityStore identities(database.open());
  identities.record_auth_failure("user:wang_li", kStart);
  identities.record_auth_failure("user:wang_li", kStart + std::chrono::minutes(10));
  identities.record_auth_failure("address:127.0.0.1", kStart);
  CHECK(identities.count_auth_failures("user:wang_li", kStart) == 2);
  CHECK(identities.count_auth_failures("user:wang_li", kStart + std::chrono::minutes(5)) == 1);

  identities.append_audit({0, kStart, "sign_in_failed", "wang_li", "", "127.0.0.1", "GET", "/api/v1/me", "first"});
  identities.append_audit({0, kStart, "action_denied", "wang_li", "pudong_eeb", "127.0.0.1", "POST", "/x", "second"});
  Page<AuditRecord> audit = identities.audit_records(1, 0);
  CHECK(audit.total == 2);
  REQUIRE(audit.items.size() == 1);
  CHECK(audit.items.at(0).detail == "second");  // newest first
}

TEST_CASE("case scopes by district, party, code", "[adapters][access][store]") {
  TestDatabase database;
  SqlCaseStore store(database.open());
  const std::string code = "91310000MA1K35XP9R";
  create_case(store, "pudong_a", {{"district", "pudong"}}, "pudong_pnrb");
  create_case(store, "qingpu_a", {{"district", "qingpu"}}, "qingpu_land_reserve_centre");
  create_case(store, "coded", {{"district", "xuhui"}, {"contractor_credit_code", code}}, "city_eeb");
  create_case(store, "granted", {{"district", "xuhui"}}, "city_eeb");
  REQUIRE(store.add_case_party({"granted", "greenment", "wang_li", kStart}));
  CHECK_FALSE(store.add_case_party({"granted", "greenment", "wang_li", kStart}));
  CHECK(store.parties_of("granted").at(0).org_id == "greenment");

  CHECK(ids_in(store, {}).size() == 4);
  CHECK(ids_in(store, {"pudong", "pudong_eeb", std::nullopt}) == std::set<std::string>{"pudong_a"});
  CHECK(ids_in(store, {std::nullopt, "qingpu_land_reserve_centre", std::nullopt}) == std::set<std::string>{"qingpu_a"});
  CHECK(ids_in(store, {std::nullopt, "greenment", std::nullopt}) == std::set<std::string>{"granted"});
  CHECK(ids_in(store, {std::nullopt, "some_firm", code}) == std::set<std::string>{"coded"});
  CHECK(ids_in(store, {std::nullopt, "some_firm", std::nullopt}).empty());

  CHECK(store.case_in_scope("pudong_a", {"pudong", "pudong_eeb", std::nullopt}));
  CHECK_FALSE(store.case_in_scope("qingpu_a", {"pudong", "pudong_eeb", std::nullopt}));
  CHECK_FALSE(store.case_in_scope("missing", {}));

  DeadlineQuery deadlines;
  deadlines.scope = {"pudong", "pudong_eeb", std::nullopt};
  CHECK(store.list_deadlines(deadlines).total == 0);
}
