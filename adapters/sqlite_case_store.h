// The case store on SQLite, through SOCI.
//
// Opening a store applies the schema migrations the file lacks (see schema_migrations.h). Files
// run in WAL journal mode with foreign keys on. Instants are stored as ISO 8601 UTC text and JSON
// as nlohmann::json::dump() text.
//
// Thread-safety: every member may be called from any thread. The store has one write connection,
// which a transaction holds from begin() until it is destroyed, and one read connection for the
// other reads. Reads see the last commit and do not wait for an open transaction. ":memory:" is
// the exception: SQLite gives every connection its own in-memory database, so there reads share
// the write connection and wait for an open transaction.
//
// A thread holding a transaction must read through it. Calling begin() or save_definition() on
// the store meanwhile throws StoreError instead of deadlocking, as does any read with ":memory:".
//
// Errors: every SQLite failure throws StoreError naming the path, the operation and the case.
#pragma once

#include "engine/case_store.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

namespace sqlite {
class Connection;
}

class SqliteCaseStore final : public CaseStore {
 public:
  // Opens or creates the database at `path`, a file path or ":memory:". Creates missing parent
  // directories. Throws StoreError naming the path when the path is a directory, the file is not
  // an SQLite database, a migration fails, or the database has a schema version newer than this
  // build supports.
  explicit SqliteCaseStore(const std::string& path);
  ~SqliteCaseStore() override;

  SqliteCaseStore(const SqliteCaseStore&) = delete;
  SqliteCaseStore& operator=(const SqliteCaseStore&) = delete;

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
  // Oldest first, so the last link of a role is the most recent.
  std::vector<CaseLink> links_of(std::string_view case_id) override;
  // A limit below 1 returns no items, and a negative offset counts as 0.
  Page<StoredEvent> events_of(std::string_view case_id, std::int64_t limit, std::int64_t offset) override;
  std::vector<StoredEvent> events_after(std::int64_t after_id, const CaseScope& scope, std::int64_t limit) override;
  std::int64_t last_event_id() override;
  StoreStatistics statistics() override;

  // Runs in its own write transaction, so it waits for an open one.
  bool save_definition(const StoredDefinition& definition) override;
  // Ordered by workflow id, then version.
  std::vector<StoredDefinition> definitions() override;

  std::vector<DeadlineRecord> deadlines_of(std::string_view case_id) override;
  // A limit below 1 returns no items, and a negative offset counts as 0.
  Page<DeadlineRecord> list_deadlines(const DeadlineQuery& query) override;
  std::optional<Instant> next_deadline_fire_at() override;
  Page<OutboxMessage> outbox(std::int64_t limit, std::int64_t offset) override;

  const std::string& path() const { return path_; }

 private:
  sqlite::Connection& read_connection();

  const std::string path_;
  std::unique_ptr<sqlite::Connection> writer_;
  std::unique_ptr<sqlite::Connection> reader_;  // null for ":memory:"
};

// Same as the constructor.
std::unique_ptr<SqliteCaseStore> open_sqlite_store(const std::string& path);

}  // namespace sitecycle
