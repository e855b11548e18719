#include "api/http/http_message.h"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace sitecycle::http;
using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("target splits into path and decoded query", "[api]") {
  HttpRequest request;
  split_target("/api/v1/cases?workflow=site&state=supply%5Fproposed&name=%E5%9C%B0+%E5%9D%97&flag", request);
  CHECK(request.path == "/api/v1/cases");
  CHECK(request.query == Pairs{{"workflow", "site"},
                               {"state", "supply_proposed"},
                               {"name", "地 块"},
                               {"flag", ""}});
}

TEST_CASE("target without query has no parameters", "[api]") {
  HttpRequest request;
  split_target("/api/v1/health", request);
  CHECK(request.path == "/api/v1/health");
  CHECK(request.query.empty());

  split_target("/api/v1/cases?", request);
  CHECK(request.path == "/api/v1/cases");
  CHECK(request.query.empty());
}

TEST_CASE("path keeps its escapes", "[api]") {
  HttpRequest request;
  split_target("/api/v1/cases/a%2Fb?x=1#fragment", request);
  CHECK(request.path == "/api/v1/cases/a%2Fb");
  CHECK(request.query == Pairs{{"x", "1"}});
}

TEST_CASE("malformed escapes stay as written", "[api]") {
  CHECK(percent_decode("100%", false) == "100%");
  CHECK(percent_decode("%zz%4", false) == "%zz%4");
  CHECK(percent_decode("%41%4a%4A", false) == "AJJ");
  CHECK(percent_decode("a+b", false) == "a+b");
  CHECK(percent_decode("a+b", true) == "a b");
}

TEST_CASE("response headers compare without case", "[api]") {
  HttpResponse response;
  response.set_header("Content-Type", "text/plain");
  response.set_header("content-type", "application/json");
  REQUIRE(response.headers.size() == 1);
  CHECK(*response.header("CONTENT-TYPE") == "application/json");
  CHECK(response.header("Location") == nullptr);
}
