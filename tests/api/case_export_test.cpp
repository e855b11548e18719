// GET /api/v1/cases.csv: the case list as a CSV file for Excel.
#include "api_fixture.h"

#include <catch2/catch.hpp>

using sitecycle::testing::actor_headers;
using sitecycle::testing::ApiFixture;
using sitecycle::testing::header_of;

namespace {

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

}  // namespace

TEST_CASE("the case list exports as CSV that Excel reads", "[api][export]") {
  ApiFixture api;
  std::string plain = api.create_site("一号地块");
  std::string formula = api.create_site("=HYPERLINK(\"http://x\")");

  sitecycle::http::HttpResponse csv = api.get("/api/v1/cases.csv?workflow=site");
  REQUIRE(csv.status == 200);
  CHECK(header_of(csv, "Content-Type") == "text/csv; charset=utf-8");
  CHECK(header_of(csv, "Content-Disposition").find("filename*=UTF-8''%E6%A1%88%E4%BB%B6%E5%88%97%E8%A1%A8-") !=
        std::string::npos);
  CHECK(csv.body.rfind("\xEF\xBB\xBF\"案件编号\",\"名称\",\"流程\",\"状态\"", 0) == 0);
  CHECK(count_of(csv.body, "\r\n") == 3);  // the header and two cases
  CHECK(csv.body.find("\"" + plain + "\",\"一号地块\",\"地块\",\"已登记\"") != std::string::npos);
  // A cell a spreadsheet would run as a formula starts with an apostrophe; quotes are doubled.
  CHECK(csv.body.find("\"'=HYPERLINK(\"\"http://x\"\")\"") != std::string::npos);

  sitecycle::http::HttpResponse english = api.get("/api/v1/cases.csv?q=%E4%B8%80%E5%8F%B7",
                                                  {{"accept-language", "en"}, {"authorization", actor_headers("land_bureau").at("authorization")}});
  REQUIRE(english.status == 200);
  CHECK(english.body.find("\"Case id\",\"Name\"") != std::string::npos);
  CHECK(count_of(english.body, "\r\n") == 2);

  CHECK(api.get("/api/v1/cases.csv?district=mars").status == 400);
  CHECK(api.get("/api/v1/cases.csv?limit=10").status == 400);
  CHECK(api.get("/api/v1/cases.csv", sitecycle::testing::anonymous_headers()).status == 401);
}

TEST_CASE("the case list exports as an xlsx workbook", "[api][export]") {
  ApiFixture api;
  api.create_site("一号地块");
  sitecycle::http::HttpResponse workbook = api.get("/api/v1/cases.xlsx?workflow=site");
  REQUIRE(workbook.status == 200);
  CHECK(header_of(workbook, "Content-Type") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  CHECK(header_of(workbook, "Content-Disposition").find("filename=\"cases-") != std::string::npos);
  CHECK(header_of(workbook, "Content-Disposition").find(".xlsx") != std::string::npos);
  CHECK(workbook.body.rfind("PK\x03\x04", 0) == 0);
  CHECK(api.get("/api/v1/cases.xlsx?district=mars").status == 400);
}
