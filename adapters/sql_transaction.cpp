#include "adapters/sql_transaction.h"

#include "adapters/sql_dialect.h"
#include "adapters/sql_error.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <utility>

namespace sitecycle::sql {

namespace {

// The key of the PostgreSQL advisory lock that orders appends to the event log ("sitecycl").
constexpr long long kEventLogLockKey = 0x73697465637963LL;

void begin(soci::session& session, TransactionMode mode) {
  if (backend_of(session) == Backend::sqlite) {
    session << (mode == TransactionMode::read ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");
    return;
  }
  if (mode == TransactionMode::read) {
    session << "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    return;
  }
  session << "BEGIN";
  if (mode == TransactionMode::append_events) {
    session << "SELECT pg_advisory_xact_lock(" + std::to_string(kEventLogLockKey) + ")";
  }
}

}  // namespace

bool transaction_is_open(soci::session& session) {
  if (backend_of(session) == Backend::sqlite) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
    return backend != nullptr && sqlite_api::sqlite3_get_autocommit(backend->conn_) == 0;
  }
  auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
  return backend != nullptr && PQtransactionStatus(backend->conn_) == PQTRANS_INTRANS;
}

Transaction::Transaction(soci::session& session, TransactionMode mode, std::string database)
    : session_(session), database_(std::move(database)) {
  translate_soci_errors({database_, "begin transaction"}, [&] { begin(session_, mode); });
}

Transaction::~Transaction() {
  if (committed_) return;
  if (backend_of(session_) == Backend::sqlite && !transaction_is_open(session_)) return;
  try {
    session_ << "ROLLBACK";
  } catch (const std::exception& error) {
    spdlog::error("rollback failed: database=\"{}\" error=\"{}\"", database_, error.what());
  }
}

void Transaction::commit() {
  // PostgreSQL treats COMMIT in a failed transaction as a silent rollback, so check first.
  if (!transaction_is_open(session_)) {
    throw_store_error({database_, "commit transaction"}, "the transaction was rolled back after an earlier failure");
  }
  translate_soci_errors({database_, "commit transaction"}, [&] { session_ << "COMMIT"; });
  committed_ = true;
}

}  // namespace sitecycle::sql
