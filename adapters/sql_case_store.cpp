#include "adapters/sql_case_store.h"

#include "adapters/schema_migrations.h"
#include "adapters/sql_case_store_schema.h"
#include "adapters/sql_case_table.h"
#include "adapters/sql_case_transaction.h"
#include "adapters/sql_database.h"
#include "adapters/sql_definition_table.h"
#include "adapters/sql_error.h"
#include "adapters/sql_deadline_table.h"
#include "adapters/sql_document_table.h"
#include "adapters/sql_event_table.h"
#include "adapters/sql_link_table.h"
#include "adapters/sql_party_table.h"
#include "adapters/sql_transaction.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace sitecycle {

namespace {

// Runs `body` on `connection`'s session, holding the connection, with SOCI failures rethrown as
// StoreError.
template <class Body>
decltype(auto) run_locked(sql::Database& database, sql::Purpose purpose, std::string_view operation,
                          std::string_view case_id, Body&& body) {
  sql::Database::Lock lock(database, purpose);
  const sql::OperationContext context{database.label(), operation, case_id};
  return sql::translate_soci_errors(context, [&]() -> decltype(auto) { return body(lock.session()); });
}

// Runs `body` in a read transaction, so that a count and the page it describes come from one
// snapshot of the database.
template <class Body>
auto run_in_snapshot(soci::session& session, const std::string& database, Body&& body) {
  sql::Transaction snapshot(session, sql::TransactionMode::read, database);
  auto result = body(session);
  snapshot.commit();
  return result;
}

}  // namespace

SqlCaseStore::SqlCaseStore(const std::string& sqlite_path)
    : SqlCaseStore(std::make_shared<sql::Database>(sql::DatabaseTarget{sql::Backend::sqlite, sqlite_path})) {}

SqlCaseStore::SqlCaseStore(std::shared_ptr<sql::Database> database) : database_(std::move(database)) {
  sql::Database::Lock lock(*database_, sql::Purpose::write);
  sql::apply_migrations(lock.session(), sql::case_store_migrations(database_->backend()), database_->label());
}

SqlCaseStore::~SqlCaseStore() = default;

const std::string& SqlCaseStore::path() const { return database_->path(); }

const std::string& SqlCaseStore::label() const { return database_->label(); }

std::unique_ptr<CaseTransaction> SqlCaseStore::begin() { return std::make_unique<SqlCaseTransaction>(*database_); }

std::optional<StoredCase> SqlCaseStore::find_case(std::string_view case_id) {
  return run_locked(*database_, sql::Purpose::read, "find case", case_id,
                    [&](soci::session& session) { return sql::find_case(session, case_id); });
}

bool SqlCaseStore::case_in_scope(std::string_view case_id, const CaseScope& scope) {
  return run_locked(*database_, sql::Purpose::read, "check case scope", case_id,
                    [&](soci::session& session) { return sql::case_in_scope(session, case_id, scope); });
}

bool SqlCaseStore::add_case_party(const CaseParty& party) {
  return run_locked(*database_, sql::Purpose::write, "grant case access to " + party.org_id, party.case_id,
                    [&](soci::session& session) {
                      sql::Transaction transaction(session, sql::TransactionMode::write, database_->label());
                      bool inserted = sql::insert_case_party(session, party);
                      transaction.commit();
                      return inserted;
                    });
}

std::vector<CaseParty> SqlCaseStore::parties_of(std::string_view case_id) {
  return run_locked(*database_, sql::Purpose::read, "read case parties", case_id,
                    [&](soci::session& session) { return sql::parties_of(session, case_id); });
}

void SqlCaseStore::insert_document(const StoredDocument& document) {
  run_locked(*database_, sql::Purpose::write, "insert document " + document.id, document.case_id, [&](soci::session& session) {
    sql::Transaction transaction(session, sql::TransactionMode::write, database_->label());
    sql::insert_document(session, document);
    transaction.commit();
  });
}

std::optional<StoredDocument> SqlCaseStore::find_document(std::string_view document_id) {
  return run_locked(*database_, sql::Purpose::read, "find document", {},
                    [&](soci::session& session) { return sql::find_document(session, document_id); });
}

std::vector<StoredDocument> SqlCaseStore::documents_of(std::string_view case_id) {
  return run_locked(*database_, sql::Purpose::read, "read documents", case_id,
                    [&](soci::session& session) { return sql::documents_of(session, case_id); });
}

Page<StoredCase> SqlCaseStore::list_cases(const CaseQuery& query) {
  Page<ListedCase> listed = list_case_listings(query);
  Page<StoredCase> page;
  page.total = listed.total;
  page.items.reserve(listed.items.size());
  for (ListedCase& item : listed.items) page.items.push_back(std::move(item.stored));
  return page;
}

Page<ListedCase> SqlCaseStore::list_case_listings(const CaseQuery& query) {
  return run_locked(*database_, sql::Purpose::read, "list cases", {}, [&](soci::session& session) {
    return run_in_snapshot(session, database_->label(),
                           [&](soci::session& snapshot) { return sql::list_case_listings(snapshot, query); });
  });
}

std::vector<CaseLink> SqlCaseStore::links_of(std::string_view case_id) {
  return run_locked(*database_, sql::Purpose::read, "read links", case_id,
                    [&](soci::session& session) { return sql::links_of(session, case_id); });
}

Page<StoredEvent> SqlCaseStore::events_of(std::string_view case_id, std::int64_t limit,
                                             std::int64_t offset) {
  return run_locked(*database_, sql::Purpose::read, "read events", case_id, [&](soci::session& session) {
    return run_in_snapshot(session, database_->label(), [&](soci::session& snapshot) {
      return sql::events_of(snapshot, case_id, limit, offset);
    });
  });
}

std::vector<StoredEvent> SqlCaseStore::events_after(std::int64_t after_id, const CaseScope& scope,
                                                      std::int64_t limit) {
  return run_locked(*database_, sql::Purpose::read, "read events after " + std::to_string(after_id), {},
                    [&](soci::session& session) { return sql::events_after(session, after_id, scope, limit); });
}

std::int64_t SqlCaseStore::last_event_id() {
  return run_locked(*database_, sql::Purpose::read, "read last event id", {},
                    [&](soci::session& session) { return sql::last_event_id(session); });
}

StoreStatistics SqlCaseStore::statistics() {
  return run_locked(*database_, sql::Purpose::read, "read statistics", {}, [&](soci::session& session) {
    return run_in_snapshot(session, database_->label(), [&](soci::session& snapshot) {
      StoreStatistics statistics;
      long long count = 0;
      snapshot << "SELECT COUNT(*) FROM cases", soci::into(count);
      statistics.cases = count;
      snapshot << "SELECT COUNT(*) FROM events WHERE kind = 'transition'", soci::into(count);
      statistics.transitions = count;
      snapshot << "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL", soci::into(count);
      statistics.outbox_pending = count;
      statistics.last_event_id = sql::last_event_id(snapshot);
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

std::vector<StateCount> SqlCaseStore::cases_by_state(const CaseScope& scope) {
  return run_locked(*database_, sql::Purpose::read, "count cases by state", {},
                    [&](soci::session& session) { return sql::cases_by_state(session, scope); });
}

bool SqlCaseStore::save_definition(const StoredDefinition& definition) {
  const std::string operation =
      fmt::format("save workflow definition '{}' version {}", definition.workflow_id, definition.version);
  return run_locked(*database_, sql::Purpose::write, operation, {}, [&](soci::session& session) {
    sql::Transaction transaction(session, sql::TransactionMode::write, database_->label());
    auto stored_sha256 = sql::definition_sha256(session, definition.workflow_id, definition.version);
    if (stored_sha256) return *stored_sha256 == definition.sha256;

    if (!sql::insert_definition(session, definition)) {
      // Another node stored this version meanwhile.
      stored_sha256 = sql::definition_sha256(session, definition.workflow_id, definition.version);
      return stored_sha256 == definition.sha256;
    }
    transaction.commit();
    spdlog::info("workflow definition stored: database=\"{}\" workflow={} version={} sha256={}", database_->label(),
                 definition.workflow_id, definition.version, definition.sha256);
    return true;
  });
}

std::vector<StoredDefinition> SqlCaseStore::definitions() {
  return run_locked(*database_, sql::Purpose::read, "read workflow definitions", {},
                    [&](soci::session& session) { return sql::definitions(session); });
}

std::vector<DeadlineRecord> SqlCaseStore::deadlines_of(std::string_view case_id) {
  return run_locked(*database_, sql::Purpose::read, "read deadlines", case_id,
                    [&](soci::session& session) { return sql::deadlines_of(session, case_id); });
}

Page<DeadlineRecord> SqlCaseStore::list_deadlines(const DeadlineQuery& query) {
  return run_locked(*database_, sql::Purpose::read, "list deadlines", {}, [&](soci::session& session) {
    return run_in_snapshot(session, database_->label(), [&](soci::session& snapshot) { return sql::list_deadlines(snapshot, query); });
  });
}

std::optional<Instant> SqlCaseStore::next_deadline_fire_at() {
  return run_locked(*database_, sql::Purpose::read, "read next deadline", {},
                    [&](soci::session& session) { return sql::next_deadline_fire_at(session); });
}

Page<OutboxMessage> SqlCaseStore::outbox(std::int64_t limit, std::int64_t offset) {
  return run_locked(*database_, sql::Purpose::read, "read outbox", {}, [&](soci::session& session) {
    return run_in_snapshot(session, database_->label(), [&](soci::session& snapshot) { return sql::outbox(snapshot, limit, offset); });
  });
}

std::unique_ptr<SqlCaseStore> open_case_store(const sql::DatabaseTarget& target) {
  return std::make_unique<SqlCaseStore>(std::make_shared<sql::Database>(target));
}

std::unique_ptr<SqlCaseStore> open_sqlite_store(const std::string& path) {
  return open_case_store({sql::Backend::sqlite, path});
}

}  // namespace sitecycle
