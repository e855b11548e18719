// GET /metrics: request counters and store counts in the Prometheus text format.
#include "api_fixture.h"

#include <catch2/catch.hpp>

using sitecycle::testing::actor_headers;
using sitecycle::testing::ApiFixture;
using sitecycle::testing::header_of;

TEST_CASE("metrics count requests, transitions and backlogs", "[api][metrics]") {
  ApiFixture api;
  std::string site = api.create_site("指标地块", 1);
  api.fire(site, "propose_supply", "land_bureau");
  api.get("/api/v1/cases/" + site);

  sitecycle::http::HttpResponse metrics = api.get("/metrics", sitecycle::testing::anonymous_headers());
  REQUIRE(metrics.status == 200);
  CHECK(header_of(metrics, "Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.body;
  CHECK(text.find("sitecycle_http_requests_total{route=\"/api/v1/cases\",method=\"POST\",status=\"201\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("sitecycle_http_requests_total{route=\"/api/v1/cases/{}\",method=\"GET\",status=\"200\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("sitecycle_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"+Inf\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("sitecycle_transitions_total 1\n") != std::string::npos);
  CHECK(text.find("sitecycle_deadline_events_total{kind=\"deadline_breached\"} 0\n") != std::string::npos);
  CHECK(text.find("sitecycle_outbox_backlog 0\n") != std::string::npos);
  CHECK(text.find("# TYPE sitecycle_http_request_duration_seconds histogram\n") != std::string::npos);
}

TEST_CASE("metrics can require a token", "[api][metrics]") {
  sitecycle::http::ApiSettings settings;
  settings.metrics_open = false;
  ApiFixture api(settings);
  CHECK(api.get("/metrics", sitecycle::testing::anonymous_headers()).status == 401);
  CHECK(api.get("/metrics", actor_headers("district_eeb")).status == 200);
}
