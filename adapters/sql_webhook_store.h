// The webhook store on SQLite or PostgreSQL, in the same database as the case store. Opening it
// applies the same schema migrations as SqlCaseStore, so either may open a new database first.
//
// Thread-safety: every member may be called from any thread. On SQLite calls are serialised on
// one connection; on PostgreSQL each takes a pooled one.
#pragma once

#include "adapters/sql_database.h"
#include "engine/webhook_store.h"

#include <memory>
#include <string>

namespace sitecycle {

class SqlWebhookStore final : public WebhookStore {
 public:
  // Opens or creates the SQLite database at `sqlite_path` (a file path or ":memory:", which gives
  // a private database). Throws StoreError as SqlCaseStore does.
  explicit SqlWebhookStore(const std::string& sqlite_path);
  // Uses `database`, shared with the other stores. Throws StoreError as SqlCaseStore does.
  explicit SqlWebhookStore(std::shared_ptr<sql::Database> database);
  ~SqlWebhookStore() override;

  SqlWebhookStore(const SqlWebhookStore&) = delete;
  SqlWebhookStore& operator=(const SqlWebhookStore&) = delete;

  void add_subscription(const WebhookSubscription& subscription) override;
  std::optional<WebhookSubscription> find_subscription(std::string_view id) override;
  std::vector<WebhookSubscription> subscriptions_of(std::string_view org_id) override;
  bool deactivate_subscription(std::string_view id) override;
  std::vector<WebhookSubscription> active_subscriptions() override;
  std::vector<WebhookSubscription> due_subscriptions(Instant now) override;
  bool take_lease(std::string_view subscription_id, std::string_view holder, Instant now, Instant until) override;
  void release_lease(std::string_view subscription_id, std::string_view holder) override;
  bool record_delivery(const WebhookDelivery& delivery, std::optional<Instant> retry_at) override;
  std::vector<WebhookDelivery> deliveries_of(std::string_view subscription_id, std::int64_t limit) override;

 private:
  template <class Body>
  decltype(auto) run(std::string_view operation, Body&& body);

  const std::shared_ptr<sql::Database> database_;
};

}  // namespace sitecycle
