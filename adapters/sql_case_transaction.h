// The SQL CaseTransaction: one unit of work in TransactionMode::append_events on a leased
// session (see sql_transaction.h).
//
// It keeps its session from construction until commit() succeeds or the object is destroyed.
// Writers run one at a time: on SQLite under the file's write lock, and on PostgreSQL under the
// event-log lock, which every node takes. Used by one thread only.
#pragma once

#include "adapters/sql_database.h"
#include "adapters/sql_transaction.h"
#include "engine/case_store.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sitecycle {

class SqlCaseTransaction final : public CaseTransaction {
 public:
  // Waits until no other transaction of this store is open, then begins. `database` must outlive
  // the transaction. Throws StoreError when this thread already has an open one on SQLite, or
  // when the database cannot begin.
  explicit SqlCaseTransaction(sql::Database& database);
  // Rolls back unless committed. Never throws.
  ~SqlCaseTransaction() override = default;

  // Every call throws StoreError on a database failure, and once the transaction is committed or
  // a statement in it failed: the unit of work is then rolled back on destruction.
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
  // Releases the session once committed, so the object may stay in scope while the
  // same thread begins another transaction.
  void commit() override;

 private:
  template <class Body>
  decltype(auto) run(std::string_view operation, std::string_view case_id, Body&& body);

  sql::Database::Lock lock_;
  sql::Transaction transaction_;
  bool failed_ = false;
};

}  // namespace sitecycle
