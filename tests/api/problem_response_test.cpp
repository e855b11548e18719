#include "api/http/problem_response.h"

#include "api/http/json_response.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>

using namespace sitecycle;
using namespace sitecycle::http;

namespace {

// Every ErrorCode with its expected status. A code added to the enum without a row here makes
// the count check below fail.
const std::map<ErrorCode, int> kExpectedStatus{
    {ErrorCode::not_found, 404},          {ErrorCode::no_such_transition, 409},
    {ErrorCode::role_not_allowed, 403},   {ErrorCode::guard_failed, 409},
    {ErrorCode::invalid_input, 422},      {ErrorCode::case_closed, 409},
    {ErrorCode::conflict, 409},           {ErrorCode::bad_request, 400},
    {ErrorCode::method_not_allowed, 405}, {ErrorCode::payload_too_large, 413},
    {ErrorCode::unavailable, 503},        {ErrorCode::invalid_definition, 500},
    {ErrorCode::internal, 500},           {ErrorCode::unauthenticated, 401},
    {ErrorCode::locked_out, 429},         {ErrorCode::forbidden, 403},
    {ErrorCode::precondition_failed, 412}, {ErrorCode::documents_missing, 409},
    {ErrorCode::idempotency_key_reused, 422},
};

}  // namespace

TEST_CASE("problem table has one row per code", "[api]") {
  CHECK(problem_classes().size() == kExpectedStatus.size());
  std::set<ErrorCode> seen;
  for (const ProblemClass& row : problem_classes()) {
    INFO(to_string(row.code));
    CHECK(seen.insert(row.code).second);
    CHECK(parse_error_code(to_string(row.code)) == row.code);
  }
}

TEST_CASE("problem table maps each code to its status", "[api]") {
  for (const auto& [code, status] : kExpectedStatus) {
    INFO(to_string(code));
    const ProblemClass& row = problem_class(code);
    CHECK(row.code == code);
    CHECK(row.status == status);
    CHECK_FALSE(row.title.zh_cn.empty());
    CHECK_FALSE(row.title.en.empty());
    CHECK(row.title.zh_cn != row.title.en);
    CHECK(problem_type(code) == "urn:sitecycle:problem:" + std::string(to_string(code)));

    HttpResponse response = problem_response(make_problem(code, {"中文说明", "English detail"}), Language::en);
    CHECK(response.status == status);
    CHECK(nlohmann::json::parse(response.body).at("status") == status);
  }
}

TEST_CASE("problem body carries every member", "[api]") {
  Problem problem = make_problem(ErrorCode::guard_failed, {"不能供应", "cannot supply"});
  problem.errors.push_back({"/input/remark", {"缺少备注", "remark is missing"}});
  problem.extra["blocking_case"] = "investigation_000001";
  problem.extra["status"] = 200;  // must not override the standard member

  HttpResponse english = problem_response(problem, Language::en, "/api/v1/cases/site_1");
  nlohmann::json body = nlohmann::json::parse(english.body);
  CHECK(body.at("type") == "urn:sitecycle:problem:guard_failed");
  CHECK(body.at("title") == "Guard condition not met");
  CHECK(body.at("status") == 409);
  CHECK(body.at("detail") == "cannot supply");
  CHECK(body.at("code") == "guard_failed");
  CHECK(body.at("errors") == nlohmann::json::array({{{"pointer", "/input/remark"}, {"message", "remark is missing"}}}));
  CHECK(body.at("instance") == "/api/v1/cases/site_1");
  CHECK(body.at("blocking_case") == "investigation_000001");
  CHECK(*english.header("content-type") == "application/problem+json");
  CHECK(*english.header("Content-Language") == "en");
  CHECK(*english.header("Vary") == "Accept-Language");

  nlohmann::json chinese = nlohmann::json::parse(problem_response(problem, Language::zh_cn).body);
  CHECK(chinese.at("detail") == "不能供应");
  CHECK(chinese.at("title") == "前置条件不满足");
  CHECK(chinese.at("errors").at(0).at("message") == "缺少备注");
  CHECK(chinese.at("code") == "guard_failed");
  CHECK_FALSE(chinese.contains("instance"));
}

TEST_CASE("internal error response is generic", "[api]") {
  HttpResponse response = internal_error_response(Language::en, "/api/v1/cases");
  nlohmann::json body = nlohmann::json::parse(response.body);
  CHECK(response.status == 500);
  CHECK(body.at("code") == "internal");
  CHECK(body.at("type") == "urn:sitecycle:problem:internal");
  CHECK(body.at("status") == 500);
}

TEST_CASE("JSON bodies survive invalid UTF-8", "[api]") {
  nlohmann::json value{{"detail", std::string("bad \xff byte")}};
  CHECK(dump_json(value) == "{\"detail\":\"bad \xEF\xBF\xBD byte\"}");
}
