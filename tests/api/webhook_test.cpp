// Webhooks: subscriptions through the API, signed CloudEvents delivered to a real receiver on
// 127.0.0.1, retries with back-off, dead letters and row-level access.
#include "adapters/webhook_dispatcher.h"
#include "adapters/webhook_message.h"
#include "adapters/webhook_sender.h"
#include "api_fixture.h"

#include <catch2/catch.hpp>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <thread>

using namespace sitecycle;
using sitecycle::testing::actor_headers;
using sitecycle::testing::ApiFixture;
using sitecycle::testing::body_of;
using nlohmann::json;

namespace {

struct Received {
  std::string id;
  std::string timestamp;
  std::string signature;
  std::string content_type;
  std::string body;
};

// An HTTP receiver on 127.0.0.1 that returns 500 to its first `failures` requests, then 204.
class Receiver {
 public:
  explicit Receiver(int failures) : failures_(failures) {
    server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex_);
      received_.push_back({request.get_header_value("webhook-id"), request.get_header_value("webhook-timestamp"),
                           request.get_header_value("webhook-signature"), request.get_header_value("Content-Type"),
                           request.body});
      response.status = static_cast<int>(received_.size()) <= failures_ ? 500 : 204;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  int failures_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Received> received_;
};

// Subscribes the organisation of `role`'s test user to `url` and returns {id, secret}.
std::pair<std::string, std::string> subscribe(const ApiFixture& api, const std::string& role, const std::string& url) {
  sitecycle::http::HttpResponse created = api.post("/api/v1/webhooks", json{{"url", url}}, actor_headers(role));
  if (created.status != 201) throw std::runtime_error("subscribing failed: " + created.body);
  json body = body_of(created);
  return {body.at("id").get<std::string>(), body.at("secret").get<std::string>()};
}

WebhookPolicy test_policy(int max_attempts) {
  WebhookPolicy policy;
  policy.max_attempts = max_attempts;
  policy.first_retry = std::chrono::seconds(5);
  return policy;
}

}  // namespace

TEST_CASE("webhook delivered once after two failures", "[api][webhooks]") {
  ApiFixture api;
  Receiver receiver(2);
  auto [subscription, secret] = subscribe(api, "district_eeb", receiver.url());
  std::string site = api.create_site("钩子地块", 1);

  CurlWebhookSender sender;
  WebhookDispatcher dispatcher(api.webhooks(), api.store(), api.identities(), sender, api.clock(), test_policy(8));
  CHECK(dispatcher.run_once() == 1);  // 500
  CHECK(dispatcher.run_once() == 0);  // waiting 5 s
  api.clock().advance(std::chrono::seconds(5));
  CHECK(dispatcher.run_once() == 1);  // 500 again, then 10 s
  api.clock().advance(std::chrono::seconds(9));
  CHECK(dispatcher.run_once() == 0);
  api.clock().advance(std::chrono::seconds(1));
  CHECK(dispatcher.run_once() == 1);  // acknowledged
  api.clock().advance(std::chrono::hours(1));
  CHECK(dispatcher.run_once() == 0);  // nothing is sent twice

  std::vector<Received> received = receiver.received();
  REQUIRE(received.size() == 3);
  for (const Received& attempt : received) {
    INFO(attempt.body);
    CHECK(attempt.id == received.front().id);  // one stable id, so the receiver can drop repeats
    CHECK(attempt.content_type == "application/cloudevents+json; charset=utf-8");
    CHECK(webhook_signature(secret, attempt.id, std::stoll(attempt.timestamp), attempt.body) == attempt.signature);
  }
  json event = json::parse(received.back().body);
  CHECK(event.at("specversion") == "1.0");
  CHECK(event.at("type") == "cn.sitecycle.case.created");
  CHECK(event.at("subject") == site);
  CHECK(event.at("data").at("workflow") == "site");
  std::string tampered = received.back().body + " ";
  CHECK(webhook_signature(secret, received.back().id, std::stoll(received.back().timestamp), tampered) !=
        received.back().signature);

  json deliveries = body_of(api.get("/api/v1/webhooks/" + subscription + "/deliveries", actor_headers("district_eeb")));
  REQUIRE(deliveries.at("total") == 3);
  CHECK(deliveries.at("items").at(0).at("outcome") == "delivered");
  CHECK(deliveries.at("items").at(1).at("outcome") == "failed");
  CHECK(deliveries.at("items").at(2).at("status") == 500);
}

TEST_CASE("last failed attempt dead-letters event", "[api][webhooks]") {
  ApiFixture api;
  Receiver receiver(2);
  auto [subscription, secret] = subscribe(api, "district_eeb", receiver.url());
  api.create_site("第一块", 1);
  api.create_site("第二块", 1);

  CurlWebhookSender sender;
  WebhookDispatcher dispatcher(api.webhooks(), api.store(), api.identities(), sender, api.clock(), test_policy(2));
  CHECK(dispatcher.run_once() == 1);
  api.clock().advance(std::chrono::seconds(5));
  CHECK(dispatcher.run_once() == 2);  // the first event dead-lettered, the second delivered
  CHECK(dispatcher.run_once() == 0);

  std::vector<Received> received = receiver.received();
  REQUIRE(received.size() == 3);
  CHECK(received.at(0).id == received.at(1).id);
  CHECK(received.at(2).id != received.at(1).id);
  json deliveries = body_of(api.get("/api/v1/webhooks/" + subscription + "/deliveries", actor_headers("district_eeb")));
  CHECK(deliveries.at("items").at(1).at("outcome") == "dead_lettered");
  CHECK(deliveries.at("items").at(0).at("outcome") == "delivered");
}

TEST_CASE("webhooks carry visible cases only", "[api][webhooks]") {
  ApiFixture api;
  testing::add_test_users(api.identities(),
                          {"other_firm", OrganisationType::firm, "", {"另一企业", "Another firm"}, "", api.clock().now().instant},
                          {"firm_user"});
  Receiver receiver(0);
  subscribe(api, "firm_user", receiver.url());
  api.create_site("别家的地块", 1);

  CurlWebhookSender sender;
  WebhookDispatcher dispatcher(api.webhooks(), api.store(), api.identities(), sender, api.clock(), test_policy(8));
  CHECK(dispatcher.run_once() == 0);
  CHECK(receiver.received().empty());

  SECTION("and another organisation's subscription is not found") {
    auto [subscription, secret] = subscribe(api, "district_eeb", receiver.url());
    CHECK(api.get("/api/v1/webhooks/" + subscription + "/deliveries", actor_headers("firm_user")).status == 404);
    sitecycle::http::HttpResponse deleted = api.router().handle(testing::make_request(
        "DELETE", "/api/v1/webhooks/" + subscription, "", actor_headers("firm_user")));
    CHECK(deleted.status == 404);
    CHECK(body_of(api.get("/api/v1/webhooks", actor_headers("district_eeb"))).at("total") == 1);
  }
}

TEST_CASE("subscriptions are checked and deleted", "[api][webhooks]") {
  ApiFixture api;
  for (const char* url : {"ftp://127.0.0.1/hook", "http://example.com/hook", "https://user:pw@example.com/",
                          "https:///nohost", "https://example.com/a b", "http://127.0.0.1.example.com/hook",
                          "http://127.0.0/hook", "http://1270.0.0.1/hook", "https://10.0.0.1/hook",
                          "https://169.254.169.254/latest", "https://192.168.1.1/", "https://[fe80::1]/",
                          "http://127.0.0.1:0/hook", "http://127.0.0.1:99999/hook", "http://[::1]x.example.org/hook",
                          "https://167772161/", "https://2130706433:8080/hook", "https://0x7f000001/", "https://0177.0.0.1/",
                          "https://127.1/", "https://224.0.0.1/", "https://metadata.google.internal/",
                          "https://例子.测试/"}) {
    INFO(url);
    sitecycle::http::HttpResponse response = api.post("/api/v1/webhooks", json{{"url", url}}, actor_headers("district_eeb"));
    CHECK(response.status == 422);
  }
  std::string with_nul("https://receiver.example.org/\0x", 31);
  CHECK(api.post("/api/v1/webhooks", json{{"url", with_nul}}, actor_headers("district_eeb")).status == 422);

  auto [subscription, secret] = subscribe(api, "district_eeb", "https://receiver.example.org/sitecycle");
  CHECK(secret.rfind("whsec_", 0) == 0);
  json listed = body_of(api.get("/api/v1/webhooks", actor_headers("district_eeb")));
  REQUIRE(listed.at("total") == 1);
  CHECK_FALSE(listed.at("items").at(0).contains("secret"));  // shown once, at creation

  sitecycle::http::HttpResponse deleted =
      api.router().handle(testing::make_request("DELETE", "/api/v1/webhooks/" + subscription, "", actor_headers("district_eeb")));
  CHECK(deleted.status == 200);
  CHECK(body_of(api.get("/api/v1/webhooks", actor_headers("district_eeb"))).at("total") == 0);
}
