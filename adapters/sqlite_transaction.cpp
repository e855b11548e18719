#include "adapters/sqlite_transaction.h"

#include "adapters/sqlite_error.h"

#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <utility>

namespace sitecycle::sqlite {

bool transaction_is_open(soci::session& session) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  return backend != nullptr && sqlite_api::sqlite3_get_autocommit(backend->conn_) == 0;
}

Transaction::Transaction(soci::session& session, TransactionMode mode, std::string database)
    : session_(session), database_(std::move(database)) {
  translate_soci_errors({database_, "begin transaction"}, [&] {
    session_ << (mode == TransactionMode::write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  });
}

Transaction::~Transaction() {
  if (committed_ || !transaction_is_open(session_)) return;
  try {
    session_ << "ROLLBACK";
  } catch (const std::exception& error) {
    spdlog::error("sqlite rollback failed: database={} error=\"{}\"", database_, error.what());
  }
}

void Transaction::commit() {
  translate_soci_errors({database_, "commit transaction"}, [&] { session_ << "COMMIT"; });
  committed_ = true;
}

}  // namespace sitecycle::sqlite
