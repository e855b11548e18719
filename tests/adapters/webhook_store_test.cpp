#include "adapters/sql_webhook_store.h"
#include "test_database.h"

#include <catch2/catch.hpp>

#include <chrono>

using namespace sitecycle;
using sitecycle::testing::TestDatabase;
using std::chrono::seconds;

namespace {

const Instant kStart = *parse_utc_instant("2026-03-16T01:30:00Z");

WebhookSubscription subscription(const std::string& id) {
  WebhookSubscription subscription;
  subscription.id = id;
  subscription.org_id = "pudong_eeb";
  subscription.url = "https://hooks.example.org/sitecycle";
  subscription.secret = "whsec_dGVzdA==";
  subscription.created_by = "wang_li";
  subscription.created_at = kStart;
  return subscription;
}

}  // namespace

TEST_CASE("a delivery lease keeps other holders out until it runs out", "[adapters][webhook][store]") {
  TestDatabase database;
  SqlWebhookStore webhooks(database.open());
  webhooks.add_subscription(subscription("hook_1"));

  CHECK(webhooks.take_lease("hook_1", "node_a", kStart, kStart + seconds(60)));
  CHECK_FALSE(webhooks.take_lease("hook_1", "node_b", kStart + seconds(10), kStart + seconds(70)));
  // The holder renews its own lease.
  CHECK(webhooks.take_lease("hook_1", "node_a", kStart + seconds(50), kStart + seconds(110)));
  CHECK_FALSE(webhooks.take_lease("hook_1", "node_b", kStart + seconds(100), kStart + seconds(160)));
  // A lease that ran out (its node stopped) may be taken over.
  CHECK(webhooks.take_lease("hook_1", "node_b", kStart + seconds(110), kStart + seconds(170)));

  // Only the holder releases.
  webhooks.release_lease("hook_1", "node_a");
  CHECK_FALSE(webhooks.take_lease("hook_1", "node_a", kStart + seconds(120), kStart + seconds(180)));
  webhooks.release_lease("hook_1", "node_b");
  CHECK(webhooks.take_lease("hook_1", "node_a", kStart + seconds(120), kStart + seconds(180)));

  CHECK_FALSE(webhooks.take_lease("no_such_hook", "node_a", kStart, kStart + seconds(60)));
}

TEST_CASE("an event is recorded as delivered once per subscription", "[adapters][webhook][store]") {
  TestDatabase database;
  SqlWebhookStore webhooks(database.open());
  webhooks.add_subscription(subscription("hook_1"));
  WebhookDelivery delivery{0, "hook_1", 7, 1, kStart, 200, "delivered", ""};

  CHECK(webhooks.record_delivery(delivery, std::nullopt));
  // A second worker that sent the same event learns that the subscription moved past it.
  CHECK_FALSE(webhooks.record_delivery(delivery, std::nullopt));
  CHECK(webhooks.find_subscription("hook_1")->delivered_through == 7);
  CHECK(webhooks.deliveries_of("hook_1", 10).size() == 1);
}
