#include "api/http/api_router.h"

#include "api_fixture.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using sitecycle::testing::actor_headers;
using sitecycle::testing::ApiFixture;
using sitecycle::testing::body_of;
using sitecycle::testing::header_of;
using sitecycle::testing::Headers;
using sitecycle::testing::with_language;
using nlohmann::json;

namespace {

std::vector<std::string> ids_of(const json& items) {
  std::vector<std::string> ids;
  for (const json& item : items) ids.push_back(item.at("id").get<std::string>());
  return ids;
}

// The members every problem body carries, checked for one response.
void check_problem_shape(const sitecycle::http::HttpResponse& response, int status,
                         const std::string& code) {
  INFO(response.body);
  CHECK(response.status == status);
  CHECK(header_of(response, "Content-Type") == "application/problem+json");
  json body = body_of(response);
  CHECK(body.at("status") == status);
  CHECK(body.at("code") == code);
  CHECK(body.at("type") == "urn:sitecycle:problem:" + code);
  CHECK(body.at("title").is_string());
  CHECK_FALSE(body.at("title").get<std::string>().empty());
  CHECK(body.at("detail").is_string());
  CHECK_FALSE(body.at("detail").get<std::string>().empty());
  CHECK(body.at("errors").is_array());
}

}  // namespace

TEST_CASE("health answers ok", "[api]") {
  ApiFixture api;
  sitecycle::http::HttpResponse response = api.get("/api/v1/health");
  CHECK(response.status == 200);
  CHECK(header_of(response, "Content-Type") == "application/json");
  CHECK(body_of(response) == json{{"status", "ok"}});
}

TEST_CASE("workflows list states and transitions", "[api]") {
  ApiFixture api;
  sitecycle::http::HttpResponse response = api.get("/api/v1/workflows");
  REQUIRE(response.status == 200);
  json body = body_of(response);
  CHECK(body.at("total") == 2);
  CHECK(ids_of(body.at("items")) == std::vector<std::string>{"investigation", "site"});

  const json& site = body.at("items").at(1);
  CHECK(site.at("version") == 1);
  CHECK(site.at("title") == json{{"zh-CN", "地块"}, {"en", "Site"}});
  CHECK(site.at("states").at(0) ==
        json{{"id", "registered"}, {"title", {{"zh-CN", "已登记"}, {"en", "Registered"}}},
             {"initial", true}, {"final", false}});
  CHECK(site.at("states").at(2).at("final") == true);

  json add_remark;
  for (const json& transition : site.at("transitions")) {
    if (transition.at("id") == "add_remark") add_remark = transition;
  }
  CHECK(add_remark.at("to").is_null());
  CHECK(add_remark.at("from") == json{"registered", "supply_proposed"});
  CHECK(add_remark.at("roles") == json{"land_bureau", "district_eeb"});
  CHECK(add_remark.at("title").at("en") == "Add a remark");
  CHECK(add_remark.at("documents") == json::array());
}

TEST_CASE("workflows list documents and settings", "[api]") {
  ApiFixture api;
  json investigation = body_of(api.get("/api/v1/workflows")).at("items").at(0);
  CHECK(investigation.at("documents") ==
        json::array({{{"id", "investigation_report"},
                      {"title", {{"zh-CN", "土壤污染状况调查报告"}, {"en", "Soil pollution status investigation report"}}},
                      {"basis", "土壤污染防治法第五十九条"}}}));
  CHECK(investigation.at("settings").at(0).at("id") == "joint_review_required");
  CHECK(investigation.at("settings").at(0).at("type") == "boolean");
  CHECK(investigation.at("settings").at(0).at("default") == true);
  CHECK(investigation.at("settings").at(0).at("source_status") == "setting");
  CHECK(investigation.at("settings").at(0).at("basis").is_null());
  const json& submit = investigation.at("transitions").at(0);
  CHECK(submit.at("documents") == json{"investigation_report"});
  CHECK(submit.at("required_documents") == json{"investigation_report"});
  CHECK(submit.at("input").at("required") == json{"evaluated_class", "conclusion"});
  CHECK(submit.at("input").at("optional") == json::array());
}

TEST_CASE("workflows list their case data fields", "[api]") {
  ApiFixture api;
  json site = body_of(api.get("/api/v1/workflows")).at("items").at(1);
  json fields = site.at("fields");
  CHECK(ids_of(fields) == std::vector<std::string>{"area_m2", "investigation_result", "name", "planned_class", "remark"});
  CHECK(fields.at(3) == json{{"id", "planned_class"},
                             {"type", "integer"},
                             {"title", {{"zh-CN", "规划用地类别"}, {"en", "Planned land-use class"}}},
                             {"required", true},
                             {"read_only", false},
                             {"min", 1},
                             {"max", 2}});
  CHECK(fields.at(0).at("min") == 0);
  CHECK_FALSE(fields.at(0).contains("max"));
}

TEST_CASE("workflows list pages", "[api]") {
  ApiFixture api;
  json body = body_of(api.get("/api/v1/workflows?limit=1&offset=1"));
  CHECK(body.at("total") == 2);
  CHECK(ids_of(body.at("items")) == std::vector<std::string>{"site"});
}

TEST_CASE("creating a case answers 201 with Location and detail", "[api]") {
  ApiFixture api;
  json request{{"workflow", "site"},
               {"id", "site_jiading_84"},
               {"data", {{"name", "北虹桥84-01B地块"}, {"planned_class", 2}, {"area_m2", 12000.5}}},
               {"comment", "登记"}};
  sitecycle::http::HttpResponse response =
      api.post("/api/v1/cases", request, actor_headers("land_bureau"));

  REQUIRE(response.status == 201);
  CHECK(header_of(response, "Location") == "/api/v1/cases/site_jiading_84");
  json body = body_of(response);
  CHECK(body.at("id") == "site_jiading_84");
  CHECK(body.at("workflow") == "site");
  CHECK(body.at("workflow_version") == 1);
  CHECK(body.at("state") == "registered");
  CHECK(body.at("state_title") == json{{"zh-CN", "已登记"}, {"en", "Registered"}});
  CHECK(body.at("version") == 1);
  CHECK(body.at("closed") == false);
  CHECK(body.at("created_at") == "2026-03-16T01:30:00Z");
  CHECK(body.at("updated_at") == "2026-03-16T01:30:00Z");
  CHECK(body.at("data").at("name") == "北虹桥84-01B地块");
  CHECK(body.at("links") == json::array());
  std::vector<std::string> fireable = ids_of(body.at("transitions"));
  CHECK(fireable == std::vector<std::string>{"propose_supply", "add_remark"});

  SECTION("and the case reads back the same") {
    json read = body_of(api.get("/api/v1/cases/site_jiading_84"));
    CHECK(read.at("data") == body.at("data"));
    CHECK(read.at("version") == 1);
    CHECK(read.at("transitions") == json::array());  // the observer may fire nothing
  }
  SECTION("and its creation is the first event") {
    json events = body_of(api.get("/api/v1/cases/site_jiading_84/events"));
    REQUIRE(events.at("total") == 1);
    const json& created = events.at("items").at(0);
    CHECK(created.at("kind") == "created");
    CHECK(created.at("case_version") == 1);
    CHECK(created.at("transition").is_null());
    CHECK(created.at("to") == "registered");
    CHECK(created.at("actor") ==
          json{{"role", "land_bureau"}, {"org", "test_city_bureau"}, {"user", "test_land_bureau"}});
    CHECK(created.at("comment") == "登记");
    CHECK(created.at("at") == "2026-03-16T01:30:00Z");
  }
}

TEST_CASE("creating a case without an id generates one", "[api]") {
  ApiFixture api;
  std::string id = api.create_site("张江地块");
  CHECK(id.rfind("site_", 0) == 0);
  CHECK(api.get("/api/v1/cases/" + id).status == 200);
}

TEST_CASE("case list filters, pages and counts", "[api]") {
  ApiFixture api;
  std::string first = api.create_site("一号地块");
  std::string second = api.create_site("二号地块");
  std::string third = api.create_site("三号地块");
  api.fire(second, "propose_supply", "land_bureau");  // opens one investigation

  json all = body_of(api.get("/api/v1/cases"));
  CHECK(all.at("total") == 4);

  json sites = body_of(api.get("/api/v1/cases?workflow=site"));
  CHECK(sites.at("total") == 3);
  CHECK(ids_of(sites.at("items")) == std::vector<std::string>{first, second, third});
  CHECK(sites.at("items").at(0).at("state_title").at("en") == "Registered");
  CHECK_FALSE(sites.at("items").at(0).contains("transitions"));

  json registered = body_of(api.get("/api/v1/cases?workflow=site&state=registered"));
  CHECK(ids_of(registered.at("items")) == std::vector<std::string>{first, third});
  CHECK(registered.at("total") == 2);

  json page = body_of(api.get("/api/v1/cases?workflow=site&limit=1&offset=1"));
  CHECK(ids_of(page.at("items")) == std::vector<std::string>{second});
  CHECK(page.at("total") == 3);

  json beyond = body_of(api.get("/api/v1/cases?workflow=site&offset=10"));
  CHECK(beyond.at("items") == json::array());
  CHECK(beyond.at("total") == 3);

  json blank_filter = body_of(api.get("/api/v1/cases?workflow=&state="));
  CHECK(blank_filter.at("total") == 4);
}

TEST_CASE("cases list searches by text and district", "[api]") {
  ApiFixture api;
  std::string first = api.create_site("一号地块");
  std::string second = api.create_site("Second Site");

  CHECK(ids_of(body_of(api.get("/api/v1/cases?q=%E4%B8%80%E5%8F%B7")).at("items")) == std::vector<std::string>{first});
  CHECK(ids_of(body_of(api.get("/api/v1/cases?q=%20second%20SITE%20")).at("items")) ==
        std::vector<std::string>{second});
  CHECK(ids_of(body_of(api.get("/api/v1/cases?q=" + second)).at("items")) == std::vector<std::string>{second});
  CHECK(body_of(api.get("/api/v1/cases?district=pudong")).at("total") == 0);  // these sites name no district

  check_problem_shape(api.get("/api/v1/cases?district=mars"), 400, "bad_request");
  check_problem_shape(api.get("/api/v1/cases?q=%20%20"), 400, "bad_request");
  check_problem_shape(api.get("/api/v1/cases?q=%00"), 400, "bad_request");
  check_problem_shape(api.get("/api/v1/cases?q=a%0Ab"), 400, "bad_request");
  check_problem_shape(api.get("/api/v1/cases?q=" + std::string(101, 'a')), 400, "bad_request");
  CHECK(api.get("/api/v1/cases?q=" + std::string(100, 'a')).status == 200);
}

TEST_CASE("cases are counted by workflow and state", "[api]") {
  ApiFixture api;
  api.create_site("一号地块");
  std::string second = api.create_site("二号地块");
  api.fire(second, "propose_supply", "land_bureau");

  json items = body_of(api.get("/api/v1/statistics/cases")).at("items");
  REQUIRE(items.size() == 3);  // investigation/commissioned, site/registered, site/supply_proposed
  json registered;
  for (const json& item : items) {
    if (item.at("workflow") == "site" && item.at("state") == "registered") registered = item;
  }
  REQUIRE(registered.is_object());
  CHECK(registered.at("count") == 1);
  CHECK(registered.at("state_title").at("en") == "Registered");
  CHECK(registered.at("final") == false);
  CHECK(registered.at("median_days_in_state") == 0);
  json open = body_of(api.get("/api/v1/statistics/cases")).at("open_by_workflow");
  REQUIRE(open.size() == 2);
  CHECK(open.at(1).at("workflow") == "site");
  CHECK(open.at(1).at("count") == 2);
  CHECK(api.get("/api/v1/statistics/cases?workflow=site").status == 400);
}

TEST_CASE("bad paging answers 400", "[api]") {
  ApiFixture api;
  for (const char* query : {"limit=0", "limit=501", "limit=abc", "limit=-1", "offset=-1",
                            "offset=1.5", "limit=99999999999999999999", "limit=1&limit=2"}) {
    INFO(query);
    sitecycle::http::HttpResponse response = api.get(std::string("/api/v1/cases?") + query);
    check_problem_shape(response, 400, "bad_request");
  }
  check_problem_shape(api.get("/api/v1/workflows?limit=0"), 400, "bad_request");
  check_problem_shape(api.get("/api/v1/cases/any_case/events?offset=x"), 400, "bad_request");
}

TEST_CASE("unknown query parameters answer 400", "[api]") {
  ApiFixture api;
  sitecycle::http::HttpResponse misspelt = api.get("/api/v1/cases?workfow=site");
  check_problem_shape(misspelt, 400, "bad_request");
  CHECK(body_of(misspelt).at("detail").get<std::string>().find("workfow") != std::string::npos);
  check_problem_shape(api.get("/api/v1/workflows?state=x"), 400, "bad_request");
  check_problem_shape(api.get("/api/v1/cases/any_case/events?foo=1"), 400, "bad_request");
  CHECK(api.get("/api/v1/cases?workflow=site&state=&limit=5&offset=0").status == 200);
}

TEST_CASE("duplicate JSON members answer 400", "[api]") {
  ApiFixture api;
  sitecycle::http::HttpResponse response = api.post(
      "/api/v1/cases",
      std::string("{\"workflow\": \"site\", \"data\": {\"name\": \"a\", \"name\": \"b\", \"planned_class\": 1}}"),
      actor_headers("land_bureau"));
  check_problem_shape(response, 400, "bad_request");
  CHECK(body_of(response).at("detail").get<std::string>().find("name") != std::string::npos);
  CHECK(api.total_cases() == 0);
}

TEST_CASE("firing a transition answers the case and its events", "[api]") {
  ApiFixture api;
  std::string site = api.create_site("金桥地块", 1);
  api.clock().advance(std::chrono::hours{2});

  sitecycle::http::HttpResponse response =
      api.post("/api/v1/cases/" + site + "/transitions/propose_supply",
               json{{"comment", "拟出让"}}, actor_headers("land_bureau"));
  REQUIRE(response.status == 200);
  json body = body_of(response);
  CHECK(body.at("state") == "supply_proposed");
  CHECK(body.at("version") == 2);
  CHECK(body.at("updated_at") == "2026-03-16T03:30:00Z");
  REQUIRE(body.at("links").size() == 1);
  CHECK(body.at("links").at(0).at("role") == "investigation");
  std::string investigation = body.at("links").at(0).at("case_id").get<std::string>();

  // The events of the command: the transition and the opened investigation's creation.
  const json& events = body.at("events");
  REQUIRE(events.size() == 2);
  CHECK(events.at(0).at("kind") == "transition");
  CHECK(events.at(0).at("transition") == "propose_supply");
  CHECK(events.at(0).at("from") == "registered");
  CHECK(events.at(0).at("to") == "supply_proposed");
  CHECK(events.at(0).at("comment") == "拟出让");
  CHECK(events.at(1).at("kind") == "created");
  CHECK(events.at(1).at("case_id") == investigation);

  // The supply transition is listed but blocked by the investigation.
  json supply;
  for (const json& transition : body.at("transitions")) {
    if (transition.at("id") == "supply") supply = transition;
  }
  REQUIRE(supply.is_object());
  CHECK(supply.at("guard_holds") == false);
  std::string reason = supply.at("blocked_reason").at("en").get<std::string>();
  CHECK(reason.rfind("The soil pollution investigation has not passed review", 0) == 0);
  CHECK(supply.at("blocking_case") == investigation);
  CHECK(supply.at("to") == "supplied");

  json history = body_of(api.get("/api/v1/cases/" + site + "/events"));
  CHECK(history.at("total") == 2);
  CHECK(history.at("items").at(1).at("transition") == "propose_supply");
  json second_page = body_of(api.get("/api/v1/cases/" + site + "/events?limit=1&offset=1"));
  CHECK(second_page.at("items").size() == 1);
  CHECK(second_page.at("items").at(0).at("case_version") == 2);
  CHECK(second_page.at("total") == 2);
}

TEST_CASE("signals cascade into the reply's events", "[api]") {
  ApiFixture api;
  std::string site = api.create_site("外高桥地块", 1);
  api.fire(site, "propose_supply", "land_bureau");
  std::string investigation = api.linked_case(site, "investigation");
  REQUIRE_FALSE(investigation.empty());
  api.upload(investigation, "investigation_report", "consultant");
  api.fire(investigation, "submit_report", "consultant",
           json{{"input", {{"evaluated_class", 1}, {"conclusion", "clean"}}}});

  json passed = api.fire(investigation, "pass_review", "district_eeb");
  CHECK(passed.at("state") == "passed");
  CHECK(passed.at("closed") == true);
  REQUIRE(passed.at("events").size() == 2);
  CHECK(passed.at("events").at(1).at("case_id") == site);
  CHECK(passed.at("events").at(1).at("transition") == "investigation_passed");
  CHECK(passed.at("events").at(1).at("actor").at("role") == "system");

  json supplied = api.fire(site, "supply", "land_bureau");
  CHECK(supplied.at("state") == "supplied");
  CHECK(supplied.at("data").at("investigation_result") == "passed");
}

TEST_CASE("unknown case answers 404", "[api]") {
  ApiFixture api;
  check_problem_shape(api.get("/api/v1/cases/no_such_case"), 404, "not_found");
  check_problem_shape(api.get("/api/v1/cases/no_such_case/events"), 404, "not_found");
  check_problem_shape(api.get("/api/v1/cases/Bad%20Id"), 404, "not_found");
  check_problem_shape(api.post("/api/v1/cases/no_such_case/transitions/withdraw", json::object(),
                               actor_headers("land_bureau")),
                      404, "not_found");
}

TEST_CASE("unknown workflow on create answers 404", "[api]") {
  ApiFixture api;
  sitecycle::http::HttpResponse response =
      api.post("/api/v1/cases", json{{"workflow", "no_such_workflow"}}, actor_headers("land_bureau"));
  check_problem_shape(response, 404, "not_found");
  CHECK(api.total_cases() == 0);
}

TEST_CASE("rejections map to their status and leave the case unchanged", "[api]") {
  ApiFixture api;
  std::string site = api.create_site("漕河泾地块", 1);
  std::string transitions = "/api/v1/cases/" + site + "/transitions/";
  std::string before = api.case_footprint(site);
  REQUIRE(before == "registered v1, 1 events");

  struct Rejection {
    std::string name;
    std::string transition;
    std::string body;
    Headers headers;
    int status;
    std::string code;
  };
  std::vector<Rejection> rejections{
      {"unknown transition", "no_such_transition", "{}", actor_headers("land_bureau"), 404,
       "not_found"},
      {"wrong state", "supply", "{}", actor_headers("land_bureau"), 409, "no_such_transition"},
      {"role not allowed", "propose_supply", "{}", actor_headers("consultant"), 403,
       "role_not_allowed"},
      {"system role claimed", "investigation_passed", "{}", actor_headers("system"), 403,
       "role_not_allowed"},
      {"role not in roles.yaml", "propose_supply", "{}", actor_headers("mayor"), 403,
       "role_not_allowed"},
      {"observer's role", "propose_supply", "{}", {}, 403, "role_not_allowed"},
      {"no token", "propose_supply", "{}", sitecycle::testing::anonymous_headers(), 401, "unauthenticated"},
      {"malformed token", "propose_supply", "{}", {{"authorization", "Bearer land_bureau"}}, 401,
       "unauthenticated"},
      {"another scheme", "propose_supply", "{}", {{"authorization", "Basic bGFuZDpidXJlYXU="}}, 401,
       "unauthenticated"},
      {"malformed JSON", "propose_supply", "{\"comment\": ", actor_headers("land_bureau"), 400,
       "bad_request"},
      {"body not an object", "propose_supply", "[1, 2]", actor_headers("land_bureau"), 400,
       "bad_request"},
      {"nesting too deep", "propose_supply", std::string(100, '[') + std::string(100, ']'),
       actor_headers("land_bureau"), 400, "bad_request"},
      {"wrong member types", "add_remark", R"({"input": "remark", "comment": 5})",
       actor_headers("land_bureau"), 422, "invalid_input"},
      {"unknown member", "add_remark", R"({"inputs": {}})", actor_headers("land_bureau"), 422,
       "invalid_input"},
      {"missing required input", "add_remark", R"({"input": {}})", actor_headers("land_bureau"),
       422, "invalid_input"},
      {"input breaks the schema", "add_remark", R"({"input": {"remark": 7, "colour": "red"}})",
       actor_headers("land_bureau"), 422, "invalid_input"},
  };

  for (const Rejection& rejection : rejections) {
    INFO(rejection.name);
    sitecycle::http::HttpResponse response =
        api.post(transitions + rejection.transition, rejection.body, rejection.headers);
    check_problem_shape(response, rejection.status, rejection.code);
    CHECK(api.case_footprint(site) == before);
  }
  CHECK(api.get("/api/v1/health").status == 200);
}

TEST_CASE("failed guard answers 409 with blocking_case", "[api]") {
  ApiFixture api;
  std::string site = api.create_site("莘庄地块", 1);
  api.fire(site, "propose_supply", "land_bureau");
  std::string investigation = api.linked_case(site, "investigation");
  std::string before = api.case_footprint(site);

  sitecycle::http::HttpResponse response = api.post(
      "/api/v1/cases/" + site + "/transitions/supply", json::object(), actor_headers("land_bureau"));
  check_problem_shape(response, 409, "guard_failed");
  json body = body_of(response);
  CHECK(body.at("blocking_case") == investigation);
  CHECK(body.at("basis") == "土壤污染防治法第五十九条 (SPPCL Art. 59)");
  CHECK(body.at("detail").get<std::string>().find("土壤污染状况调查尚未通过评审") != std::string::npos);
  CHECK(api.case_footprint(site) == before);
}

TEST_CASE("invalid input lists pointers", "[api]") {
  ApiFixture api;
  std::string site = api.create_site("新江湾地块", 1);

  SECTION("transition input") {
    sitecycle::http::HttpResponse response =
        api.post("/api/v1/cases/" + site + "/transitions/add_remark",
                 json{{"input", {{"remark", 7}, {"colour", "red"}}}}, actor_headers("land_bureau"));
    check_problem_shape(response, 422, "invalid_input");
    std::vector<std::string> pointers;
    json body = body_of(response);
    for (const json& error : body.at("errors")) {
      pointers.push_back(error.at("pointer").get<std::string>());
      CHECK_FALSE(error.at("message").get<std::string>().empty());
    }
    CHECK_THAT(pointers, Catch::Matchers::UnorderedEquals(
                             std::vector<std::string>{"/input/remark", "/input/colour"}));
  }
  SECTION("request members of the wrong type") {
    sitecycle::http::HttpResponse response =
        api.post("/api/v1/cases", json{{"workflow", 3}, {"data", "x"}, {"comment", false}, {"extra", 1}},
                 actor_headers("land_bureau"));
    check_problem_shape(response, 422, "invalid_input");
    std::vector<std::string> pointers;
    json body = body_of(response);
    for (const json& error : body.at("errors")) {
      pointers.push_back(error.at("pointer").get<std::string>());
    }
    CHECK_THAT(pointers, Catch::Matchers::UnorderedEquals(std::vector<std::string>{
                             "/workflow", "/data", "/comment", "/extra"}));
  }
  SECTION("case data") {
    sitecycle::http::HttpResponse response = api.post(
        "/api/v1/cases", json{{"workflow", "site"}, {"data", {{"name", "x"}, {"planned_class", 3}}}},
        actor_headers("land_bureau"));
    check_problem_shape(response, 422, "invalid_input");
    CHECK(body_of(response).at("errors").at(0).at("pointer") == "/data/planned_class");
  }
  SECTION("case id") {
    sitecycle::http::HttpResponse response = api.post(
        "/api/v1/cases",
        json{{"workflow", "site"}, {"id", "Site-1"}, {"data", {{"name", "x"}, {"planned_class", 1}}}},
        actor_headers("land_bureau"));
    check_problem_shape(response, 422, "invalid_input");
    CHECK(body_of(response).at("errors").at(0).at("pointer") == "/id");
  }
  CHECK(api.total_cases() == 1);
}

TEST_CASE("malformed JSON names the position", "[api]") {
  ApiFixture api;
  sitecycle::http::HttpResponse response =
      api.post("/api/v1/cases", std::string("{\"workflow\": site}"), actor_headers("land_bureau"));
  check_problem_shape(response, 400, "bad_request");
  json body = body_of(response);
  CHECK(body.at("position") == 14);
  CHECK(body.at("detail").get<std::string>().find("14") != std::string::npos);
}

TEST_CASE("out-of-range numbers answer 400", "[api]") {
  ApiFixture api;
  sitecycle::http::HttpResponse response = api.post(
      "/api/v1/cases", std::string("{\"workflow\": \"site\", \"data\": {\"planned_class\": 1e400}}"),
      actor_headers("land_bureau"));
  check_problem_shape(response, 400, "bad_request");
  CHECK(body_of(response).at("detail").get<std::string>().find("1e400") != std::string::npos);
  CHECK(api.total_cases() == 0);
}

TEST_CASE("empty or invalid UTF-8 bodies are rejected", "[api]") {
  ApiFixture api;
  check_problem_shape(api.post("/api/v1/cases", std::string(), actor_headers("land_bureau")), 400,
                      "bad_request");
  check_problem_shape(api.post("/api/v1/cases", std::string("{\"workflow\": \"\xff\"}"),
                               actor_headers("land_bureau")),
                      400, "bad_request");
  CHECK(api.total_cases() == 0);
}

TEST_CASE("duplicate case id answers 409 conflict", "[api]") {
  ApiFixture api;
  json request{{"workflow", "site"}, {"id", "site_twice"}, {"data", {{"name", "x"}, {"planned_class", 1}}}};
  REQUIRE(api.post("/api/v1/cases", request, actor_headers("land_bureau")).status == 201);
  check_problem_shape(api.post("/api/v1/cases", request, actor_headers("land_bureau")), 409,
                      "conflict");
}

TEST_CASE("closed case answers 409 case_closed", "[api]") {
  ApiFixture api;
  std::string site = api.create_site("closed", 1);
  api.fire(site, "propose_supply", "land_bureau");
  std::string investigation = api.linked_case(site, "investigation");
  api.upload(investigation, "investigation_report", "consultant");
  api.fire(investigation, "submit_report", "consultant",
           json{{"input", {{"evaluated_class", 1}, {"conclusion", "clean"}}}});
  api.fire(investigation, "pass_review", "district_eeb");
  std::string before = api.case_footprint(investigation);

  check_problem_shape(api.post("/api/v1/cases/" + investigation + "/transitions/pass_review",
                               json::object(), actor_headers("district_eeb")),
                      409, "case_closed");
  CHECK(api.case_footprint(investigation) == before);
}

TEST_CASE("unknown route answers 404 and wrong method 405", "[api]") {
  ApiFixture api;
  for (const char* target : {"/", "/api/v1", "/api/v2/cases", "/api/v1/cases/", "/api/v1/casesx",
                             "/api/v1/cases/a/b", "api/v1/cases", "*"}) {
    INFO(target);
    check_problem_shape(api.get(target), 404, "not_found");
  }

  sitecycle::http::HttpResponse put = api.router().handle(
      sitecycle::testing::make_request("PUT", "/api/v1/cases", "{}", actor_headers("land_bureau")));
  check_problem_shape(put, 405, "method_not_allowed");
  CHECK(header_of(put, "Allow") == "GET, POST");

  sitecycle::http::HttpResponse get_transition = api.get("/api/v1/cases/a/transitions/b");
  check_problem_shape(get_transition, 405, "method_not_allowed");
  CHECK(header_of(get_transition, "Allow") == "POST");

  sitecycle::http::HttpResponse delete_health =
      api.router().handle(sitecycle::testing::make_request("DELETE", "/api/v1/health"));
  CHECK(header_of(delete_health, "Allow") == "GET");
}

TEST_CASE("Accept-Language picks the language of title and detail", "[api]") {
  ApiFixture api;
  std::string site = api.create_site("语言地块", 1);
  std::string target = "/api/v1/cases/" + site + "/transitions/propose_supply";

  sitecycle::http::HttpResponse chinese =
      api.post(target, json::object(), with_language(actor_headers("consultant"), "zh-CN"));
  sitecycle::http::HttpResponse english =
      api.post(target, json::object(), with_language(actor_headers("consultant"), "en-GB,en;q=0.9"));
  sitecycle::http::HttpResponse unspecified = api.post(target, json::object(), actor_headers("consultant"));

  json zh = body_of(chinese);
  json en = body_of(english);
  CHECK(zh.at("code") == en.at("code"));
  CHECK(zh.at("type") == en.at("type"));
  CHECK(zh.at("detail") != en.at("detail"));
  CHECK(zh.at("title") != en.at("title"));
  CHECK(en.at("title") == "Role not allowed");
  CHECK(zh.at("title") == "角色无权执行该操作");
  CHECK(body_of(unspecified).at("detail") == zh.at("detail"));

  CHECK(header_of(chinese, "Content-Language") == "zh-CN");
  CHECK(header_of(english, "Content-Language") == "en");
  CHECK(header_of(english, "Vary") == "Accept-Language");
  CHECK(header_of(api.get("/api/v1/health", with_language({}, "en")), "Content-Language") == "en");

  json english_errors =
      body_of(api.post("/api/v1/cases", json{{"workflow", 1}}, with_language(actor_headers("land_bureau"), "en")));
  CHECK(english_errors.at("errors").at(0).at("message") == "Member workflow must be a string, found number");
}

TEST_CASE("a case lists the transitions the token user's role may fire", "[api]") {
  ApiFixture api;
  std::string site = api.create_site("只读地块", 1);
  CHECK(body_of(api.get("/api/v1/cases/" + site)).at("transitions") == json::array());
  json as_eeb = body_of(api.get("/api/v1/cases/" + site, actor_headers("district_eeb")));
  CHECK(ids_of(as_eeb.at("transitions")) == std::vector<std::string>{"add_remark"});
  check_problem_shape(api.get("/api/v1/cases/" + site, sitecycle::testing::anonymous_headers()), 401,
                      "unauthenticated");
}

TEST_CASE("percent-encoded path segments are decoded", "[api]") {
  ApiFixture api;
  std::string site = api.create_site("编码地块", 1);
  std::string encoded;
  for (char c : site) encoded += c == '_' ? std::string("%5F") : std::string(1, c);
  CHECK(api.get("/api/v1/cases/" + encoded).status == 200);
  check_problem_shape(api.get("/api/v1/cases/a%2Fb"), 404, "not_found");
}
