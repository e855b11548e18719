// The four stores a server or command needs, opened together on one --db target.
#pragma once

#include "adapters/sql_case_store.h"
#include "adapters/sql_database.h"
#include "adapters/sql_idempotency_store.h"
#include "adapters/sql_identity_store.h"
#include "adapters/sql_webhook_store.h"

#include <memory>

namespace sitecycle {

struct StoreSet {
  std::unique_ptr<SqlCaseStore> cases;
  std::unique_ptr<SqlIdentityStore> identities;
  std::unique_ptr<SqlIdempotencyStore> idempotency;
  std::unique_ptr<SqlWebhookStore> webhooks;
};

// Opens every store on `target`. On SQLite each store has connections of its own to the file;
// on PostgreSQL all four share one pool of target.pool_size connections. Throws StoreError as
// sql::Database and SqlCaseStore do.
StoreSet open_store_set(const sql::DatabaseTarget& target);

}  // namespace sitecycle
