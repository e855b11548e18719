#include "adapters/sql_deadline_table.h"

#include "adapters/deadline_codec.h"
#include "adapters/sql_case_scope.h"
#include "adapters/sql_dialect.h"
#include "adapters/sql_cells.h"
#include "adapters/sql_event_table.h"
#include "adapters/sql_statement.h"
#include "engine/result.h"

#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <string>

namespace sitecycle::sql {

namespace {

struct DeadlineRow {
  long long id = 0;
  long long version = 0;
  std::string case_id;
  std::string record;
  std::string progress;
  int paused = -1;
  int escalation_level = -1;
  std::string next_fire_at;
  soci::indicator next_fire_indicator = soci::i_null;
  std::string updated_at;
};

// The record's JSON, with the lifecycle columns taking precedence where they are set.
DeadlineRecord decode_row(const DeadlineRow& row) {
  try {
    DeadlineRecord record = decode_deadline(decode_json(row.record, "deadlines.record", row.case_id));
    record.id = row.id;
    record.version = row.version;
    if (!row.progress.empty()) {
      auto progress = parse_deadline_progress(row.progress);
      if (!progress) throw std::invalid_argument("column progress is not a known progress");
      record.state.progress = *progress;
    }
    if (row.paused >= 0) record.state.paused = row.paused != 0;
    if (row.escalation_level >= 0) record.escalation_level = row.escalation_level;
    record.next_fire_at.reset();
    if (row.next_fire_indicator == soci::i_ok) {
      record.next_fire_at = decode_instant(row.next_fire_at, "deadlines.next_fire_at", row.case_id);
    }
    if (!row.updated_at.empty()) record.updated_at = decode_instant(row.updated_at, "deadlines.updated_at", row.case_id);
    return record;
  } catch (const std::invalid_argument& error) {
    throw StoreError(fmt::format("deadline {} of case {} does not decode: {}", row.id, row.case_id, error.what()));
  }
}

// Runs a kSelect query whose parameters `bind` exchanges.
template <class Bind>
std::vector<DeadlineRecord> select_deadlines(soci::session& session, const std::string& sql, Bind&& bind) {
  DeadlineRow row;
  soci::statement select(session);
  exchange_into(select, row.id, row.version, row.case_id, row.record, row.progress, row.paused, row.escalation_level);
  select.exchange(soci::into(row.next_fire_at, row.next_fire_indicator));
  select.exchange(soci::into(row.updated_at));
  bind(select);
  prepare_statement(select, sql);
  select.execute();
  std::vector<DeadlineRecord> records;
  while (select.fetch()) records.push_back(decode_row(row));
  return records;
}

// The columns a record is filtered and ordered by, copied out of its JSON cell.
struct DeadlineColumns {
  std::string case_id;
  std::string rule_id;
  int cycle = 0;
  std::string agency_id;
  std::string responsible;
  std::string status;
  std::string due_at;
  std::string next_fire_at;
  soci::indicator next_fire_indicator = soci::i_null;
  int provisional = 0;
  std::string record;
  std::string progress;
  int paused = 0;
  int escalation_level = 0;
  std::string updated_at;
};

// The lifecycle and filter columns; the record's JSON is encoded by with_record.
DeadlineColumns columns_of(const DeadlineRecord& record) {
  DeadlineColumns columns;
  columns.case_id = record.case_id;
  columns.rule_id = record.rule_id;
  columns.cycle = record.cycle;
  columns.agency_id = record.agency_id;
  columns.responsible = record.responsible;
  columns.status = std::string(deadline_status_name(record.state));
  columns.due_at = format_instant(record.due_at);
  if (record.next_fire_at) {
    columns.next_fire_at = format_instant(*record.next_fire_at);
    columns.next_fire_indicator = soci::i_ok;
  }
  columns.provisional = record.provisional ? 1 : 0;
  columns.progress = std::string(deadline_progress_name(record.state.progress));
  columns.paused = record.state.paused ? 1 : 0;
  columns.escalation_level = record.escalation_level;
  columns.updated_at = format_instant(record.updated_at);
  return columns;
}

DeadlineColumns with_record(DeadlineColumns columns, const DeadlineRecord& record) {
  columns.record = encode_json(encode_deadline(record), "deadlines.record", record.case_id);
  return columns;
}

constexpr std::string_view kSelect =
    "SELECT id, version, case_id, record, progress, paused, escalation_level, next_fire_at, updated_at FROM deadlines";

// The WHERE clause of a list query; bind_query binds the parameters it names.
std::string where_clause(Backend backend, const DeadlineQuery& query) {
  std::vector<std::string> conditions;
  if (query.status) {
    const std::string& status = *query.status;
    if (status == "open") {
      conditions.push_back("status NOT IN ('met', 'cancelled')");
    } else if (status == "warning") {
      conditions.push_back("status = 'warned'");
    } else if (status == "overdue") {
      conditions.push_back("status IN ('breached', 'escalated')");
    } else {
      conditions.push_back("status = :status");
    }
  }
  if (query.agency_id) conditions.push_back("agency_id = :agency_id");
  if (query.due_before) conditions.push_back("due_at < :due_before");
  if (!query.responsible_roles.empty()) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < query.responsible_roles.size(); ++i) names.push_back(fmt::format(":role{}", i));
    conditions.push_back(fmt::format("responsible IN ({})", fmt::join(names, ", ")));
  }
  if (query.district) {
    conditions.push_back(fmt::format(
        "EXISTS (SELECT 1 FROM cases located WHERE located.id = deadlines.case_id AND {} = :district)",
        json_text_field(backend, "located.data", "district")));
  }
  std::string scope = case_scope_condition(backend, query.scope, "deadlines.case_id");
  if (!scope.empty()) conditions.push_back(std::move(scope));
  if (conditions.empty()) return "";
  return fmt::format(" WHERE {}", fmt::join(conditions, " AND "));
}

bool binds_status(const DeadlineQuery& query) {
  return query.status && *query.status != "open" && *query.status != "warning" && *query.status != "overdue";
}

// Holds the bound values, which must outlive the statement's execution.
struct QueryBindings {
  explicit QueryBindings(const DeadlineQuery& filters) : query(filters) {
    if (filters.due_before) due_before = format_instant(*filters.due_before);
  }
  void bind(soci::statement& statement) const {
    if (binds_status(query)) statement.exchange(soci::use(*query.status, "status"));
    if (query.agency_id) statement.exchange(soci::use(*query.agency_id, "agency_id"));
    if (query.due_before) statement.exchange(soci::use(due_before, "due_before"));
    if (query.district) statement.exchange(soci::use(*query.district, "district"));
    for (std::size_t i = 0; i < query.responsible_roles.size(); ++i) {
      statement.exchange(soci::use(query.responsible_roles[i], fmt::format("role{}", i)));
    }
    bind_case_scope(statement, query.scope);
  }
  const DeadlineQuery& query;
  std::string due_before;
};

// UPDATE of one whole deadline row with an expected version.
class DeadlineUpdate {
 public:
  explicit DeadlineUpdate(soci::session& session)
      : statement_((session.prepare << "UPDATE deadlines SET agency_id = :agency_id, responsible = :responsible,"
                                       " status = :status, due_at = :due_at, next_fire_at = :next_fire_at,"
                                       " provisional = :provisional, progress = :progress, paused = :paused,"
                                       " escalation_level = :escalation_level, updated_at = :updated_at,"
                                       " version = version + 1, record = :record WHERE id = :id AND version = :expected",
                    soci::use(columns_.agency_id, "agency_id"), soci::use(columns_.responsible, "responsible"),
                    soci::use(columns_.status, "status"), soci::use(columns_.due_at, "due_at"),
                    soci::use(columns_.next_fire_at, columns_.next_fire_indicator, "next_fire_at"),
                    soci::use(columns_.provisional, "provisional"), soci::use(columns_.progress, "progress"),
                    soci::use(columns_.paused, "paused"), soci::use(columns_.escalation_level, "escalation_level"),
                    soci::use(columns_.updated_at, "updated_at"), soci::use(columns_.record, "record"),
                    soci::use(id_, "id"), soci::use(expected_, "expected"))) {}

  // False when the row's version is no longer `expected_version`.
  bool run(const DeadlineRecord& record, std::int64_t expected_version) {
    columns_ = with_record(columns_of(record), record);
    id_ = record.id;
    expected_ = expected_version;
    statement_.execute(true);
    return statement_.get_affected_rows() == 1;
  }

 private:
  DeadlineColumns columns_;
  long long id_ = 0;
  long long expected_ = 0;
  soci::statement statement_;
};

// UPDATE of the lifecycle columns only (what a firing changes), prepared once for many rows.
class DeadlineLifecycleUpdate {
 public:
  explicit DeadlineLifecycleUpdate(soci::session& session)
      : statement_((session.prepare << "UPDATE deadlines SET status = :status, next_fire_at = :next_fire_at,"
                                       " progress = :progress, paused = :paused, escalation_level = :escalation_level,"
                                       " updated_at = :updated_at, version = version + 1"
                                       " WHERE id = :id AND version = :expected",
                    soci::use(columns_.status, "status"),
                    soci::use(columns_.next_fire_at, columns_.next_fire_indicator, "next_fire_at"),
                    soci::use(columns_.progress, "progress"), soci::use(columns_.paused, "paused"),
                    soci::use(columns_.escalation_level, "escalation_level"),
                    soci::use(columns_.updated_at, "updated_at"), soci::use(id_, "id"),
                    soci::use(expected_, "expected"))) {}

  bool run(const DeadlineRecord& record) {
    columns_ = columns_of(record);
    id_ = record.id;
    expected_ = record.version;
    statement_.execute(true);
    return statement_.get_affected_rows() == 1;
  }

 private:
  DeadlineColumns columns_;
  long long id_ = 0;
  long long expected_ = 0;
  soci::statement statement_;
};

class OutboxInsert {
 public:
  explicit OutboxInsert(soci::session& session)
      : statement_((session.prepare << "INSERT INTO outbox (event_id, case_id, deadline_id, kind, recipients, payload,"
                                       " created_at) VALUES (:event_id, :case_id, :deadline_id, :kind, :recipients,"
                                       " :payload, :created_at) RETURNING id",
                    soci::into(id_), soci::use(event_id_, "event_id"), soci::use(case_id_, "case_id"),
                    soci::use(deadline_id_, "deadline_id"), soci::use(kind_, "kind"),
                    soci::use(recipients_, "recipients"), soci::use(payload_, "payload"),
                    soci::use(created_at_, "created_at"))) {}

  std::int64_t run(const OutboxMessage& message) {
    event_id_ = message.event_id;
    case_id_ = message.case_id;
    deadline_id_ = message.deadline_id;
    kind_ = message.kind;
    recipients_ = encode_json(message.recipients, "outbox.recipients", message.case_id);
    payload_ = encode_json(message.payload, "outbox.payload", message.case_id);
    created_at_ = format_instant(message.created_at);
    statement_.execute(true);
    return id_;
  }

 private:
  long long id_ = 0;
  long long event_id_ = 0;
  std::string case_id_;
  long long deadline_id_ = 0;
  std::string kind_;
  std::string recipients_;
  std::string payload_;
  std::string created_at_;
  soci::statement statement_;
};

// Raises a case's version by one for an event that changes nothing else, in one statement, and
// returns the new version with the case's state.
class CaseVersionBump {
 public:
  explicit CaseVersionBump(soci::session& session)
      : statement_((session.prepare << "UPDATE cases SET version = version + 1, updated_at = :at WHERE id = :id"
                                       " RETURNING version, state",
                    soci::into(version_), soci::into(state_), soci::use(at_, "at"), soci::use(case_id_, "id"))) {}

  // Throws StoreError when the case does not exist.
  std::int64_t run(const std::string& case_id, Instant at, std::string& state) {
    case_id_ = case_id;
    at_ = format_instant(at);
    statement_.execute(true);
    if (!statement_.got_data()) throw StoreError(fmt::format("case {} not found while recording a deadline event", case_id));
    state = state_;
    return version_;
  }

 private:
  std::string case_id_;
  std::string at_;
  long long version_ = 0;
  std::string state_;
  soci::statement statement_;
};

}  // namespace

std::vector<DeadlineRecord> deadlines_of(soci::session& session, std::string_view case_id) {
  const std::string id(case_id);
  return select_deadlines(session, fmt::format("{} WHERE case_id = :case_id ORDER BY id", kSelect),
                          [&](soci::statement& statement) { statement.exchange(soci::use(id, "case_id")); });
}

std::int64_t insert_deadline(soci::session& session, const DeadlineRecord& record) {
  DeadlineColumns columns = with_record(columns_of(record), record);
  long long id = 0;
  session << "INSERT INTO deadlines (case_id, rule_id, cycle, agency_id, responsible, status, due_at, next_fire_at,"
             " provisional, progress, paused, escalation_level, updated_at, version, record) VALUES (:case_id, :rule_id,"
             " :cycle, :agency_id, :responsible, :status, :due_at, :next_fire_at, :provisional, :progress, :paused,"
             " :escalation_level, :updated_at, 1, :record) RETURNING id",
      soci::into(id), soci::use(columns.case_id, "case_id"), soci::use(columns.rule_id, "rule_id"), soci::use(columns.cycle, "cycle"),
      soci::use(columns.agency_id, "agency_id"), soci::use(columns.responsible, "responsible"),
      soci::use(columns.status, "status"), soci::use(columns.due_at, "due_at"),
      soci::use(columns.next_fire_at, columns.next_fire_indicator, "next_fire_at"),
      soci::use(columns.provisional, "provisional"), soci::use(columns.progress, "progress"),
      soci::use(columns.paused, "paused"), soci::use(columns.escalation_level, "escalation_level"),
      soci::use(columns.updated_at, "updated_at"), soci::use(columns.record, "record");
  return id;
}

bool update_deadline(soci::session& session, const DeadlineRecord& record, std::int64_t expected_version) {
  DeadlineUpdate update(session);
  return update.run(record, expected_version);
}

std::vector<DeadlineRecord> due_deadlines(soci::session& session, Instant now, std::int64_t limit) {
  const std::string at = format_instant(now);
  const long long row_limit = std::max<std::int64_t>(limit, 0);
  return select_deadlines(session,
                          fmt::format("{} WHERE next_fire_at IS NOT NULL AND next_fire_at <= :now"
                                      " ORDER BY next_fire_at, id LIMIT :limit{}",
                                      kSelect, claim_rows(backend_of(session))),
                          [&](soci::statement& statement) {
                            statement.exchange(soci::use(at, "now"));
                            statement.exchange(soci::use(row_limit, "limit"));
                          });
}

std::vector<DeadlineRecord> provisional_deadlines(soci::session& session) {
  return select_deadlines(
      session, fmt::format("{} WHERE provisional = 1 AND status NOT IN ('met', 'cancelled') ORDER BY id", kSelect),
      [](soci::statement&) {});
}

Page<DeadlineRecord> list_deadlines(soci::session& session, const DeadlineQuery& query) {
  Page<DeadlineRecord> page;
  QueryBindings bindings(query);
  std::string where = where_clause(backend_of(session), query);
  {
    long long total = 0;
    soci::statement count(session);
    count.exchange(soci::into(total));
    bindings.bind(count);
    prepare_statement(count, "SELECT COUNT(*) FROM deadlines" + where);
    count.execute(true);
    page.total = total;
  }
  if (query.limit < 1) return page;
  const long long limit = query.limit;
  const long long offset = std::max<std::int64_t>(query.offset, 0);
  page.items = select_deadlines(session,
                                fmt::format("{}{} ORDER BY due_at, id LIMIT :limit OFFSET :offset", kSelect, where),
                                [&](soci::statement& statement) {
                                  bindings.bind(statement);
                                  statement.exchange(soci::use(limit, "limit"));
                                  statement.exchange(soci::use(offset, "offset"));
                                });
  return page;
}

std::optional<Instant> next_deadline_fire_at(soci::session& session) {
  std::string at;
  soci::indicator indicator = soci::i_null;
  session << "SELECT MIN(next_fire_at) FROM deadlines WHERE next_fire_at IS NOT NULL", soci::into(at, indicator);
  if (indicator != soci::i_ok) return std::nullopt;
  return decode_instant(at, "deadlines.next_fire_at", {});
}

std::int64_t insert_outbox(soci::session& session, const OutboxMessage& message) {
  OutboxInsert insert(session);
  return insert.run(message);
}

std::vector<std::int64_t> record_deadline_firings(soci::session& session, std::vector<DeadlineFiringWrite>& firings) {
  CaseVersionBump bump(session);
  EventInsert events(session);
  OutboxInsert outbox(session);
  std::vector<std::int64_t> event_ids;
  event_ids.reserve(firings.size());
  for (DeadlineFiringWrite& firing : firings) {
    StoredEvent& event = firing.event;
    std::string state;
    event.case_version = bump.run(event.case_id, event.at, state);
    event.from_state = state;
    event.to_state = state;
    event.id = events.run(event);
    firing.message.event_id = event.id;
    firing.message.id = outbox.run(firing.message);
    event_ids.push_back(event.id);
  }
  return event_ids;
}

bool update_deadline_lifecycles(soci::session& session, const std::vector<DeadlineRecord>& records) {
  DeadlineLifecycleUpdate update(session);
  for (const DeadlineRecord& record : records) {
    if (!update.run(record)) return false;
  }
  return true;
}

Page<OutboxMessage> outbox(soci::session& session, std::int64_t limit, std::int64_t offset) {
  Page<OutboxMessage> page;
  long long total = 0;
  session << "SELECT COUNT(*) FROM outbox", soci::into(total);
  page.total = total;
  if (limit < 1) return page;

  const long long row_limit = limit;
  const long long row_offset = std::max<std::int64_t>(offset, 0);
  long long id = 0;
  long long event_id = 0;
  long long deadline_id = 0;
  std::string case_id, kind, recipients, payload, created_at, delivered_at;
  soci::indicator delivered_indicator = soci::i_null;
  soci::statement select(session);
  exchange_into(select, id, event_id, case_id, deadline_id, kind, recipients, payload, created_at);
  select.exchange(soci::into(delivered_at, delivered_indicator));
  select.exchange(soci::use(row_limit, "limit"));
  select.exchange(soci::use(row_offset, "offset"));
  prepare_statement(select,
                    "SELECT id, event_id, case_id, deadline_id, kind, recipients, payload, created_at, delivered_at"
                    " FROM outbox ORDER BY id LIMIT :limit OFFSET :offset");
  select.execute();
  while (select.fetch()) {
    OutboxMessage message;
    message.id = id;
    message.event_id = event_id;
    message.case_id = case_id;
    message.deadline_id = deadline_id;
    message.kind = kind;
    message.recipients = decode_json(recipients, "outbox.recipients", case_id);
    message.payload = decode_json(payload, "outbox.payload", case_id);
    message.created_at = decode_instant(created_at, "outbox.created_at", case_id);
    if (delivered_indicator == soci::i_ok) {
      message.delivered_at = decode_instant(delivered_at, "outbox.delivered_at", case_id);
    }
    page.items.push_back(std::move(message));
  }
  return page;
}

}  // namespace sitecycle::sql
