// Who may call what: the authorisation matrix over the shipped workflows and the demo accounts,
// and row-level access by district and by party.
#include "adapters/demo_accounts.h"
#include "adapters/sql_identity_store.h"
#include "api_fixture.h"
#include "deadline_fixture.h"

#include <catch2/catch.hpp>

#include <set>

using namespace sitecycle;
using sitecycle::testing::body_of;
using sitecycle::testing::Headers;
using sitecycle::testing::make_request;
using nlohmann::json;

namespace {

// The shipped workflows, calendars and agencies with every demo account, on a SQLite file.
class AccessFixture {
 public:
  AccessFixture()
      : store_(open_sqlite_store(directory_.file("cases.db"))),
        side_(directory_.file("cases.db"), directory_.path() / "documents"),
        registry_(testing::shipped_registry(*store_)),
        environment_(testing::shipped_deadline_environment(*registry_)),
        service_(registry_, *store_, environment_->tracker.get()),
        clock_(testing::test_start_instant()),
        router_({service_, side_.identities, side_.idempotency, side_.webhooks, side_.documents, clock_}) {
    for (DemoAccount& account : prepare_demo_accounts(side_.identities, registry_->roles(), directory_.file("demo-tokens.json"),
                                                      clock_.now().instant)) {
      tokens_[account.user_id] = account.token;
    }
  }

  // The headers of a demo user; "" for an anonymous caller.
  Headers as(const std::string& user) const {
    if (user.empty()) return {};
    return {{"authorization", "Bearer " + tokens_.at(user)}};
  }

  // Sends `body` as JSON, or as is when it is a string (an upload).
  http::HttpResponse send(const std::string& method, const std::string& target, const std::string& user,
                          const json& body = nullptr) const {
    std::string text = body.is_null() ? "" : body.is_string() ? body.get<std::string>() : body.dump();
    return router_.handle(make_request(method, target, text, as(user)));
  }

  // Creates a parcel as `user` and returns its id; throws unless 201.
  std::string create_parcel(const std::string& user, const std::string& id, const std::string& district) const {
    http::HttpResponse response = send("POST", "/api/v1/cases", user, parcel_body(id, district));
    if (response.status != 201) throw std::runtime_error("creating a parcel failed: " + response.body);
    return id;
  }

  static json parcel_body(const std::string& id, const std::string& district) {
    return {{"workflow", "parcel"},
            {"id", id},
            {"data", {{"name", "测试地块 " + id}, {"district", district}, {"planned_class", 2}}}};
  }

  std::vector<std::string> users() const {
    std::vector<std::string> users;
    for (const auto& [user, token] : tokens_) users.push_back(user);
    return users;
  }

  SqlIdentityStore& identities() { return side_.identities; }

 private:
  testing::TempDirectory directory_;
  std::unique_ptr<SqlCaseStore> store_;
  testing::ApiSideStores side_;
  std::shared_ptr<const WorkflowRegistry> registry_;
  std::unique_ptr<DeadlineEnvironment> environment_;
  CaseService service_;
  ManualClock clock_;
  http::ApiRouter router_;
  std::map<std::string, std::string> tokens_;
};

// The demo users whose organisation may read a Pudong parcel created by the Pudong land bureau:
// city-level bodies and Pudong's own. The rest (other districts, firms, evaluators and
// enterprises) get 404.
const std::set<std::string> kSeesPudongParcel{
    "demo_city_eeb",    "demo_city_pnrb",     "demo_expert_panel",      "demo_district_eeb",
    "demo_land_bureau", "demo_economy_bureau", "demo_agriculture_bureau", "demo_district_government",
};

// parcel.yaml's create_roles whose demo organisation may create a case in Pudong. Qingpu's land
// reserve centre and Songjiang's committee hold such roles but get 403 for another district.
const std::set<std::string> kCreatesPudongParcel{"demo_land_bureau", "demo_land_holder", "demo_district_eeb"};

// update_details' roles among the users who see the parcel.
const std::set<std::string> kUpdatesDetails{"demo_land_bureau", "demo_district_eeb"};

// Organisations of these users may grant a party: they see the case and are not party-only.
bool may_grant(const std::string& user) { return kSeesPudongParcel.contains(user); }

struct Expectation {
  std::string method;
  std::string target;
  json body;
  int status;
};

// The cases the matrix addresses: a Pudong parcel proposed for supply by the Pudong land bureau,
// the investigation that opened, and a report uploaded to it.
struct MatrixCases {
  std::string parcel;
  std::string investigation;
  std::string document;
};

MatrixCases matrix_cases(const AccessFixture& api) {
  MatrixCases cases;
  cases.parcel = api.create_parcel("demo_land_bureau", "pudong_matrix_parcel", "pudong");
  std::string path = "/api/v1/cases/" + cases.parcel;
  if (api.send("POST", path + "/transitions/propose_supply", "demo_land_bureau", json::object()).status != 200) {
    throw std::runtime_error("proposing the supply failed");
  }
  json parcel = body_of(api.send("GET", path, "demo_city_eeb"));
  for (const json& link : parcel.at("links")) {
    if (link.at("role") == "investigation") cases.investigation = link.at("case_id").get<std::string>();
  }
  http::HttpResponse uploaded = api.send("POST", "/api/v1/cases/" + cases.investigation + "/documents?kind=public_notice",
                                         "demo_district_eeb", "公示材料");
  if (uploaded.status != 201) throw std::runtime_error("uploading failed: " + uploaded.body);
  cases.document = body_of(uploaded).at("id").get<std::string>();
  return cases;
}

// Every route, and what `user` ("" for anonymous) should get from it.
std::vector<Expectation> expectations_for(const std::string& user, const MatrixCases& cases, int index) {
  const bool signed_in = !user.empty();
  const bool sees = kSeesPudongParcel.contains(user);
  auto when_signed_in = [&](int status) { return signed_in ? status : 401; };
  auto on_parcel = [&](int status) {
    if (!signed_in) return 401;
    return sees ? status : 404;
  };

  int create = kCreatesPudongParcel.contains(user) ? 201 : 403;
  int update = kUpdatesDetails.contains(user) ? 200 : 403;
  int grant = may_grant(user) ? 201 : 403;
  std::string case_path = "/api/v1/cases/" + cases.parcel;
  std::string documents = "/api/v1/cases/" + cases.investigation + "/documents";
  return {
      {"GET", "/api/v1/health", nullptr, 200},
      {"GET", "/api/v1/openapi.json", nullptr, 200},
      {"GET", "/api/v1/public/listed-sites", nullptr, 200},
      {"GET", "/metrics", nullptr, 200},
      {"GET", "/api/v1/me", nullptr, when_signed_in(200)},
      {"GET", "/api/v1/workflows", nullptr, when_signed_in(200)},
      {"GET", "/api/v1/cases", nullptr, when_signed_in(200)},
      {"POST", "/api/v1/cases", AccessFixture::parcel_body("matrix_" + std::to_string(index), "pudong"),
       when_signed_in(create)},
      {"GET", case_path, nullptr, on_parcel(200)},
      {"GET", case_path + "/events", nullptr, on_parcel(200)},
      {"POST", case_path + "/transitions/update_details", json::object(), on_parcel(update)},
      {"POST", case_path + "/parties", json{{"org_id", "city_expert_panel"}}, on_parcel(grant)},
      {"POST", documents + "?kind=public_notice", "公示", on_parcel(user == "demo_district_eeb" ? 201 : 403)},
      {"GET", documents, nullptr, on_parcel(200)},
      {"GET", documents + "/" + cases.document + "/content", nullptr, on_parcel(200)},
      {"GET", "/api/v1/stream", nullptr, when_signed_in(200)},
      {"POST", "/api/v1/webhooks", json{{"url", "https://receiver.example.org/hook"}}, when_signed_in(201)},
      {"GET", "/api/v1/webhooks", nullptr, when_signed_in(200)},
      {"DELETE", "/api/v1/webhooks/whk_none", nullptr, when_signed_in(404)},
      {"GET", "/api/v1/webhooks/whk_none/deliveries", nullptr, when_signed_in(404)},
      {"GET", "/api/v1/deadlines", nullptr, when_signed_in(200)},
      {"GET", "/api/v1/deadlines.ics", nullptr, when_signed_in(200)},
      {"GET", "/api/v1/calendars/CN/working-days?from=2026-03-16&count=5", nullptr, when_signed_in(200)},
  };
}

}  // namespace

TEST_CASE("authorisation matrix of roles and routes", "[api][access]") {
  AccessFixture api;
  MatrixCases cases = matrix_cases(api);

  std::vector<std::string> callers = api.users();
  callers.push_back("");  // anonymous
  int index = 0;
  for (const std::string& user : callers) {
    for (const Expectation& expected : expectations_for(user, cases, index++)) {
      INFO((user.empty() ? "anonymous" : user) << " " << expected.method << " " << expected.target);
      http::HttpResponse response = api.send(expected.method, expected.target, user, expected.body);
      INFO(response.body);
      // A second grant of the same organisation returns 200 instead of 201.
      if (expected.status == 201 && expected.target.ends_with("/parties")) {
        CHECK((response.status == 201 || response.status == 200));
      } else {
        CHECK(response.status == expected.status);
      }
    }
  }
}

TEST_CASE("firm reads only its own cases", "[api][access]") {
  AccessFixture api;
  std::string parcel = api.create_parcel("demo_land_bureau", "pudong_granted_parcel", "pudong");
  std::string path = "/api/v1/cases/" + parcel;

  CHECK(api.send("GET", path, "demo_consultant").status == 404);
  CHECK(body_of(api.send("GET", "/api/v1/cases", "demo_consultant")).at("total") == 0);

  SECTION("a bureau grants the firm access") {
    http::HttpResponse granted = api.send("POST", path + "/parties", "demo_district_eeb", json{{"org_id", "greenment"}});
    REQUIRE(granted.status == 201);
    CHECK(body_of(granted).at("parties").at(0).at("org_id") == "greenment");
    CHECK(api.send("POST", path + "/parties", "demo_district_eeb", json{{"org_id", "greenment"}}).status == 200);

    CHECK(api.send("GET", path, "demo_consultant").status == 200);
    CHECK(body_of(api.send("GET", "/api/v1/cases", "demo_consultant")).at("total") == 1);
    // Another consultancy still gets 404, the response for a case that does not exist.
    http::HttpResponse other = api.send("GET", path, "demo_consultant_b");
    CHECK(other.status == 404);
    CHECK(body_of(other).at("code") == "not_found");
    CHECK(body_of(api.send("GET", "/api/v1/cases", "demo_consultant_b")).at("total") == 0);

    // A firm that may read the case still may not grant others.
    http::HttpResponse by_firm = api.send("POST", path + "/parties", "demo_consultant", json{{"org_id", "shanghai_huanzuan"}});
    CHECK(by_firm.status == 403);
    CHECK(body_of(by_firm).at("code") == "forbidden");
  }
  SECTION("the firm cannot grant itself or others") {
    CHECK(api.send("POST", path + "/parties", "demo_consultant", json{{"org_id", "greenment"}}).status == 404);
  }
  SECTION("a grant names an existing organisation") {
    http::HttpResponse unknown = api.send("POST", path + "/parties", "demo_district_eeb", json{{"org_id", "nobody"}});
    CHECK(unknown.status == 422);
    CHECK(body_of(unknown).at("errors").at(0).at("pointer") == "/org_id");
  }
  SECTION("a hidden case is audited") {
    api.send("GET", path, "demo_consultant_b");
    Page<AuditRecord> audit = api.identities().audit_records(10, 0);
    REQUIRE(audit.total >= 1);
    CHECK(audit.items.at(0).kind == "action_denied");
    CHECK(audit.items.at(0).user_id == "demo_consultant_b");
    CHECK(audit.items.at(0).path == path);
  }
}

TEST_CASE("district bureau reads its district", "[api][access]") {
  AccessFixture api;
  api.create_parcel("demo_land_bureau", "pudong_parcel_a", "pudong");
  api.create_parcel("demo_land_reserve_centre", "qingpu_parcel_a", "qingpu");

  auto ids_seen_by = [&api](const std::string& user) {
    std::set<std::string> ids;
    json page = body_of(api.send("GET", "/api/v1/cases?workflow=parcel", user));
    for (const json& item : page.at("items")) {
      ids.insert(item.at("id").get<std::string>());
    }
    return ids;
  };
  CHECK(ids_seen_by("demo_district_eeb") == std::set<std::string>{"pudong_parcel_a"});
  CHECK(ids_seen_by("demo_land_reserve_centre") == std::set<std::string>{"qingpu_parcel_a"});
  CHECK(ids_seen_by("demo_city_eeb") == std::set<std::string>{"pudong_parcel_a", "qingpu_parcel_a"});
  CHECK(api.send("GET", "/api/v1/cases/qingpu_parcel_a", "demo_district_eeb").status == 404);

  http::HttpResponse elsewhere =
      api.send("POST", "/api/v1/cases", "demo_district_eeb", AccessFixture::parcel_body("qingpu_parcel_b", "qingpu"));
  CHECK(elsewhere.status == 403);
  CHECK(body_of(elsewhere).at("code") == "forbidden");
}

TEST_CASE("me names caller and scope", "[api][access]") {
  AccessFixture api;
  json me = body_of(api.send("GET", "/api/v1/me", "demo_district_eeb"));
  CHECK(me.at("user").at("id") == "demo_district_eeb");
  CHECK(me.at("user").at("role") == "district_eeb");
  CHECK(me.at("organisation").at("id") == "pudong_eeb");
  CHECK(me.at("organisation").at("district") == "pudong");
  CHECK(me.at("scope").at("all_cases") == false);
  CHECK(body_of(api.send("GET", "/api/v1/me", "demo_city_eeb")).at("scope").at("all_cases") == true);
}

TEST_CASE("the public list needs no token", "[api][access]") {
  AccessFixture api;
  json listing{{"workflow", "listing"},
               {"id", "listing_public"},
               {"data",
                {{"parcel_name", "公开地块"},
                 {"district", "pudong"},
                 {"target_class", 1},
                 {"risk_control_targets", "苯并[a]芘不超过 0.55 mg/kg"},
                 {"responsible_party", "不公开的责任人"}}}};
  http::HttpResponse created = api.send("POST", "/api/v1/cases", "demo_city_eeb", listing);
  INFO(created.body);
  REQUIRE(created.status == 201);

  json page = body_of(api.send("GET", "/api/v1/public/listed-sites", ""));
  REQUIRE(page.at("total") == 1);
  const json& entry = page.at("items").at(0);
  CHECK(entry.at("parcel_name") == "公开地块");
  CHECK(entry.at("state") == "listed");
  CHECK_FALSE(entry.contains("responsible_party"));
  CHECK(body_of(api.send("GET", "/api/v1/public/listed-sites?district=xuhui", "")).at("total") == 0);
  CHECK(api.send("GET", "/api/v1/public/listed-sites?district=atlantis", "").status == 400);
  CHECK(api.send("POST", "/api/v1/public/listed-sites", "", json::object()).status == 405);
}
