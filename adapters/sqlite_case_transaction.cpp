#include "adapters/sqlite_case_transaction.h"

#include "adapters/sqlite_case_table.h"
#include "adapters/sqlite_deadline_table.h"
#include "adapters/sqlite_document_table.h"
#include "adapters/sqlite_error.h"
#include "adapters/sqlite_event_table.h"
#include "adapters/sqlite_link_table.h"

#include <fmt/format.h>

#include <string>

namespace sitecycle {

SqliteCaseTransaction::SqliteCaseTransaction(sqlite::Connection& connection)
    : lock_(connection), transaction_(lock_.session(), sqlite::TransactionMode::write, connection.path()) {}

// Runs `body` on the session after checking that the transaction still takes statements:
// without that check a statement after commit, or after SQLite's own rollback, would run in
// autocommit mode and escape the unit of work.
template <class Body>
decltype(auto) SqliteCaseTransaction::run(std::string_view operation, std::string_view case_id, Body&& body) {
  const sqlite::OperationContext context{lock_.path(), operation, case_id};
  if (transaction_.committed()) {
    sqlite::throw_store_error(context, "the transaction is already committed; begin a new one");
  }
  if (!sqlite::transaction_is_open(lock_.session())) {
    sqlite::throw_store_error(context,
                              "SQLite rolled the transaction back after an earlier failure; begin a new one");
  }
  return sqlite::translate_soci_errors(context, [&]() -> decltype(auto) { return body(lock_.session()); });
}

std::optional<StoredCase> SqliteCaseTransaction::find_case(std::string_view case_id) {
  return run("find case", case_id,
             [&](soci::session& session) { return sqlite::find_case(session, case_id); });
}

std::vector<CaseLink> SqliteCaseTransaction::links_of(std::string_view case_id) {
  return run("read links", case_id,
             [&](soci::session& session) { return sqlite::links_of(session, case_id); });
}

void SqliteCaseTransaction::insert_case(const StoredCase& stored_case) {
  run("insert case", stored_case.id,
      [&](soci::session& session) { sqlite::insert_case(session, stored_case); });
}

bool SqliteCaseTransaction::update_case(const StoredCase& stored_case, std::int64_t expected_version) {
  return run("update case", stored_case.id, [&](soci::session& session) {
    return sqlite::update_case(session, stored_case, expected_version);
  });
}

std::int64_t SqliteCaseTransaction::append_event(const StoredEvent& event) {
  return run("append event", event.case_id,
             [&](soci::session& session) { return sqlite::append_event(session, event); });
}

void SqliteCaseTransaction::insert_link(const CaseLink& link) {
  run("insert link", link.case_id, [&](soci::session& session) { sqlite::insert_link(session, link); });
}

std::int64_t SqliteCaseTransaction::next_case_number(std::string_view workflow_id) {
  const std::string operation = fmt::format("next case number of workflow '{}'", workflow_id);
  return run(operation, {},
             [&](soci::session& session) { return sqlite::next_case_number(session, workflow_id); });
}

std::vector<DeadlineRecord> SqliteCaseTransaction::deadlines_of(std::string_view case_id) {
  return run("read deadlines", case_id,
             [&](soci::session& session) { return sqlite::deadlines_of(session, case_id); });
}

std::int64_t SqliteCaseTransaction::insert_deadline(const DeadlineRecord& record) {
  return run("insert deadline", record.case_id,
             [&](soci::session& session) { return sqlite::insert_deadline(session, record); });
}

bool SqliteCaseTransaction::update_deadline(const DeadlineRecord& record, std::int64_t expected_version) {
  return run("update deadline", record.case_id, [&](soci::session& session) {
    return sqlite::update_deadline(session, record, expected_version);
  });
}

std::vector<DeadlineRecord> SqliteCaseTransaction::due_deadlines(Instant now, std::int64_t limit) {
  return run("read due deadlines", {},
             [&](soci::session& session) { return sqlite::due_deadlines(session, now, limit); });
}

std::vector<DeadlineRecord> SqliteCaseTransaction::provisional_deadlines() {
  return run("read provisional deadlines", {},
             [&](soci::session& session) { return sqlite::provisional_deadlines(session); });
}

std::int64_t SqliteCaseTransaction::insert_outbox(const OutboxMessage& message) {
  return run("insert outbox message", message.case_id,
             [&](soci::session& session) { return sqlite::insert_outbox(session, message); });
}

bool SqliteCaseTransaction::attach_documents(std::string_view case_id, const std::vector<std::string>& document_ids,
                                             std::int64_t event_id) {
  return run("attach documents", case_id, [&](soci::session& session) {
    return sqlite::attach_documents(session, case_id, document_ids, event_id);
  });
}

std::vector<std::int64_t> SqliteCaseTransaction::record_deadline_firings(std::vector<DeadlineFiringWrite>& firings) {
  return run("record deadline firings", {},
             [&](soci::session& session) { return sqlite::record_deadline_firings(session, firings); });
}

bool SqliteCaseTransaction::update_deadline_lifecycles(const std::vector<DeadlineRecord>& records) {
  return run("update deadline lifecycles", {},
             [&](soci::session& session) { return sqlite::update_deadline_lifecycles(session, records); });
}

void SqliteCaseTransaction::commit() {
  run("commit", {}, [&](soci::session&) { transaction_.commit(); });
  lock_.release();
}

}  // namespace sitecycle
