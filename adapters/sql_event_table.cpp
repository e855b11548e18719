#include "adapters/sql_event_table.h"

#include "adapters/sql_case_scope.h"
#include "adapters/sql_dialect.h"
#include "adapters/sql_cells.h"
#include "adapters/sql_statement.h"

#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <string>

namespace sitecycle::sql {

namespace {

constexpr std::string_view kEventColumns =
    "id, case_id, case_version, kind, transition, from_state, to_state, actor_role, actor_org, actor_user, "
    "at,"
    " input, comment, effects";

// One row of `events` as the database returns it, before the cells are decoded.
struct EventRow {
  long long id = 0;
  std::string case_id;
  long long case_version = 0;
  std::string kind;
  std::string transition;
  std::string from_state;
  std::string to_state;
  std::string actor_role;
  std::string actor_org;
  std::string actor_user;
  std::string at;
  std::string input;
  std::string comment;
  std::string effects;
};

// Binds `row` to the columns of kEventColumns, in that order.
void exchange_into_row(soci::statement& statement, EventRow& row) {
  exchange_into(statement, row.id, row.case_id, row.case_version, row.kind, row.transition, row.from_state,
                row.to_state, row.actor_role, row.actor_org, row.actor_user, row.at, row.input, row.comment,
                row.effects);
}

StoredEvent decode_event(const EventRow& row) {
  StoredEvent event;
  event.id = row.id;
  event.case_id = row.case_id;
  event.case_version = row.case_version;
  event.kind = row.kind;
  event.transition = row.transition;
  event.from_state = row.from_state;
  event.to_state = row.to_state;
  event.actor = Actor{row.actor_role, row.actor_org, row.actor_user};
  event.at = decode_instant(row.at, "events.at", row.case_id);
  event.input = decode_json(row.input, "events.input", row.case_id);
  event.comment = row.comment;
  event.effects = decode_json(row.effects, "events.effects", row.case_id);
  return event;
}

long long count_events(soci::session& session, const std::string& case_id) {
  long long total = 0;
  session << "SELECT COUNT(*) FROM events WHERE case_id = :case_id", soci::use(case_id, "case_id"),
      soci::into(total);
  return total;
}

}  // namespace

EventInsert::EventInsert(soci::session& session)
    : statement_((session.prepare << "INSERT INTO events (case_id, case_version, kind, transition, from_state, to_state,"
                                     " actor_role, actor_org, actor_user, at, input, comment, effects) VALUES (:case_id,"
                                     " :case_version, :kind, :transition, :from_state, :to_state, :actor_role, :actor_org,"
                                     " :actor_user, :at, :input, :comment, :effects) RETURNING id",
                  soci::into(id_), soci::use(row_.case_id, "case_id"), soci::use(case_version_, "case_version"),
                  soci::use(row_.kind, "kind"), soci::use(row_.transition, "transition"),
                  soci::use(row_.from_state, "from_state"), soci::use(row_.to_state, "to_state"),
                  soci::use(row_.actor.role, "actor_role"), soci::use(row_.actor.org, "actor_org"),
                  soci::use(row_.actor.user, "actor_user"), soci::use(at_, "at"), soci::use(input_, "input"),
                  soci::use(row_.comment, "comment"), soci::use(effects_, "effects"))) {}

std::int64_t EventInsert::run(const StoredEvent& event) {
  row_.case_id = event.case_id;
  row_.kind = event.kind;
  row_.transition = event.transition;
  row_.from_state = event.from_state;
  row_.to_state = event.to_state;
  row_.actor = event.actor;
  row_.comment = event.comment;
  case_version_ = event.case_version;
  at_ = format_instant(event.at);
  input_ = encode_json(event.input, "events.input", event.case_id);
  effects_ = encode_json(event.effects, "events.effects", event.case_id);
  statement_.execute(true);
  return id_;
}

std::int64_t append_event(soci::session& session, const StoredEvent& event) {
  EventInsert insert(session);
  return insert.run(event);
}

std::vector<StoredEvent> events_after(soci::session& session, std::int64_t after_id, const CaseScope& scope,
                                      std::int64_t limit) {
  std::vector<StoredEvent> events;
  if (limit < 1) return events;
  const long long after = after_id;
  const long long row_limit = limit;
  std::string condition = case_scope_condition(backend_of(session), scope, "events.case_id");
  EventRow row;
  soci::statement select(session);
  exchange_into_row(select, row);
  select.exchange(soci::use(after, "after_id"));
  bind_case_scope(select, scope);
  select.exchange(soci::use(row_limit, "limit"));
  prepare_statement(select, fmt::format("SELECT {} FROM events WHERE id > :after_id{} ORDER BY id LIMIT :limit",
                                        kEventColumns, condition.empty() ? "" : " AND " + condition));
  select.execute();
  while (select.fetch()) events.push_back(decode_event(row));
  return events;
}

std::int64_t last_event_id(soci::session& session) {
  long long id = 0;
  soci::indicator indicator = soci::i_null;
  session << "SELECT MAX(id) FROM events", soci::into(id, indicator);
  return indicator == soci::i_ok ? id : 0;
}

Page<StoredEvent> events_of(soci::session& session, std::string_view case_id, std::int64_t limit,
                            std::int64_t offset) {
  const std::string id(case_id);
  Page<StoredEvent> page;
  page.total = count_events(session, id);
  if (limit < 1) return page;

  const long long row_limit = limit;
  const long long row_offset = std::max<std::int64_t>(offset, 0);
  EventRow row;
  soci::statement select(session);
  exchange_into_row(select, row);
  select.exchange(soci::use(id, "case_id"));
  select.exchange(soci::use(row_limit, "limit"));
  select.exchange(soci::use(row_offset, "offset"));
  prepare_statement(select, fmt::format("SELECT {} FROM events WHERE case_id = :case_id ORDER BY id"
                                        " LIMIT :limit OFFSET :offset",
                                        kEventColumns));

  select.execute();
  while (select.fetch()) page.items.push_back(decode_event(row));
  return page;
}

}  // namespace sitecycle::sql
