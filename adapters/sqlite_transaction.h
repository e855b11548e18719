// An SQLite transaction on a locked connection. It rolls back unless committed.
#pragma once

#include <soci/session.h>

#include <string>

namespace sitecycle::sqlite {

enum class TransactionMode {
  read,   // BEGIN DEFERRED: one consistent snapshot for several SELECTs
  write,  // BEGIN IMMEDIATE: takes the write lock at once, so a conflict with another writer
          // shows at BEGIN rather than halfway through the unit of work
};

// True while SQLite has a transaction open on `session`. SQLite rolls back on its own after
// some failures (disk full, I/O error), and this is how a caller notices.
bool transaction_is_open(soci::session& session);

class Transaction {
 public:
  // Begins the transaction. `database` names the store in error and log messages. Throws
  // StoreError when SQLite cannot begin, for example when another process holds the write lock
  // for longer than the busy timeout.
  Transaction(soci::session& session, TransactionMode mode, std::string database);
  // Rolls back unless committed. Never throws: a failed rollback is logged once.
  ~Transaction();

  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Throws StoreError when the commit fails, and the destructor then rolls back.
  void commit();
  bool committed() const { return committed_; }

 private:
  soci::session& session_;
  const std::string database_;
  bool committed_ = false;
};

}  // namespace sitecycle::sqlite
