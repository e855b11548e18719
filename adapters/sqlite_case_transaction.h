// The SQLite CaseTransaction: one BEGIN IMMEDIATE ... COMMIT on the store's write connection.
//
// It holds the write connection from construction until commit() succeeds or the object is
// destroyed, so the store's writers run one at a time. SQLite's write lock keeps out writers in
// other processes. Used by one thread only.
#pragma once

#include "adapters/sqlite_connection.h"
#include "adapters/sqlite_transaction.h"
#include "engine/case_store.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sitecycle {

class SqliteCaseTransaction final : public CaseTransaction {
 public:
  // Waits until no other transaction of this store is open, then begins. `connection` must
  // outlive the transaction. Throws StoreError when this thread already holds an open one, or
  // when SQLite cannot begin.
  explicit SqliteCaseTransaction(sqlite::Connection& connection);
  // Rolls back unless committed. Never throws.
  ~SqliteCaseTransaction() override = default;

  // Every call throws StoreError on a SQLite failure, and once the transaction is committed or
  // SQLite has rolled it back after a failure (disk full, I/O error).
  std::optional<StoredCase> find_case(std::string_view case_id) override;
  std::vector<CaseLink> links_of(std::string_view case_id) override;
  // Throws StoreError when the id is taken, so look the case up first in this transaction.
  void insert_case(const StoredCase& stored_case) override;
  bool update_case(const StoredCase& stored_case, std::int64_t expected_version) override;
  // Ignores `event.id` and returns the id the store assigned.
  std::int64_t append_event(const StoredEvent& event) override;
  // Writes the one directed row given. Insert the reverse row with its own call.
  void insert_link(const CaseLink& link) override;
  std::int64_t next_case_number(std::string_view workflow_id) override;
  std::vector<DeadlineRecord> deadlines_of(std::string_view case_id) override;
  std::int64_t insert_deadline(const DeadlineRecord& record) override;
  bool update_deadline(const DeadlineRecord& record, std::int64_t expected_version) override;
  std::vector<DeadlineRecord> due_deadlines(Instant now, std::int64_t limit) override;
  std::vector<DeadlineRecord> provisional_deadlines() override;
  std::int64_t insert_outbox(const OutboxMessage& message) override;
  bool attach_documents(std::string_view case_id, const std::vector<std::string>& document_ids,
                        std::int64_t event_id) override;
  std::vector<std::int64_t> record_deadline_firings(std::vector<DeadlineFiringWrite>& firings) override;
  bool update_deadline_lifecycles(const std::vector<DeadlineRecord>& records) override;
  // Releases the write connection once committed, so the object may stay in scope while the
  // same thread begins another transaction.
  void commit() override;

 private:
  template <class Body>
  decltype(auto) run(std::string_view operation, std::string_view case_id, Body&& body);

  sqlite::Connection::Lock lock_;
  sqlite::Transaction transaction_;
};

}  // namespace sitecycle
