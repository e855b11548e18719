#include "adapters/sqlite_case_store.h"

#include "adapters/schema_migrations.h"
#include "adapters/sqlite_case_store_schema.h"
#include "adapters/sqlite_case_table.h"
#include "adapters/sqlite_case_transaction.h"
#include "adapters/sqlite_connection.h"
#include "adapters/sqlite_definition_table.h"
#include "adapters/sqlite_error.h"
#include "adapters/sqlite_deadline_table.h"
#include "adapters/sqlite_document_table.h"
#include "adapters/sqlite_event_table.h"
#include "adapters/sqlite_link_table.h"
#include "adapters/sqlite_party_table.h"
#include "adapters/sqlite_transaction.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace sitecycle {

namespace {

// Runs `body` on `connection`'s session, holding the connection, with SOCI failures rethrown as
// StoreError.
template <class Body>
decltype(auto) run_locked(sqlite::Connection& connection, const sqlite::OperationContext& context,
                          Body&& body) {
  sqlite::Connection::Lock lock(connection);
  return sqlite::translate_soci_errors(context, [&]() -> decltype(auto) { return body(lock.session()); });
}

// Runs `body` in a read transaction, so that a count and the page it describes come from one
// snapshot of the database.
template <class Body>
auto run_in_snapshot(soci::session& session, const std::string& database, Body&& body) {
  sqlite::Transaction snapshot(session, sqlite::TransactionMode::read, database);
  auto result = body(session);
  snapshot.commit();
  return result;
}

}  // namespace

SqliteCaseStore::SqliteCaseStore(const std::string& path)
    : path_(path), writer_(std::make_unique<sqlite::Connection>(path)) {
  {
    sqlite::Connection::Lock lock(*writer_);
    sqlite::apply_migrations(lock.session(), sqlite::case_store_migrations(), path_);
  }
  if (!sqlite::is_in_memory(path_)) reader_ = std::make_unique<sqlite::Connection>(path_);
}

SqliteCaseStore::~SqliteCaseStore() = default;

sqlite::Connection& SqliteCaseStore::read_connection() { return reader_ ? *reader_ : *writer_; }

std::unique_ptr<CaseTransaction> SqliteCaseStore::begin() {
  return std::make_unique<SqliteCaseTransaction>(*writer_);
}

std::optional<StoredCase> SqliteCaseStore::find_case(std::string_view case_id) {
  return run_locked(read_connection(), {path_, "find case", case_id},
                    [&](soci::session& session) { return sqlite::find_case(session, case_id); });
}

bool SqliteCaseStore::case_in_scope(std::string_view case_id, const CaseScope& scope) {
  return run_locked(read_connection(), {path_, "check case scope", case_id},
                    [&](soci::session& session) { return sqlite::case_in_scope(session, case_id, scope); });
}

bool SqliteCaseStore::add_case_party(const CaseParty& party) {
  return run_locked(*writer_, {path_, "grant case access to " + party.org_id, party.case_id},
                    [&](soci::session& session) {
                      sqlite::Transaction transaction(session, sqlite::TransactionMode::write, path_);
                      bool inserted = sqlite::insert_case_party(session, party);
                      transaction.commit();
                      return inserted;
                    });
}

std::vector<CaseParty> SqliteCaseStore::parties_of(std::string_view case_id) {
  return run_locked(read_connection(), {path_, "read case parties", case_id},
                    [&](soci::session& session) { return sqlite::parties_of(session, case_id); });
}

void SqliteCaseStore::insert_document(const StoredDocument& document) {
  run_locked(*writer_, {path_, "insert document " + document.id, document.case_id}, [&](soci::session& session) {
    sqlite::Transaction transaction(session, sqlite::TransactionMode::write, path_);
    sqlite::insert_document(session, document);
    transaction.commit();
  });
}

std::optional<StoredDocument> SqliteCaseStore::find_document(std::string_view document_id) {
  return run_locked(read_connection(), {path_, "find document"},
                    [&](soci::session& session) { return sqlite::find_document(session, document_id); });
}

std::vector<StoredDocument> SqliteCaseStore::documents_of(std::string_view case_id) {
  return run_locked(read_connection(), {path_, "read documents", case_id},
                    [&](soci::session& session) { return sqlite::documents_of(session, case_id); });
}

Page<StoredCase> SqliteCaseStore::list_cases(const CaseQuery& query) {
  return run_locked(read_connection(), {path_, "list cases"}, [&](soci::session& session) {
    return run_in_snapshot(session, path_,
                           [&](soci::session& snapshot) { return sqlite::list_cases(snapshot, query); });
  });
}

std::vector<CaseLink> SqliteCaseStore::links_of(std::string_view case_id) {
  return run_locked(read_connection(), {path_, "read links", case_id},
                    [&](soci::session& session) { return sqlite::links_of(session, case_id); });
}

Page<StoredEvent> SqliteCaseStore::events_of(std::string_view case_id, std::int64_t limit,
                                             std::int64_t offset) {
  return run_locked(read_connection(), {path_, "read events", case_id}, [&](soci::session& session) {
    return run_in_snapshot(session, path_, [&](soci::session& snapshot) {
      return sqlite::events_of(snapshot, case_id, limit, offset);
    });
  });
}

std::vector<StoredEvent> SqliteCaseStore::events_after(std::int64_t after_id, const CaseScope& scope,
                                                      std::int64_t limit) {
  return run_locked(read_connection(), {path_, "read events after " + std::to_string(after_id)},
                    [&](soci::session& session) { return sqlite::events_after(session, after_id, scope, limit); });
}

std::int64_t SqliteCaseStore::last_event_id() {
  return run_locked(read_connection(), {path_, "read last event id"},
                    [&](soci::session& session) { return sqlite::last_event_id(session); });
}

StoreStatistics SqliteCaseStore::statistics() {
  return run_locked(read_connection(), {path_, "read statistics"}, [&](soci::session& session) {
    return run_in_snapshot(session, path_, [&](soci::session& snapshot) {
      StoreStatistics statistics;
      long long count = 0;
      snapshot << "SELECT COUNT(*) FROM cases", soci::into(count);
      statistics.cases = count;
      snapshot << "SELECT COUNT(*) FROM events WHERE kind = 'transition'", soci::into(count);
      statistics.transitions = count;
      snapshot << "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL", soci::into(count);
      statistics.outbox_pending = count;
      statistics.last_event_id = sqlite::last_event_id(snapshot);
      std::string kind;
      soci::statement select = (snapshot.prepare << "SELECT kind, COUNT(*) FROM events WHERE kind LIKE 'deadline_%'"
                                                    " GROUP BY kind ORDER BY kind",
                                soci::into(kind), soci::into(count));
      select.execute();
      while (select.fetch()) statistics.deadline_events[kind] = count;
      return statistics;
    });
  });
}

bool SqliteCaseStore::save_definition(const StoredDefinition& definition) {
  const std::string operation =
      fmt::format("save workflow definition '{}' version {}", definition.workflow_id, definition.version);
  return run_locked(*writer_, {path_, operation}, [&](soci::session& session) {
    sqlite::Transaction transaction(session, sqlite::TransactionMode::write, path_);
    auto stored_sha256 = sqlite::definition_sha256(session, definition.workflow_id, definition.version);
    if (stored_sha256) return *stored_sha256 == definition.sha256;

    sqlite::insert_definition(session, definition);
    transaction.commit();
    spdlog::info("workflow definition stored: database={} workflow={} version={} sha256={}", path_,
                 definition.workflow_id, definition.version, definition.sha256);
    return true;
  });
}

std::vector<StoredDefinition> SqliteCaseStore::definitions() {
  return run_locked(read_connection(), {path_, "read workflow definitions"},
                    [&](soci::session& session) { return sqlite::definitions(session); });
}

std::vector<DeadlineRecord> SqliteCaseStore::deadlines_of(std::string_view case_id) {
  return run_locked(read_connection(), {path_, "read deadlines", case_id},
                    [&](soci::session& session) { return sqlite::deadlines_of(session, case_id); });
}

Page<DeadlineRecord> SqliteCaseStore::list_deadlines(const DeadlineQuery& query) {
  return run_locked(read_connection(), {path_, "list deadlines"}, [&](soci::session& session) {
    return run_in_snapshot(session, path_, [&](soci::session& snapshot) { return sqlite::list_deadlines(snapshot, query); });
  });
}

std::optional<Instant> SqliteCaseStore::next_deadline_fire_at() {
  return run_locked(read_connection(), {path_, "read next deadline"},
                    [&](soci::session& session) { return sqlite::next_deadline_fire_at(session); });
}

Page<OutboxMessage> SqliteCaseStore::outbox(std::int64_t limit, std::int64_t offset) {
  return run_locked(read_connection(), {path_, "read outbox"}, [&](soci::session& session) {
    return run_in_snapshot(session, path_, [&](soci::session& snapshot) { return sqlite::outbox(snapshot, limit, offset); });
  });
}

std::unique_ptr<SqliteCaseStore> open_sqlite_store(const std::string& path) {
  return std::make_unique<SqliteCaseStore>(path);
}

}  // namespace sitecycle
