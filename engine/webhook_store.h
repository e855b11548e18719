// The webhook store port: subscriptions of organisations to the events of the cases they may
// see, each with its place in the event log and the state of its next delivery. adapters/
// implements it on SQLite and PostgreSQL, in the case store's database.
//
// Delivery reads the events table, which commands append to in the transaction of their change,
// so the event log is the outbox of webhooks: a change is delivered exactly when it committed.
#pragma once

#include "case_store.h"
#include "instant.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

struct WebhookSubscription {
  std::string id;
  std::string org_id;
  std::string url;
  std::string secret;  // "whsec_" and base64: the HMAC-SHA256 key of the signatures
  std::string created_by;
  Instant created_at{};
  bool active = true;
  // Events up to this id were delivered or dead-lettered.
  std::int64_t delivered_through = 0;
  // Failed attempts at the next event, and when to try again.
  int attempts = 0;
  std::optional<Instant> next_attempt_at;
};

// One attempt to deliver one event to one subscription.
struct WebhookDelivery {
  std::int64_t id = 0;  // assigned by the store
  std::string subscription_id;
  std::int64_t event_id = 0;
  int attempt = 0;  // 1 for the first
  Instant at{};
  int status = 0;  // the receiver's HTTP status, 0 when none came
  std::string outcome;  // "delivered", "failed" or "dead_lettered"
  std::string error;
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  // Throws StoreError when the id is taken.
  virtual void add_subscription(const WebhookSubscription& subscription) = 0;
  virtual std::optional<WebhookSubscription> find_subscription(std::string_view id) = 0;
  // The active subscriptions of an organisation, ordered by creation time.
  virtual std::vector<WebhookSubscription> subscriptions_of(std::string_view org_id) = 0;
  // Returns false when no active subscription has the id.
  virtual bool deactivate_subscription(std::string_view id) = 0;
  // Every active subscription, ordered by creation time.
  virtual std::vector<WebhookSubscription> active_subscriptions() = 0;
  // Active subscriptions whose next attempt is due at `now` (or not scheduled).
  virtual std::vector<WebhookSubscription> due_subscriptions(Instant now) = 0;

  // Takes the delivery lease of a subscription for `holder` until `until`, unless another holder's
  // lease runs past `now`; the holder may renew its own. Returns false when another holder has
  // it, and the caller then skips the subscription, so that two nodes never deliver to one
  // subscription at once. A lease that ran out (its node stopped) may be taken over.
  virtual bool take_lease(std::string_view subscription_id, std::string_view holder, Instant now, Instant until) = 0;
  // Ends `holder`'s lease. Does nothing when another holder has it.
  virtual void release_lease(std::string_view subscription_id, std::string_view holder) = 0;

  // Records an attempt. For "delivered" and "dead_lettered" the subscription moves past the
  // event and its attempts restart; for "failed" it counts the attempt and waits until
  // `retry_at`. Returns false when the subscription already moved past the event (another
  // worker delivered it), so the caller skips it.
  virtual bool record_delivery(const WebhookDelivery& delivery, std::optional<Instant> retry_at) = 0;
  // Newest first.
  virtual std::vector<WebhookDelivery> deliveries_of(std::string_view subscription_id, std::int64_t limit) = 0;
};

}  // namespace sitecycle
