// The case store on SQLite or PostgreSQL, through SOCI (see sql_database.h for the connections).
//
// Opening a store applies the schema migrations the database lacks (see schema_migrations.h).
// Instants are stored as ISO 8601 UTC text and JSON as nlohmann::json::dump() text, on both
// backends, so the statements are shared and only sql_dialect.h differs.
//
// Thread-safety: every member may be called from any thread. Reads see the last commit and do not
// wait for an open transaction, except on SQLite's ":memory:", where reads share the one
// connection. Transactions that append events run one at a time: on SQLite under the file's write
// lock, on PostgreSQL under the event-log lock, across all nodes (see sql_transaction.h).
//
// On SQLite a thread holding a transaction must read through it. Calling begin() or
// save_definition() on the store meanwhile throws StoreError instead of deadlocking, as does any
// read with ":memory:".
//
// Errors: every database failure throws StoreError naming the store, the operation and the case.
#pragma once

#include "adapters/sql_database.h"
#include "engine/case_store.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

class SqlCaseStore final : public CaseStore {
 public:
  // Opens or creates the SQLite database at `sqlite_path`, a file path or ":memory:". Creates
  // missing parent directories. Throws StoreError naming the path when the path is a directory,
  // the file is not an SQLite database, or as the other constructor does.
  explicit SqlCaseStore(const std::string& sqlite_path);
  // Applies the missing migrations on `database`, which other stores may share. Throws
  // StoreError naming the store when a migration fails or the database has a schema version
  // newer than this build supports.
  explicit SqlCaseStore(std::shared_ptr<sql::Database> database);
  ~SqlCaseStore() override;

  SqlCaseStore(const SqlCaseStore&) = delete;
  SqlCaseStore& operator=(const SqlCaseStore&) = delete;

  // The returned transaction must not outlive the store.
  std::unique_ptr<CaseTransaction> begin() override;

  std::optional<StoredCase> find_case(std::string_view case_id) override;
  bool case_in_scope(std::string_view case_id, const CaseScope& scope) override;
  // Runs in its own write transaction, so it waits for an open one.
  bool add_case_party(const CaseParty& party) override;
  std::vector<CaseParty> parties_of(std::string_view case_id) override;
  // Runs in its own write transaction, so it waits for an open one.
  void insert_document(const StoredDocument& document) override;
  std::optional<StoredDocument> find_document(std::string_view document_id) override;
  std::vector<StoredDocument> documents_of(std::string_view case_id) override;
  // A limit below 1 returns no items, and a negative offset counts as 0.
  Page<StoredCase> list_cases(const CaseQuery& query) override;
  Page<ListedCase> list_case_listings(const CaseQuery& query) override;
  // Oldest first, so the last link of a role is the most recent.
  std::vector<CaseLink> links_of(std::string_view case_id) override;
  // A limit below 1 returns no items, and a negative offset counts as 0.
  Page<StoredEvent> events_of(std::string_view case_id, std::int64_t limit, std::int64_t offset) override;
  std::vector<StoredEvent> events_after(std::int64_t after_id, const CaseScope& scope, std::int64_t limit) override;
  std::int64_t last_event_id() override;
  StoreStatistics statistics() override;
  std::vector<StateCount> cases_by_state(const CaseScope& scope) override;

  // Runs in its own write transaction, so it waits for an open one.
  bool save_definition(const StoredDefinition& definition) override;
  // Ordered by workflow id, then version.
  std::vector<StoredDefinition> definitions() override;

  std::vector<DeadlineRecord> deadlines_of(std::string_view case_id) override;
  // A limit below 1 returns no items, and a negative offset counts as 0.
  Page<DeadlineRecord> list_deadlines(const DeadlineQuery& query) override;
  std::optional<Instant> next_deadline_fire_at() override;
  Page<OutboxMessage> outbox(std::int64_t limit, std::int64_t offset) override;

  // The SQLite path, or "" on PostgreSQL.
  const std::string& path() const;
  // Names the store in messages and logs, without a password.
  const std::string& label() const;

 private:
  const std::shared_ptr<sql::Database> database_;
};

// Opens the target and the store on it. Throws StoreError as Database and SqlCaseStore do: for
// SQLite, when the path is a directory or the file is not an SQLite database.
std::unique_ptr<SqlCaseStore> open_case_store(const sql::DatabaseTarget& target);
// The same for an SQLite path or ":memory:".
std::unique_ptr<SqlCaseStore> open_sqlite_store(const std::string& path);

}  // namespace sitecycle
