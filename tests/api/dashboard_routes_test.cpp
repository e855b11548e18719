// The routes behind the dashboard's first screens, over the shipped workflows with deadline
// clocks: the to-do queue, list filters and sorting, list changes, land actions without an
// investigation, the parcel map, the directory and the calendar strip.
#include "api/http/api_router.h"

#include "deadline_fixture.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using sitecycle::testing::actor_headers;
using sitecycle::testing::body_of;
using sitecycle::testing::DeadlineApiFixture;
using sitecycle::testing::make_request;
using sitecycle::testing::with_language;
using nlohmann::json;

namespace {

json ok_body(const DeadlineApiFixture& api, const std::string& target,
             const sitecycle::testing::Headers& headers = {}) {
  sitecycle::http::HttpResponse response = api.get(target, headers);
  INFO(target);
  INFO(response.body);
  REQUIRE(response.status == 200);
  return body_of(response);
}

// The English detail of a 400, which must name `part`.
void check_rejected(const DeadlineApiFixture& api, const std::string& target, const std::string& part) {
  sitecycle::http::HttpResponse response = api.get(target, with_language({}, "en"));
  INFO(target);
  INFO(response.body);
  CHECK(response.status == 400);
  CHECK(body_of(response).at("code") == "bad_request");
  CHECK(body_of(response).at("detail").get<std::string>().find(part) != std::string::npos);
}

std::vector<std::string> ids_of(const json& items) {
  std::vector<std::string> ids;
  for (const json& item : items) ids.push_back(item.at("id").get<std::string>());
  return ids;
}

std::string create_case(const DeadlineApiFixture& api, const json& body, const std::string& role) {
  sitecycle::http::HttpResponse response =
      api.router().handle(make_request("POST", "/api/v1/cases", body.dump(), actor_headers(role)));
  INFO(response.body);
  REQUIRE(response.status == 201);
  return body_of(response).at("id").get<std::string>();
}

json parcel_data(const std::string& name) {
  return {{"name", name}, {"district", "pudong"}, {"planned_class", 1}};
}

// A closed square about 100 m wide near Zhuqiao, Pudong, as a GeoJSON MultiPolygon.
json square_outline() {
  return {{"type", "MultiPolygon"},
          {"coordinates",
           {{{{121.750, 31.150}, {121.751, 31.150}, {121.751, 31.151}, {121.750, 31.151}, {121.750, 31.150}}}}}};
}

}  // namespace

TEST_CASE("to-do queue lists oldest first", "[api][dashboard]") {
  DeadlineApiFixture api;
  api.set_clock(std::chrono::year{2026} / 3 / 2);
  api.submitted_investigation("older_investigation", "pudong");
  api.set_clock(std::chrono::year{2026} / 3 / 4);
  api.submitted_investigation("newer_investigation", "pudong");
  api.investigation_under_review("reviewed_investigation", "pudong");

  json queue = ok_body(api, "/api/v1/todo", actor_headers("district_eeb"));
  std::vector<std::string> ids = ids_of(queue.at("items"));
  REQUIRE(ids.size() >= 3);
  CHECK(ids.at(0) == "older_investigation");
  const json& first = queue.at("items").at(0);
  CHECK(first.at("state") == "report_submitted");
  CHECK(first.at("light").is_string());
  bool can_accept = false;
  for (const json& step : first.at("steps")) can_accept = can_accept || step.at("id") == "accept_for_review";
  CHECK(can_accept);

  // Under review, the review clock runs: the item carries it as its next deadline.
  for (const json& item : queue.at("items")) {
    if (item.at("id") != "reviewed_investigation") continue;
    REQUIRE(item.at("next_deadline").is_object());
    CHECK(item.at("next_deadline").at("light") == "green");
  }

  // The consultant may not accept a report for review.
  json consultant = ok_body(api, "/api/v1/todo", actor_headers("consultant"));
  for (const json& item : consultant.at("items")) {
    for (const json& step : item.at("steps")) CHECK(step.at("id") != "accept_for_review");
  }
  check_rejected(api, "/api/v1/todo?state=x", "state");
}

TEST_CASE("to-do queue names missing documents", "[api][dashboard]") {
  DeadlineApiFixture api;
  json body{{"workflow", "investigation"},
            {"id", "sampling_investigation"},
            {"data", {{"trigger", "voluntary"}, {"planned_class", 1}, {"parcel_name", "缺报告地块"}, {"district", "pudong"}}}};
  create_case(api, body, "land_holder");
  api.fire("sampling_investigation", "engage_consultant", "land_holder", {{"consultant", "测试调查评估单位"}});
  api.fire("sampling_investigation", "start_phase1", "consultant");
  api.fire("sampling_investigation", "start_sampling", "consultant");

  json queue = ok_body(api, "/api/v1/todo", actor_headers("consultant"));
  json submit;
  for (const json& item : queue.at("items")) {
    if (item.at("id") != "sampling_investigation") continue;
    for (const json& step : item.at("steps")) {
      if (step.at("id") == "submit_report") submit = step;
    }
  }
  REQUIRE(submit.is_object());
  REQUIRE(submit.at("missing_documents").size() == 1);
  CHECK(submit.at("missing_documents").at(0).at("kind") == "investigation_report");
  CHECK(submit.at("missing_documents").at(0).at("title").at("zh-CN").is_string());
}

TEST_CASE("case list filters and sorting", "[api][dashboard]") {
  DeadlineApiFixture api;
  api.set_clock(std::chrono::year{2026} / 3 / 2);
  api.investigation_under_review("late_investigation", "pudong");
  api.set_clock(std::chrono::year{2026} / 6 / 1);
  api.fire_due_deadlines();
  api.investigation_under_review("fresh_investigation", "pudong");

  json red = ok_body(api, "/api/v1/cases?workflow=investigation&light=red");
  CHECK(ids_of(red.at("items")) == std::vector<std::string>{"late_investigation"});
  CHECK(red.at("items").at(0).at("next_due_at").is_string());
  json by_due = ok_body(api, "/api/v1/cases?workflow=investigation&sort=next_due_at");
  CHECK(ids_of(by_due.at("items")) == std::vector<std::string>{"late_investigation", "fresh_investigation"});
  json newest = ok_body(api, "/api/v1/cases?workflow=investigation&sort=-created_at");
  CHECK(ids_of(newest.at("items")) == std::vector<std::string>{"fresh_investigation", "late_investigation"});

  check_rejected(api, "/api/v1/cases?light=purple", "purple");
  check_rejected(api, "/api/v1/cases?sort=name", "sort");
  check_rejected(api, "/api/v1/cases?workflow=parcels", "parcels");
  check_rejected(api, "/api/v1/cases?workflow=investigation&state=listed", "listed");
  check_rejected(api, "/api/v1/cases?state=no_such_state", "no_such_state");
  check_rejected(api, "/api/v1/cases?party=no_such_firm", "no_such_firm");
  // The test users belong to one organisation, which acted on both cases without a grant.
  json acted = ok_body(api, std::string("/api/v1/cases?workflow=investigation&party=") +
                                sitecycle::testing::kTestOrganisation);
  CHECK(acted.at("total") == 2);
  check_rejected(api, "/api/v1/cases.csv?light=purple", "purple");
  CHECK(api.get("/api/v1/cases?state=listed").status == 200);
}

TEST_CASE("list changes by month", "[api][dashboard]") {
  DeadlineApiFixture api;
  json listing{{"workflow", "listing"},
               {"data",
                {{"parcel_name", "测试名录地块"},
                 {"district", "pudong"},
                 {"target_class", 1},
                 {"risk_control_targets", "砷 ≤ 20 mg/kg"}}}};
  const std::string listed = create_case(api, listing, "city_eeb");

  json february = ok_body(api, "/api/v1/statistics/list-changes");
  CHECK(february.at("month") == "2026-02");
  CHECK(ids_of(february.at("added").at("items")) == std::vector<std::string>{listed});
  CHECK(february.at("removed").at("total") == 0);
  CHECK(february.at("from") == "2026-01-31T16:00:00Z");
  json march = ok_body(api, "/api/v1/statistics/list-changes?month=2026-03");
  CHECK(march.at("added").at("total") == 0);
  for (const char* month : {"2026-13", "2026-3", "202603", "abcd-ef", "2026-03-01"}) {
    check_rejected(api, std::string("/api/v1/statistics/list-changes?month=") + month, "month");
  }
}

TEST_CASE("land actions without investigation", "[api][dashboard]") {
  DeadlineApiFixture api;
  const std::string proposed = create_case(api, {{"workflow", "parcel"}, {"data", parcel_data("拟收储地块")}}, "land_bureau");
  const std::string settled = create_case(api, {{"workflow", "parcel"}, {"data", parcel_data("已登记地块")}}, "land_bureau");
  json fired = api.fire(proposed, "propose_storage", "land_reserve_centre");

  json waiting = ok_body(api, "/api/v1/statistics/land-actions-without-investigation");
  REQUIRE(ids_of(waiting.at("items")) == std::vector<std::string>{proposed});
  const json& item = waiting.at("items").at(0);
  CHECK(item.at("reason") == "not_started");
  REQUIRE(item.at("investigation_id").is_string());

  // Once a consultancy is engaged, the investigation is under way.
  api.fire(item.at("investigation_id").get<std::string>(), "engage_consultant", "land_reserve_centre",
           {{"consultant", "测试调查评估单位"}});
  CHECK(ok_body(api, "/api/v1/statistics/land-actions-without-investigation").at("total") == 0);
  CHECK(ok_body(api, "/api/v1/statistics/land-actions-without-investigation?district=qingpu").at("total") == 0);
  check_rejected(api, "/api/v1/statistics/land-actions-without-investigation?district=mars", "mars");
  (void)settled;
}

TEST_CASE("sites GeoJSON draws outlined parcels", "[api][dashboard]") {
  DeadlineApiFixture api;
  json outlined = parcel_data("有边界地块");
  outlined["outline"] = square_outline();
  outlined["area_m2"] = 15000;
  const std::string drawn = create_case(api, {{"workflow", "parcel"}, {"data", outlined}}, "land_bureau");
  create_case(api, {{"workflow", "parcel"}, {"data", parcel_data("无边界地块")}}, "land_bureau");

  sitecycle::http::HttpResponse response = api.get("/api/v1/sites.geojson");
  REQUIRE(response.status == 200);
  CHECK(sitecycle::testing::header_of(response, "Content-Type") == "application/geo+json");
  json map = body_of(response);
  CHECK(map.at("type") == "FeatureCollection");
  CHECK(map.at("parcels") == 2);
  CHECK(map.at("parcels_without_outline") == 1);
  REQUIRE(map.at("features").size() == 1);
  const json& feature = map.at("features").at(0);
  CHECK(feature.at("geometry") == square_outline());
  CHECK(feature.at("properties").at("site_id") == drawn);
  CHECK(feature.at("properties").at("name") == "有边界地块");
  CHECK(feature.at("properties").at("light") == "none");
  CHECK(feature.at("properties").at("stage").at("en") == "Registered");
  CHECK(feature.at("properties").at("area_m2") == 15000);
  CHECK(feature.at("properties").at("area_mu") == 22.5);
  CHECK(ok_body(api, "/api/v1/sites.geojson?bbox=121.7,31.1,121.8,31.2").at("features").size() == 1);
  CHECK(ok_body(api, "/api/v1/sites.geojson?bbox=121.0,31.0,121.1,31.1").at("features").empty());
  for (const char* box : {"1,2,3", "1,2,3,4,5", "121.8,31.1,121.7,31.2", "a,b,c,d", "121,31,,122", "-181,0,0,1",
                          "1,2,3,4,", "nan,0,1,1", "NaN,NaN,NaN,NaN", "0,0,inf,1"}) {
    check_rejected(api, std::string("/api/v1/sites.geojson?bbox=") + box, "bbox");
  }

  // An outline that is not a MultiPolygon of positions is rejected when written.
  json bad = parcel_data("坏边界地块");
  bad["outline"] = {{"type", "Polygon"}, {"coordinates", {{{121.75, 31.15}}}}};
  sitecycle::http::HttpResponse rejected = api.router().handle(make_request(
      "POST", "/api/v1/cases", json{{"workflow", "parcel"}, {"data", bad}}.dump(), actor_headers("land_bureau")));
  CHECK(rejected.status == 422);
  CHECK(body_of(rejected).at("errors").size() == 1);  // one error saying how to write a MultiPolygon
  CHECK(ok_body(api, "/api/v1/sites.geojson?district=qingpu").at("features").empty());
}

TEST_CASE("directory names organisations and roles", "[api][dashboard]") {
  DeadlineApiFixture api;
  json directory = ok_body(api, "/api/v1/directory");
  REQUIRE_FALSE(directory.at("organisations").empty());
  REQUIRE_FALSE(directory.at("agencies").empty());
  CHECK(directory.at("agencies").at(0).at("title").at("zh-CN").is_string());
  CHECK(directory.at("organisations").at(0).at("name").at("zh-CN").is_string());
  bool consultant = false;
  for (const json& role : directory.at("roles")) {
    if (role.at("id") == "consultant") consultant = role.at("title").at("zh-CN").is_string();
  }
  CHECK(consultant);
  check_rejected(api, "/api/v1/directory?all=1", "all");
}

TEST_CASE("special days list holidays and make-up days", "[api][calendar][dashboard]") {
  DeadlineApiFixture api;
  json calendars = ok_body(api, "/api/v1/calendars");
  CHECK(calendars.at("today") == "2026-02-10");
  REQUIRE(calendars.at("items").size() == 1);
  CHECK(calendars.at("items").at(0).at("id") == "CN");
  CHECK(calendars.at("items").at(0).at("years").back() == 2026);

  // From today, 90 days by default: the Spring Festival make-up Saturday 02-14, the holiday
  // 02-15..02-23, the make-up Saturday 02-28, then Qingming 04-04..04-06.
  json days = ok_body(api, "/api/v1/calendars/CN/special-days");
  CHECK(days.at("from") == "2026-02-10");
  CHECK(days.at("to") == "2026-05-11");
  const json& listed = days.at("days");
  REQUIRE(listed.size() == 1 + 9 + 1 + 3 + 5 + 1);
  CHECK(listed.at(0) == json{{"date", "2026-02-14"}, {"kind", "makeup_workday"}, {"name", nullptr}});
  CHECK(listed.at(1).at("kind") == "holiday");
  CHECK(listed.at(1).at("name").at("en") == "Spring Festival");
  CHECK(days.at("missing_years").empty());

  json next_year = ok_body(api, "/api/v1/calendars/CN/special-days?from=2026-12-25&to=2027-01-10");
  CHECK(next_year.at("missing_years") == json::array({2027}));
  CHECK(next_year.at("days").empty());

  check_rejected(api, "/api/v1/calendars/CN/special-days?from=2026-03-01&to=2026-02-01", "2026-02-01");
  check_rejected(api, "/api/v1/calendars/CN/special-days?from=2026-01-01&to=2027-06-01", "400");
  check_rejected(api, "/api/v1/calendars/CN/special-days?from=2026-02-30", "from");
  check_rejected(api, "/api/v1/calendars/CN/special-days?days=3", "days");
  CHECK(api.get("/api/v1/calendars/XX/special-days").status == 404);
}
