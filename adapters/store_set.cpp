#include "adapters/store_set.h"

namespace sitecycle {

StoreSet open_store_set(const sql::DatabaseTarget& target) {
  auto database_for_store = [&, shared = std::shared_ptr<sql::Database>()]() mutable {
    if (target.backend == sql::Backend::sqlite) return std::make_shared<sql::Database>(target);
    if (!shared) shared = std::make_shared<sql::Database>(target);
    return shared;
  };
  StoreSet stores;
  stores.cases = std::make_unique<SqlCaseStore>(database_for_store());
  stores.identities = std::make_unique<SqlIdentityStore>(database_for_store());
  stores.idempotency = std::make_unique<SqlIdempotencyStore>(database_for_store());
  stores.webhooks = std::make_unique<SqlWebhookStore>(database_for_store());
  return stores;
}

}  // namespace sitecycle
