// Deadlines through the API: the list and its filters, the iCalendar feed (also on a real
// socket) and the deadlines in case detail, on the shipped workflows and CN calendar.
#include "api/http/api_router.h"

#include "api/http/http_server.h"
#include "deadline_fixture.h"

#include <catch2/catch.hpp>
#include <httplib.h>

#include <string>
#include <vector>

using sitecycle::testing::actor_headers;
using sitecycle::testing::body_of;
using sitecycle::testing::DeadlineApiFixture;
using sitecycle::testing::header_of;
using sitecycle::testing::Headers;
using sitecycle::testing::with_language;
using nlohmann::json;
using std::chrono::year;

namespace {

constexpr auto y2026 = year{2026};

json correction_input() { return {{"correction_items", {"补充地下水采样"}}}; }

// Six investigations whose deadlines reach every status by 26 March 2026, when the scheduler
// has fired what came due:
//   inv_a (pudong)  review due 16 March, escalated          correction notice met
//   inv_b (xuhui)   review due 30 March, warned             correction notice met
//   inv_c (pudong)  review due 16 March, paused on 2 March  correction notice met
//   inv_d (pudong)  review met on 2 March                   correction notice met
//   inv_e (jingan)  review cancelled on 2 March             correction notice met
//   inv_f (pudong)  correction notice due 9 March, breached
void build_every_status(DeadlineApiFixture& api) {
  // 10 February: four reports accepted for review, each review due on 16 March.
  api.set_clock(y2026 / 2 / 10);
  for (const char* id : {"inv_a", "inv_c", "inv_d"}) api.investigation_under_review(id, "pudong");
  api.investigation_under_review("inv_e", "jingan");

  // 2 March: one more review, one report waiting for acceptance, and three reviews that end or pause.
  api.set_clock(y2026 / 3 / 2);
  api.investigation_under_review("inv_b", "xuhui");
  api.submitted_investigation("inv_f", "pudong");
  api.fire("inv_c", "return_for_correction", "district_eeb", correction_input());
  api.fire("inv_d", "pass_review", "district_eeb");
  api.fire("inv_e", "withdraw", "land_holder");

  // 26 March: the scheduler fires the warnings, breaches and escalations that came due.
  api.set_clock(y2026 / 3 / 26);
  api.fire_due_deadlines();
}

// "case/rule" of each item, in order.
std::vector<std::string> keys_of(const json& items) {
  std::vector<std::string> keys;
  for (const json& item : items) keys.push_back(item.at("case_id").get<std::string>() + "/" + item.at("rule").get<std::string>());
  return keys;
}

json list(const DeadlineApiFixture& api, const std::string& query) {
  sitecycle::http::HttpResponse response = api.get("/api/v1/deadlines" + (query.empty() ? "" : "?" + query));
  INFO(response.body);
  REQUIRE(response.status == 200);
  return body_of(response);
}

std::vector<std::string> listed(const DeadlineApiFixture& api, const std::string& query) {
  return keys_of(list(api, query).at("items"));
}

json deadline_of(const json& case_detail, const std::string& rule) {
  for (const json& deadline : case_detail.at("deadlines")) {
    if (deadline.at("rule") == rule) return deadline;
  }
  FAIL("case " << case_detail.at("id") << " has no deadline " << rule);
  return nullptr;
}

json review_in_detail(const DeadlineApiFixture& api, const std::string& case_id) {
  sitecycle::http::HttpResponse response = api.get("/api/v1/cases/" + case_id);
  INFO(response.body);
  REQUIRE(response.status == 200);
  return deadline_of(body_of(response), "review");
}

// The headers of the test user holding `role`, for the socket client.
httplib::Headers socket_headers(const std::string& role, const std::string& accept_language = "") {
  Headers headers = actor_headers(role);
  httplib::Headers result(headers.begin(), headers.end());
  if (!accept_language.empty()) result.emplace("Accept-Language", accept_language);
  return result;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The detail of a 400 in zh-CN (the default) and in en.
std::pair<std::string, std::string> bad_request_details(const DeadlineApiFixture& api, const std::string& target,
                                                        const Headers& headers = {}) {
  sitecycle::http::HttpResponse zh_cn = api.get(target, headers);
  sitecycle::http::HttpResponse en = api.get(target, with_language(headers, "en"));
  INFO(zh_cn.body);
  INFO(en.body);
  CHECK(zh_cn.status == 400);
  CHECK(en.status == 400);
  CHECK(body_of(en).at("code") == "bad_request");
  return {body_of(zh_cn).at("detail").get<std::string>(), body_of(en).at("detail").get<std::string>()};
}

// The feed with folded lines joined again (RFC 5545 section 3.1).
std::string unfolded(std::string feed) {
  for (std::size_t at = feed.find("\r\n "); at != std::string::npos; at = feed.find("\r\n ", at)) feed.erase(at, 3);
  return feed;
}

int count_of(const std::string& text, const std::string& part) {
  int count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

}  // namespace

TEST_CASE("deadline list shows cycle lights", "[api][deadline]") {
  DeadlineApiFixture api;
  build_every_status(api);

  json body = list(api, "");
  CHECK(body.at("total") == 11);
  json review_a;
  for (const json& item : body.at("items")) {
    if (item.at("case_id") == "inv_a" && item.at("rule") == "review") review_a = item;
  }
  REQUIRE(review_a.is_object());
  CHECK(review_a.at("id").is_number_integer());
  CHECK(review_a.at("workflow") == "investigation");
  CHECK(review_a.at("title") == json{{"zh-CN", "报告评审"}, {"en", "Report review"}});
  CHECK(review_a.at("cycle") == 1);
  CHECK(review_a.at("agency") == "pudong_eeb");
  CHECK(review_a.at("responsible") == "district_eeb");
  CHECK(review_a.at("status") == "escalated");
  CHECK(review_a.at("progress") == "escalated");
  CHECK(review_a.at("paused") == false);
  CHECK(review_a.at("started_on") == "2026-02-10");
  CHECK(review_a.at("due_on") == "2026-03-16");
  CHECK(review_a.at("due_at") == "2026-03-16T16:00:00Z");
  CHECK(review_a.at("warning_at") == "2026-03-10T16:00:00Z");
  CHECK(review_a.at("provisional") == false);
  CHECK(review_a.at("missing_years") == json::array());
  CHECK(review_a.at("light") == "red");
  CHECK(review_a.at("working_days_left") == 0);
  CHECK(review_a.at("working_days_over") == 8);
  CHECK(review_a.at("summary") == json{{"zh-CN", "已超期 8 个工作日"}, {"en", "8 working days overdue"}});
  CHECK(review_a.at("escalation_level") == 1);
  CHECK(review_a.at("pauses") == json::array());
  CHECK(review_a.at("ended_at").is_null());
  CHECK(review_a.at("end_reason").is_null());
}

TEST_CASE("deadline list filters by status", "[api][deadline]") {
  DeadlineApiFixture api;
  build_every_status(api);

  using Keys = std::vector<std::string>;
  CHECK(listed(api, "status=open") ==
        Keys{"inv_f/correction_notice", "inv_a/review", "inv_c/review", "inv_b/review"});
  CHECK(listed(api, "status=overdue") == Keys{"inv_f/correction_notice", "inv_a/review"});
  CHECK(listed(api, "status=escalated") == Keys{"inv_a/review"});
  CHECK(listed(api, "status=breached") == Keys{"inv_f/correction_notice"});
  CHECK(listed(api, "status=warning") == Keys{"inv_b/review"});
  CHECK(listed(api, "status=warned") == Keys{"inv_b/review"});
  CHECK(listed(api, "status=paused") == Keys{"inv_c/review"});
  CHECK(listed(api, "status=armed") == Keys{});
  CHECK(listed(api, "status=cancelled") == Keys{"inv_e/review"});
  CHECK(listed(api, "status=met") == Keys{"inv_a/correction_notice", "inv_c/correction_notice",
                                          "inv_d/correction_notice", "inv_e/correction_notice",
                                          "inv_b/correction_notice", "inv_d/review"});
}

TEST_CASE("deadline list shows paused and ended", "[api][deadline]") {
  DeadlineApiFixture api;
  build_every_status(api);

  json paused = list(api, "status=paused").at("items").at(0);
  CHECK(paused.at("status") == "paused");
  CHECK(paused.at("progress") == "armed");
  CHECK(paused.at("paused") == true);
  CHECK(paused.at("light") == "grey");
  CHECK(paused.at("working_days_left") == 10);
  CHECK(paused.at("summary") == json{{"zh-CN", "已暂停（剩余 10 个工作日）"}, {"en", "paused (10 working days left)"}});
  CHECK(paused.at("pauses") == json{{{"from", "2026-03-02"}, {"to", nullptr}}});

  json met = list(api, "status=met&agency=pudong_eeb&due_before=2026-03-17T00:00:00%2B08:00").at("items");
  REQUIRE(met.size() == 3);  // the correction notices of inv_a, inv_c and inv_d
  json review_d = list(api, "status=met&due_before=2026-03-20").at("items").back();
  CHECK(review_d.at("case_id") == "inv_d");
  CHECK(review_d.at("light").is_null());
  CHECK(review_d.at("working_days_left").is_null());
  CHECK(review_d.at("working_days_over").is_null());
  CHECK(review_d.at("summary") == json{{"zh-CN", "已完成"}, {"en", "met"}});
  CHECK(review_d.at("ended_at") == "2026-03-02T04:00:00Z");
  CHECK(review_d.at("end_reason").is_string());

  json cancelled = list(api, "status=cancelled").at("items").at(0);
  CHECK(cancelled.at("summary") == json{{"zh-CN", "已取消"}, {"en", "cancelled"}});
  CHECK(cancelled.at("agency") == "jingan_eeb");
}

TEST_CASE("deadline list filters agency and date", "[api][deadline]") {
  DeadlineApiFixture api;
  build_every_status(api);

  using Keys = std::vector<std::string>;
  CHECK(listed(api, "agency=xuhui_eeb") == Keys{"inv_b/correction_notice", "inv_b/review"});
  sitecycle::http::HttpResponse unknown = api.get("/api/v1/deadlines?agency=nowhere_eeb");
  CHECK(unknown.status == 400);
  CHECK(unknown.body.find("nowhere_eeb") != std::string::npos);
  CHECK(listed(api, "status=open&agency=pudong_eeb") ==
        Keys{"inv_f/correction_notice", "inv_a/review", "inv_c/review"});

  SECTION("a date keeps the deadlines whose last day is before it") {
    CHECK(list(api, "due_before=2026-03-16").at("total") == 6);  // four notices due 24 February, two due 9 March
    CHECK(list(api, "due_before=2026-03-17").at("total") == 10);  // and the four reviews due 16 March
    CHECK(listed(api, "status=open&due_before=2026-03-17") ==
          Keys{"inv_f/correction_notice", "inv_a/review", "inv_c/review"});
  }
  SECTION("an instant keeps the deadlines due strictly before it") {
    // The reviews due on 16 March end at 2026-03-16T16:00:00Z, the start of 17 March in Shanghai.
    CHECK(list(api, "due_before=2026-03-16T16:00:00Z").at("total") == 6);
    CHECK(list(api, "due_before=2026-03-17T00:00:01%2B08:00").at("total") == 10);
  }
}

TEST_CASE("deadline list pages", "[api][deadline]") {
  DeadlineApiFixture api;
  build_every_status(api);

  json page = list(api, "status=met&limit=2&offset=1");
  CHECK(page.at("total") == 6);
  CHECK(keys_of(page.at("items")) == std::vector<std::string>{"inv_c/correction_notice", "inv_d/correction_notice"});
  json last = list(api, "status=met&limit=50&offset=5");
  CHECK(keys_of(last.at("items")) == std::vector<std::string>{"inv_d/review"});
  CHECK(list(api, "offset=11").at("items") == json::array());
  CHECK(list(api, "offset=11").at("total") == 11);
}

TEST_CASE("deadline list rejects bad filters", "[api][deadline]") {
  DeadlineApiFixture api;

  SECTION("unknown status lists the allowed values") {
    auto [zh_cn, en] = bad_request_details(api, "/api/v1/deadlines?status=late");
    CHECK(contains(zh_cn, "\"late\""));
    CHECK(contains(zh_cn, "open, warning, overdue, paused, escalated, armed, warned, breached, met, cancelled"));
    CHECK(contains(en, "status has invalid value \"late\"; allowed values: open, warning, overdue"));
  }
  SECTION("invalid due_before names the value and the accepted forms") {
    for (const char* value : {"tomorrow", "2026-02-30", "2026-03-16T09:00:00", "16/03/2026"}) {
      INFO(value);
      auto [zh_cn, en] = bad_request_details(api, std::string("/api/v1/deadlines?due_before=") + value);
      CHECK(contains(zh_cn, std::string("\"") + value + "\""));
      CHECK(contains(zh_cn, "YYYY-MM-DD"));
      CHECK(contains(en, std::string("due_before has invalid value \"") + value + "\""));
      CHECK(contains(en, "YYYY-MM-DD"));
      CHECK(contains(en, "UTC offset"));
    }
  }
  SECTION("unknown district lists the districts") {
    auto [zh_cn, en] = bad_request_details(api, "/api/v1/deadlines?district=mars");
    CHECK(contains(zh_cn, "\"mars\""));
    CHECK(contains(en, "not a Shanghai district"));
    CHECK(contains(en, "pudong"));
  }
  SECTION("unknown query parameter") {
    auto [zh_cn, en] = bad_request_details(api, "/api/v1/deadlines?state=open");
    CHECK(contains(zh_cn, "\"state\""));
    CHECK(contains(en, "Unknown query parameter \"state\""));
  }
  SECTION("bad paging") {
    auto [zh_cn, en] = bad_request_details(api, "/api/v1/deadlines?limit=501");
    CHECK(contains(en, "\"501\""));
  }
}

TEST_CASE("case detail light follows clock", "[api][deadline]") {
  DeadlineApiFixture api;
  api.set_clock(y2026 / 2 / 10);
  api.investigation_under_review("inv_a", "pudong");

  sitecycle::http::HttpResponse response = api.get("/api/v1/cases/inv_a");
  REQUIRE(response.status == 200);
  json detail = body_of(response);
  REQUIRE(detail.at("deadlines").size() == 2);
  json notice = deadline_of(detail, "correction_notice");
  CHECK(notice.at("status") == "met");
  CHECK(notice.at("light").is_null());
  CHECK(notice.at("ended_at") == "2026-02-10T04:00:00Z");
  CHECK(notice.at("title") == json{{"zh-CN", "补正告知"}, {"en", "Correction notice"}});

  json review = deadline_of(detail, "review");
  CHECK(review.at("light") == "green");
  CHECK(review.at("working_days_left") == 20);
  CHECK(review.at("summary") == json{{"zh-CN", "剩余 20 个工作日"}, {"en", "20 working days left"}});

  api.set_clock(y2026 / 3 / 11);
  review = review_in_detail(api, "inv_a");
  CHECK(review.at("light") == "yellow");
  CHECK(review.at("working_days_left") == 3);
  CHECK(review.at("summary").at("zh-CN") == "剩余 3 个工作日");

  api.set_clock(y2026 / 3 / 16);
  review = review_in_detail(api, "inv_a");
  CHECK(review.at("light") == "yellow");
  CHECK(review.at("working_days_left") == 0);
  CHECK(review.at("summary") == json{{"zh-CN", "今日到期"}, {"en", "due today"}});

  api.set_clock(y2026 / 3 / 17);
  review = review_in_detail(api, "inv_a");
  CHECK(review.at("light") == "red");
  CHECK(review.at("working_days_over") == 1);
  CHECK(review.at("status") == "armed");  // the scheduler has not run; the light follows the clock
}

TEST_CASE("paused review shows grey", "[api][deadline]") {
  DeadlineApiFixture api;
  api.set_clock(y2026 / 2 / 10);
  api.investigation_under_review("inv_a", "pudong");
  api.set_clock(y2026 / 3 / 2);
  json reply = api.fire("inv_a", "return_for_correction", "district_eeb", correction_input());

  json review = deadline_of(reply, "review");  // the command's reply carries the deadlines too
  CHECK(review.at("light") == "grey");
  CHECK(review.at("status") == "paused");
  CHECK(review.at("working_days_left") == 10);

  api.set_clock(y2026 / 4 / 1);
  CHECK(review_in_detail(api, "inv_a").at("light") == "grey");
}

TEST_CASE("case detail marks 2027 provisional", "[api][deadline]") {
  DeadlineApiFixture api;
  api.set_clock(y2026 / 12 / 10);
  api.investigation_under_review("inv_a", "pudong");

  json review = review_in_detail(api, "inv_a");
  CHECK(review.at("due_on") == "2027-01-07");
  CHECK(review.at("provisional") == true);
  CHECK(review.at("missing_years") == json{2027});
  CHECK(review.at("summary") == json{{"zh-CN", "剩余 20 个工作日（待确认：2027 年日历未发布）"},
                                     {"en", "20 working days left (provisional: no calendar for 2027)"}});
}

TEST_CASE("no tracker shows stored fields", "[api][deadline]") {
  DeadlineApiFixture api;
  api.set_clock(y2026 / 2 / 10);
  api.investigation_under_review("inv_a", "pudong");

  sitecycle::http::HttpResponse response = api.get_without_tracker("/api/v1/cases/inv_a");
  REQUIRE(response.status == 200);
  json detail = body_of(response);
  json review = deadline_of(detail, "review");
  CHECK(review.at("due_on") == "2026-03-16");
  CHECK(review.at("status") == "armed");
  CHECK(review.at("light").is_null());
  CHECK(review.at("working_days_left").is_null());
  CHECK(review.at("summary").is_null());
  CHECK(deadline_of(detail, "correction_notice").at("summary") == json{{"zh-CN", "已完成"}, {"en", "met"}});

  sitecycle::http::HttpResponse listed_response = api.get_without_tracker("/api/v1/deadlines?status=open");
  REQUIRE(listed_response.status == 200);
  CHECK(body_of(listed_response).at("items").at(0).at("light").is_null());
}

TEST_CASE("deadline feed rejects bad requests", "[api][deadline]") {
  DeadlineApiFixture api;

  SECTION("no token") {
    sitecycle::http::HttpResponse response = api.get("/api/v1/deadlines.ics", sitecycle::testing::anonymous_headers());
    CHECK(response.status == 401);
    CHECK(body_of(response).at("code") == "unauthenticated");
  }
  SECTION("query parameters") {
    auto [zh_cn, en] = bad_request_details(api, "/api/v1/deadlines.ics?role=district_eeb", actor_headers("district_eeb"));
    CHECK(contains(zh_cn, "\"role\""));
    CHECK(contains(en, "Unknown query parameter \"role\""));
  }
  SECTION("a role that no deadline names gets an empty calendar") {
    sitecycle::http::HttpResponse response = api.get("/api/v1/deadlines.ics", actor_headers("mayor"));
    CHECK(response.status == 200);
    CHECK(count_of(response.body, "BEGIN:VEVENT") == 0);
  }
}

TEST_CASE("deadline feed reads every page", "[api][deadline]") {
  DeadlineApiFixture api;
  api.set_clock(y2026 / 2 / 10);
  api.investigation_under_review("inv_a", "pudong");

  // More cycles than two full pages of the store's largest page, written straight to the store
  // for the city bureau, a role no shipped rule makes responsible.
  sitecycle::DeadlineRecord open_review = api.store().deadlines_of("inv_a").back();
  REQUIRE(open_review.rule_id == "review");
  {
    std::unique_ptr<sitecycle::CaseTransaction> transaction = api.store().begin();
    for (int cycle = 2; cycle <= 1002; ++cycle) {
      sitecycle::DeadlineRecord record = open_review;
      record.cycle = cycle;
      record.responsible = "city_eeb";
      transaction->insert_deadline(record);
    }
    transaction->commit();
  }

  sitecycle::http::HttpResponse response = api.get("/api/v1/deadlines.ics", actor_headers("city_eeb"));
  REQUIRE(response.status == 200);
  std::string feed = unfolded(response.body);
  CHECK(count_of(feed, "BEGIN:VEVENT") == 1001);
  CHECK(count_of(feed, "UID:deadline-") == 1001);
  CHECK(contains(feed, "-1002@sitecycle\r\n"));
  CHECK(contains(feed, "-2@sitecycle\r\n"));
}

TEST_CASE("deadline feed over a real socket", "[api][deadline]") {
  DeadlineApiFixture api;
  build_every_status(api);

  sitecycle::http::HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  sitecycle::http::HttpServer server(
      [&api](const sitecycle::http::HttpRequest& request) { return api.router().handle(request); }, options);
  std::uint16_t port = server.start();
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);

  auto result = client.Get("/api/v1/deadlines.ics", socket_headers("district_eeb"));
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->get_header_value("Content-Type") == "text/calendar; charset=utf-8");
  const std::string& feed = result->body;

  SECTION("every physical line ends with CRLF and has at most 75 octets") {
    REQUIRE(feed.size() >= 2);
    CHECK(feed.substr(feed.size() - 2) == "\r\n");
    std::size_t start = 0;
    while (start < feed.size()) {
      std::size_t end = feed.find("\r\n", start);
      REQUIRE(end != std::string::npos);
      std::string line = feed.substr(start, end - start);
      INFO(line);
      CHECK(line.size() <= 75);
      CHECK(line.find('\n') == std::string::npos);
      CHECK(line.find('\r') == std::string::npos);
      start = end + 2;
    }
  }
  SECTION("the open deadlines of district_eeb, in zh-CN") {
    std::string text = unfolded(feed);
    CHECK(contains(text, "X-WR-CALNAME:sitecycle 期限\r\n"));
    CHECK(count_of(text, "BEGIN:VEVENT") == 4);  // the reviews of inv_a, inv_b, inv_c and the notice of inv_f
    CHECK(contains(text, "SUMMARY:报告评审：inv_a\r\n"));
    CHECK(contains(text, "DTSTART;VALUE=DATE:20260316\r\n"));
    CHECK(contains(text, "DTEND;VALUE=DATE:20260317\r\n"));
    CHECK(contains(text, "X-SITECYCLE-DUE:20260316T160000Z\r\n"));
    CHECK(contains(text, "DESCRIPTION:已超期 8 个工作日\\n截止时间：2026-03-16 24:00（Asia/Shanghai）\r\n"));
    CHECK(contains(text, "DTSTART;VALUE=DATE:20260330\r\n"));  // inv_b
    CHECK(contains(text, "SUMMARY:补正告知：inv_f\r\n"));
    CHECK_FALSE(contains(text, "inv_d"));
    CHECK_FALSE(contains(text, "inv_e"));

    std::string review_id = std::to_string(review_in_detail(api, "inv_a").at("id").get<long long>());
    CHECK(contains(text, "UID:deadline-" + review_id + "-1@sitecycle\r\n"));
  }
  SECTION("in English") {
    auto english = client.Get("/api/v1/deadlines.ics",
                              socket_headers("district_eeb", "en"));
    REQUIRE(english);
    std::string text = unfolded(english->body);
    CHECK(contains(text, "X-WR-CALNAME:sitecycle deadlines\r\n"));
    CHECK(contains(text, "SUMMARY:Report review: inv_a\r\n"));
    CHECK(contains(text, "DESCRIPTION:8 working days overdue\\nDue: 2026-03-16 24:00 (Asia/Shanghai)\r\n"));
    CHECK(english->get_header_value("Content-Language") == "en");
  }
  SECTION("a role with no open deadlines gets an empty calendar") {
    auto empty = client.Get("/api/v1/deadlines.ics", socket_headers("consultant"));
    REQUIRE(empty);
    CHECK(empty->status == 200);
    CHECK(count_of(empty->body, "BEGIN:VEVENT") == 0);
    CHECK(contains(empty->body, "END:VCALENDAR\r\n"));
  }
  server.stop();
}
