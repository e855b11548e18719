// The idempotency store on SQLite, in the same file as the case store. Opening it applies the
// same schema migrations as SqliteCaseStore.
//
// Thread-safety: every member may be called from any thread; calls are serialised on one
// connection.
#pragma once

#include "engine/idempotency_store.h"

#include <memory>
#include <string>

namespace sitecycle {

namespace sqlite {
class Connection;
}

class SqliteIdempotencyStore final : public IdempotencyStore {
 public:
  // Opens or creates the database at `path`. Throws StoreError as SqliteCaseStore does.
  explicit SqliteIdempotencyStore(const std::string& path);
  ~SqliteIdempotencyStore() override;

  SqliteIdempotencyStore(const SqliteIdempotencyStore&) = delete;
  SqliteIdempotencyStore& operator=(const SqliteIdempotencyStore&) = delete;

  ClaimResult claim(std::string_view user_id, std::string_view key, std::string_view fingerprint, Instant now,
                    Instant expired_before, Instant abandoned_before) override;
  void complete(std::string_view user_id, std::string_view key, const KeptResponse& response) override;
  void release(std::string_view user_id, std::string_view key) override;

 private:
  const std::string path_;
  std::unique_ptr<sqlite::Connection> connection_;
};

}  // namespace sitecycle
