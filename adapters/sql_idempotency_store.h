// The idempotency store on SQLite or PostgreSQL, in the same database as the case store. Opening it
// applies the same schema migrations as SqlCaseStore, so either may open a new database first.
//
// Thread-safety: every member may be called from any thread. On SQLite calls are serialised on
// one connection; on PostgreSQL each takes a pooled one.
#pragma once

#include "adapters/sql_database.h"
#include "engine/idempotency_store.h"

#include <memory>
#include <string>

namespace sitecycle {

class SqlIdempotencyStore final : public IdempotencyStore {
 public:
  // Opens or creates the SQLite database at `sqlite_path` (a file path or ":memory:", which gives
  // a private database). Throws StoreError as SqlCaseStore does.
  explicit SqlIdempotencyStore(const std::string& sqlite_path);
  // Uses `database`, shared with the other stores. Throws StoreError as SqlCaseStore does.
  explicit SqlIdempotencyStore(std::shared_ptr<sql::Database> database);
  ~SqlIdempotencyStore() override;

  SqlIdempotencyStore(const SqlIdempotencyStore&) = delete;
  SqlIdempotencyStore& operator=(const SqlIdempotencyStore&) = delete;

  ClaimResult claim(std::string_view user_id, std::string_view key, std::string_view fingerprint, Instant now,
                    Instant expired_before, Instant abandoned_before) override;
  void complete(std::string_view user_id, std::string_view key, const KeptResponse& response) override;
  void release(std::string_view user_id, std::string_view key) override;

 private:
  const std::shared_ptr<sql::Database> database_;
};

}  // namespace sitecycle
