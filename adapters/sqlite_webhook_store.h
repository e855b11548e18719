// The webhook store on SQLite, in the same file as the case store. Opening it applies the same
// schema migrations as SqliteCaseStore.
//
// Thread-safety: every member may be called from any thread; calls are serialised on one
// connection.
#pragma once

#include "engine/webhook_store.h"

#include <memory>
#include <string>

namespace sitecycle {

namespace sqlite {
class Connection;
}

class SqliteWebhookStore final : public WebhookStore {
 public:
  // Opens or creates the database at `path`. Throws StoreError as SqliteCaseStore does.
  explicit SqliteWebhookStore(const std::string& path);
  ~SqliteWebhookStore() override;

  SqliteWebhookStore(const SqliteWebhookStore&) = delete;
  SqliteWebhookStore& operator=(const SqliteWebhookStore&) = delete;

  void add_subscription(const WebhookSubscription& subscription) override;
  std::optional<WebhookSubscription> find_subscription(std::string_view id) override;
  std::vector<WebhookSubscription> subscriptions_of(std::string_view org_id) override;
  bool deactivate_subscription(std::string_view id) override;
  std::vector<WebhookSubscription> active_subscriptions() override;
  std::vector<WebhookSubscription> due_subscriptions(Instant now) override;
  bool record_delivery(const WebhookDelivery& delivery, std::optional<Instant> retry_at) override;
  std::vector<WebhookDelivery> deliveries_of(std::string_view subscription_id, std::int64_t limit) override;

 private:
  template <class Body>
  decltype(auto) run(std::string_view operation, Body&& body);

  const std::string path_;
  std::unique_ptr<sqlite::Connection> connection_;
};

}  // namespace sitecycle
