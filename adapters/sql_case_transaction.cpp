#include "adapters/sql_case_transaction.h"

#include "adapters/sql_case_table.h"
#include "adapters/sql_deadline_table.h"
#include "adapters/sql_document_table.h"
#include "adapters/sql_error.h"
#include "adapters/sql_event_table.h"
#include "adapters/sql_link_table.h"

#include <fmt/format.h>

#include <string>

namespace sitecycle {

SqlCaseTransaction::SqlCaseTransaction(sql::Database& database)
    : lock_(database, sql::Purpose::write),
      transaction_(lock_.session(), sql::TransactionMode::append_events, database.label()) {}

// Runs `body` on the session after checking that the transaction still takes statements:
// without that check a statement after commit, or after the database's own rollback, would run
// in autocommit mode and escape the unit of work. A failed statement ends the unit of work.
template <class Body>
decltype(auto) SqlCaseTransaction::run(std::string_view operation, std::string_view case_id, Body&& body) {
  const sql::OperationContext context{lock_.label(), operation, case_id};
  if (transaction_.committed()) {
    sql::throw_store_error(context, "the transaction is already committed; begin a new one");
  }
  if (failed_ || !sql::transaction_is_open(lock_.session())) {
    sql::throw_store_error(context, "the transaction was rolled back after an earlier failure; begin a new one");
  }
  try {
    return sql::translate_soci_errors(context, [&]() -> decltype(auto) { return body(lock_.session()); });
  } catch (...) {
    // PostgreSQL refuses every statement after a failed one, so no backend takes more.
    failed_ = true;
    throw;
  }
}

std::optional<StoredCase> SqlCaseTransaction::find_case(std::string_view case_id) {
  return run("find case", case_id,
             [&](soci::session& session) { return sql::find_case(session, case_id); });
}

std::vector<CaseLink> SqlCaseTransaction::links_of(std::string_view case_id) {
  return run("read links", case_id,
             [&](soci::session& session) { return sql::links_of(session, case_id); });
}

void SqlCaseTransaction::insert_case(const StoredCase& stored_case) {
  run("insert case", stored_case.id,
      [&](soci::session& session) { sql::insert_case(session, stored_case); });
}

bool SqlCaseTransaction::update_case(const StoredCase& stored_case, std::int64_t expected_version) {
  return run("update case", stored_case.id, [&](soci::session& session) {
    return sql::update_case(session, stored_case, expected_version);
  });
}

std::int64_t SqlCaseTransaction::append_event(const StoredEvent& event) {
  return run("append event", event.case_id,
             [&](soci::session& session) { return sql::append_event(session, event); });
}

void SqlCaseTransaction::insert_link(const CaseLink& link) {
  run("insert link", link.case_id, [&](soci::session& session) { sql::insert_link(session, link); });
}

std::int64_t SqlCaseTransaction::next_case_number(std::string_view workflow_id) {
  const std::string operation = fmt::format("next case number of workflow '{}'", workflow_id);
  return run(operation, {},
             [&](soci::session& session) { return sql::next_case_number(session, workflow_id); });
}

std::vector<DeadlineRecord> SqlCaseTransaction::deadlines_of(std::string_view case_id) {
  return run("read deadlines", case_id,
             [&](soci::session& session) { return sql::deadlines_of(session, case_id); });
}

std::int64_t SqlCaseTransaction::insert_deadline(const DeadlineRecord& record) {
  return run("insert deadline", record.case_id,
             [&](soci::session& session) { return sql::insert_deadline(session, record); });
}

bool SqlCaseTransaction::update_deadline(const DeadlineRecord& record, std::int64_t expected_version) {
  return run("update deadline", record.case_id, [&](soci::session& session) {
    return sql::update_deadline(session, record, expected_version);
  });
}

std::vector<DeadlineRecord> SqlCaseTransaction::due_deadlines(Instant now, std::int64_t limit) {
  return run("read due deadlines", {},
             [&](soci::session& session) { return sql::due_deadlines(session, now, limit); });
}

std::vector<DeadlineRecord> SqlCaseTransaction::provisional_deadlines() {
  return run("read provisional deadlines", {},
             [&](soci::session& session) { return sql::provisional_deadlines(session); });
}

std::int64_t SqlCaseTransaction::insert_outbox(const OutboxMessage& message) {
  return run("insert outbox message", message.case_id,
             [&](soci::session& session) { return sql::insert_outbox(session, message); });
}

bool SqlCaseTransaction::attach_documents(std::string_view case_id, const std::vector<std::string>& document_ids,
                                             std::int64_t event_id) {
  return run("attach documents", case_id, [&](soci::session& session) {
    return sql::attach_documents(session, case_id, document_ids, event_id);
  });
}

std::vector<std::int64_t> SqlCaseTransaction::record_deadline_firings(std::vector<DeadlineFiringWrite>& firings) {
  return run("record deadline firings", {},
             [&](soci::session& session) { return sql::record_deadline_firings(session, firings); });
}

bool SqlCaseTransaction::update_deadline_lifecycles(const std::vector<DeadlineRecord>& records) {
  return run("update deadline lifecycles", {},
             [&](soci::session& session) { return sql::update_deadline_lifecycles(session, records); });
}

void SqlCaseTransaction::commit() {
  run("commit", {}, [&](soci::session&) { transaction_.commit(); });
  lock_.release();
}

}  // namespace sitecycle
