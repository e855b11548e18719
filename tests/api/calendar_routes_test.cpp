// GET /api/v1/calendars/{calendar}/working-days on the shipped CN calendar.
#include "api/http/api_router.h"

#include "deadline_fixture.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using sitecycle::testing::body_of;
using sitecycle::testing::DeadlineApiFixture;
using sitecycle::testing::header_of;
using sitecycle::testing::with_language;
using nlohmann::json;

namespace {

json working_days(const DeadlineApiFixture& api, const std::string& query) {
  sitecycle::http::HttpResponse response = api.get("/api/v1/calendars/CN/working-days?" + query);
  INFO(response.body);
  REQUIRE(response.status == 200);
  return body_of(response);
}

// The detail of a rejected request in zh-CN (the default) and in en.
struct Details {
  std::string zh_cn;
  std::string en;
};

Details rejection(const DeadlineApiFixture& api, const std::string& target, int status, const std::string& code) {
  sitecycle::http::HttpResponse zh_cn = api.get(target);
  sitecycle::http::HttpResponse en = api.get(target, with_language({}, "en"));
  INFO(zh_cn.body);
  INFO(en.body);
  CHECK(zh_cn.status == status);
  CHECK(en.status == status);
  CHECK(header_of(en, "Content-Type") == "application/problem+json");
  CHECK(body_of(zh_cn).at("code") == code);
  CHECK(body_of(en).at("code") == code);
  return {body_of(zh_cn).at("detail").get<std::string>(), body_of(en).at("detail").get<std::string>()};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("working days across Spring Festival", "[api][calendar]") {
  DeadlineApiFixture api;
  json body = working_days(api, "from=2026-02-10&count=20");
  CHECK(body.at("calendar") == "CN");
  CHECK(body.at("from") == "2026-02-10");
  CHECK(body.at("count") == 20);
  CHECK(body.at("due") == "2026-03-16");
  CHECK(body.at("dates").size() == 20);
  CHECK(body.at("dates").back() == "2026-03-16");
  CHECK(body.at("provisional") == false);
  CHECK(body.at("missing_years") == json::array());
}

TEST_CASE("working days count a make-up Saturday", "[api][calendar]") {
  DeadlineApiFixture api;
  json body = working_days(api, "from=2026-02-13&count=2");
  CHECK(body.at("due") == "2026-02-24");
  CHECK(body.at("dates") == json{"2026-02-14", "2026-02-24"});
}

TEST_CASE("working days across National Day", "[api][calendar]") {
  DeadlineApiFixture api;
  json body = working_days(api, "from=2026-09-30&count=5");
  CHECK(body.at("due") == "2026-10-13");
  CHECK(body.at("dates") == json{"2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"});
}

TEST_CASE("working days into 2027 are provisional", "[api][calendar]") {
  DeadlineApiFixture api;
  json body = working_days(api, "from=2026-12-25&count=5");
  CHECK(body.at("due") == "2027-01-01");
  CHECK(body.at("provisional") == true);
  CHECK(body.at("missing_years") == json{2027});
}

TEST_CASE("working days accept the largest count", "[api][calendar]") {
  DeadlineApiFixture api;
  json body = working_days(api, "from=2026-01-01&count=3660");
  CHECK(body.at("dates").size() == 3660);
  CHECK(body.at("provisional") == true);
}

TEST_CASE("working days reject bad parameters", "[api][calendar]") {
  DeadlineApiFixture api;
  const std::string route = "/api/v1/calendars/CN/working-days";

  SECTION("invalid from") {
    for (const char* value : {"2026-02-30", "20260210", "tomorrow", "2026-2-10"}) {
      INFO(value);
      Details details = rejection(api, route + "?from=" + value + "&count=5", 400, "bad_request");
      CHECK(contains(details.zh_cn, std::string("\"") + value + "\""));
      CHECK(contains(details.zh_cn, "YYYY-MM-DD"));
      CHECK(contains(details.en, std::string("\"") + value + "\""));
      CHECK(contains(details.en, "YYYY-MM-DD"));
    }
  }
  SECTION("count out of range or not an integer") {
    struct CountText {
      std::string value;
      std::string encoded;  // as written in the query string
    };
    const std::vector<CountText> counts{{"0", "0"},     {"-1", "-1"}, {"3661", "3661"},
                                        {"1.5", "1.5"}, {"abc", "abc"}, {"99999999999999999999", "99999999999999999999"},
                                        {"+5", "%2B5"}, {" 5", "%205"}};
    for (const CountText& count : counts) {
      const std::string& value = count.value;
      INFO(value);
      Details details = rejection(api, route + "?from=2026-02-10&count=" + count.encoded, 400, "bad_request");
      CHECK(contains(details.zh_cn, "\"" + value + "\""));
      CHECK(contains(details.zh_cn, "1 到 3660"));
      CHECK(contains(details.en, "\"" + value + "\""));
      CHECK(contains(details.en, "from 1 to 3660"));
    }
  }
  SECTION("missing from") {
    Details details = rejection(api, route + "?count=5", 400, "bad_request");
    CHECK(contains(details.zh_cn, "from"));
    CHECK(contains(details.en, "Missing query parameter from"));
  }
  SECTION("missing count") {
    Details details = rejection(api, route + "?from=2026-02-10", 400, "bad_request");
    CHECK(contains(details.zh_cn, "count"));
    CHECK(contains(details.en, "Missing query parameter count"));
  }
  SECTION("unknown parameter") {
    Details details = rejection(api, route + "?from=2026-02-10&count=5&days=5", 400, "bad_request");
    CHECK(contains(details.en, "\"days\""));
  }
  SECTION("repeated parameter") {
    Details details = rejection(api, route + "?from=2026-02-10&count=5&count=6", 400, "bad_request");
    CHECK(contains(details.en, "count"));
  }
}

TEST_CASE("unknown calendar lists loaded ones", "[api][calendar]") {
  DeadlineApiFixture api;
  Details details = rejection(api, "/api/v1/calendars/XX/working-days?from=2026-02-10&count=5", 404, "not_found");
  CHECK(contains(details.zh_cn, "\"XX\""));
  CHECK(contains(details.zh_cn, "CN"));
  CHECK(contains(details.en, "Calendar \"XX\" not found; loaded calendars: CN"));
}

TEST_CASE("no tracker makes calendars 404", "[api][calendar]") {
  DeadlineApiFixture api;
  sitecycle::http::HttpResponse response =
      api.get_without_tracker("/api/v1/calendars/CN/working-days?from=2026-02-10&count=5", with_language({}, "en"));
  CHECK(response.status == 404);
  json body = body_of(response);
  CHECK(body.at("code") == "not_found");
  CHECK(contains(body.at("detail").get<std::string>(), "no working-day calendars loaded"));
}
