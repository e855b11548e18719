// A transaction on a leased session. It rolls back unless committed.
#pragma once

#include <soci/session.h>

#include <string>

namespace sitecycle::sql {

enum class TransactionMode {
  // One consistent snapshot for several SELECTs. SQLite: BEGIN DEFERRED. PostgreSQL: REPEATABLE
  // READ, READ ONLY.
  read,
  // Writes that append no events. SQLite: BEGIN IMMEDIATE, which takes the file's write lock at
  // once, so a conflict with another writer shows at BEGIN rather than halfway through the unit
  // of work. PostgreSQL: READ COMMITTED; concurrent units of work meet at row locks and keys.
  write,
  // Writes that may append to the event log. As `write`, and on PostgreSQL the transaction also
  // takes the event-log lock (a transaction-scoped advisory lock) at BEGIN, so these units of
  // work run one at a time across every node, and event ids grow in commit order: a reader that
  // has read event N never finds a smaller id committed later.
  append_events,
};

// True while a transaction is open on `session` and still takes statements. SQLite rolls back on
// its own after some failures (disk full, I/O error), and PostgreSQL rejects statements after a
// failed one, so a caller checks this before each statement.
bool transaction_is_open(soci::session& session);

class Transaction {
 public:
  // Begins the transaction. `database` names the store in error and log messages. Throws
  // StoreError when the database cannot begin, for example when another process holds SQLite's
  // write lock for longer than the busy timeout.
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

}  // namespace sitecycle::sql
