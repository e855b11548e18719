#include "adapters/sql_case_table.h"

#include "adapters/sql_case_scope.h"
#include "adapters/sql_dialect.h"
#include "adapters/sql_cells.h"
#include "adapters/sql_statement.h"

#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <string>
#include <vector>

namespace sitecycle::sql {

namespace {

constexpr std::string_view kCaseColumns =
    "id, workflow_id, workflow_version, state, data, version, closed, created_at, updated_at";

// One row of `cases` as the database returns it, before the cells are decoded.
struct CaseRow {
  std::string id;
  std::string workflow_id;
  int workflow_version = 0;
  std::string state;
  std::string data;
  long long version = 0;
  int closed = 0;
  std::string created_at;
  std::string updated_at;
};

// Binds `row` to the columns of kCaseColumns, in that order.
void exchange_into_row(soci::statement& statement, CaseRow& row) {
  exchange_into(statement, row.id, row.workflow_id, row.workflow_version, row.state, row.data, row.version,
                row.closed, row.created_at, row.updated_at);
}

StoredCase decode_case(const CaseRow& row) {
  StoredCase stored;
  stored.id = row.id;
  stored.workflow_id = row.workflow_id;
  stored.workflow_version = row.workflow_version;
  stored.state = row.state;
  stored.data = decode_json(row.data, "cases.data", row.id);
  stored.version = row.version;
  stored.closed = row.closed != 0;
  stored.created_at = decode_instant(row.created_at, "cases.created_at", row.id);
  stored.updated_at = decode_instant(row.updated_at, "cases.updated_at", row.id);
  return stored;
}

// The LIKE pattern for a text search: `text` lower-cased (ASCII letters), with LIKE's special
// characters escaped, between two '%'.
std::string contains_pattern(std::string_view text) {
  std::string pattern = "%";
  for (char character : text) {
    if (character == '%' || character == '_' || character == '\\') pattern += '\\';
    pattern += (character >= 'A' && character <= 'Z') ? static_cast<char>(character - 'A' + 'a') : character;
  }
  return pattern + "%";
}

// The WHERE clause for the query's filters. bind_filters binds the parameters it names.
std::string filter_clause(Backend backend, const CaseQuery& query) {
  std::vector<std::string> conditions;
  if (query.workflow_id) conditions.emplace_back("workflow_id = :workflow_id");
  if (query.state) conditions.emplace_back("state = :state");
  if (query.closed) conditions.emplace_back(*query.closed ? "closed = 1" : "closed = 0");
  if (query.district) {
    conditions.push_back(fmt::format("{} = :district", json_text_field(backend, "cases.data", "district")));
  }
  if (query.text) {
    conditions.push_back(fmt::format("(LOWER(cases.id) LIKE :text_in_id ESCAPE '\\' OR {})",
                                     json_text_value_like(backend, "cases.data", "text_in_data")));
  }
  std::string scope = case_scope_condition(backend, query.scope, "cases.id");
  if (!scope.empty()) conditions.push_back(std::move(scope));
  if (conditions.empty()) return "";
  return fmt::format(" WHERE {}", fmt::join(conditions, " AND "));
}

// `pattern` is contains_pattern(*query.text), kept alive by the caller while the statement runs.
void bind_filters(soci::statement& statement, const CaseQuery& query, const std::string& pattern) {
  if (query.workflow_id) statement.exchange(soci::use(*query.workflow_id, "workflow_id"));
  if (query.state) statement.exchange(soci::use(*query.state, "state"));
  if (query.district) statement.exchange(soci::use(*query.district, "district"));
  if (query.text) {
    statement.exchange(soci::use(pattern, "text_in_id"));
    statement.exchange(soci::use(pattern, "text_in_data"));
  }
  bind_case_scope(statement, query.scope);
}

long long count_cases(soci::session& session, const CaseQuery& query) {
  long long total = 0;
  soci::statement count(session);
  count.exchange(soci::into(total));
  const std::string pattern = contains_pattern(query.text.value_or(""));
  bind_filters(count, query, pattern);
  prepare_statement(count, "SELECT COUNT(*) FROM cases" + filter_clause(backend_of(session), query));
  count.execute(true);
  return total;
}

}  // namespace

std::optional<StoredCase> find_case(soci::session& session, std::string_view case_id) {
  const std::string id(case_id);
  CaseRow row;
  soci::statement select(session);
  exchange_into_row(select, row);
  select.exchange(soci::use(id, "id"));
  prepare_statement(select, fmt::format("SELECT {} FROM cases WHERE id = :id", kCaseColumns));

  select.execute();
  if (!select.fetch()) return std::nullopt;
  return decode_case(row);
}

bool case_in_scope(soci::session& session, std::string_view case_id, const CaseScope& scope) {
  const std::string id(case_id);
  long long found = 0;
  soci::statement count(session);
  count.exchange(soci::into(found));
  count.exchange(soci::use(id, "id"));
  bind_case_scope(count, scope);
  std::string condition = case_scope_condition(backend_of(session), scope, "cases.id");
  prepare_statement(count, fmt::format("SELECT COUNT(*) FROM cases WHERE id = :id{}",
                                       condition.empty() ? "" : " AND " + condition));
  count.execute(true);
  return found > 0;
}

void insert_case(soci::session& session, const StoredCase& stored_case) {
  const std::string data = encode_json(stored_case.data, "cases.data", stored_case.id);
  const long long version = stored_case.version;
  const int closed = stored_case.closed ? 1 : 0;
  const std::string created_at = format_instant(stored_case.created_at);
  const std::string updated_at = format_instant(stored_case.updated_at);

  session << "INSERT INTO cases (id, workflow_id, workflow_version, state, data, version, closed, created_at,"
             " updated_at) VALUES (:id, :workflow_id, :workflow_version, :state, :data, :version, :closed,"
             " :created_at, :updated_at)",
      soci::use(stored_case.id, "id"), soci::use(stored_case.workflow_id, "workflow_id"),
      soci::use(stored_case.workflow_version, "workflow_version"), soci::use(stored_case.state, "state"),
      soci::use(data, "data"), soci::use(version, "version"), soci::use(closed, "closed"),
      soci::use(created_at, "created_at"), soci::use(updated_at, "updated_at");
}

bool update_case(soci::session& session, const StoredCase& stored_case, std::int64_t expected_version) {
  const std::string data = encode_json(stored_case.data, "cases.data", stored_case.id);
  const long long version = stored_case.version;
  const long long expected = expected_version;
  const int closed = stored_case.closed ? 1 : 0;
  const std::string updated_at = format_instant(stored_case.updated_at);

  soci::statement update =
      (session.prepare
           << "UPDATE cases SET workflow_version = :workflow_version, state = :state, data = :data,"
              " version = :version, closed = :closed, updated_at = :updated_at"
              " WHERE id = :id AND version = :expected_version",
       soci::use(stored_case.workflow_version, "workflow_version"), soci::use(stored_case.state, "state"),
       soci::use(data, "data"), soci::use(version, "version"), soci::use(closed, "closed"),
       soci::use(updated_at, "updated_at"), soci::use(stored_case.id, "id"),
       soci::use(expected, "expected_version"));
  update.execute(true);
  return update.get_affected_rows() > 0;
}

Page<StoredCase> list_cases(soci::session& session, const CaseQuery& query) {
  Page<StoredCase> page;
  page.total = count_cases(session, query);
  if (query.limit < 1) return page;

  const long long limit = query.limit;
  const long long offset = std::max<std::int64_t>(query.offset, 0);
  CaseRow row;
  soci::statement select(session);
  exchange_into_row(select, row);
  const std::string pattern = contains_pattern(query.text.value_or(""));
  bind_filters(select, query, pattern);
  select.exchange(soci::use(limit, "limit"));
  select.exchange(soci::use(offset, "offset"));
  prepare_statement(select,
                    fmt::format("SELECT {} FROM cases{} ORDER BY created_at, id LIMIT :limit OFFSET :offset",
                                kCaseColumns, filter_clause(backend_of(session), query)));

  select.execute();
  while (select.fetch()) page.items.push_back(decode_case(row));
  return page;
}

std::int64_t next_case_number(soci::session& session, std::string_view workflow_id) {
  const std::string workflow(workflow_id);
  session << "INSERT INTO case_counters (workflow_id, next_number) VALUES (:workflow_id, 1)"
             " ON CONFLICT (workflow_id) DO NOTHING",
      soci::use(workflow, "workflow_id");

  long long number = 0;
  session << "SELECT next_number FROM case_counters WHERE workflow_id = :workflow_id",
      soci::use(workflow, "workflow_id"), soci::into(number);

  session << "UPDATE case_counters SET next_number = next_number + 1 WHERE workflow_id = :workflow_id",
      soci::use(workflow, "workflow_id");
  return number;
}

std::vector<StateCount> cases_by_state(soci::session& session, const CaseScope& scope) {
  const std::string condition = case_scope_condition(backend_of(session), scope, "cases.id");

  std::string workflow_id;
  std::string state;
  std::string created_at;
  std::string entered_at;
  soci::indicator entered_indicator = soci::i_null;
  soci::statement select(session);
  exchange_into(select, workflow_id, state, created_at);
  select.exchange(soci::into(entered_at, entered_indicator));
  bind_case_scope(select, scope);

  // A case entered its state at its latest event that moved it there; steps that keep the state
  // (from_state = to_state) do not count. Instants are fixed-width UTC text, so MAX is the latest.
  prepare_statement(select,
                    fmt::format("SELECT cases.workflow_id, cases.state, cases.created_at, (SELECT MAX(events.at) FROM events"
                                " WHERE events.case_id = cases.id AND events.to_state = cases.state"
                                " AND events.from_state <> events.to_state) FROM cases{}"
                                " ORDER BY cases.workflow_id, cases.state",
                                condition.empty() ? "" : " WHERE " + condition));
  select.execute();

  std::vector<StateCount> counts;
  while (select.fetch()) {
    if (counts.empty() || counts.back().workflow_id != workflow_id || counts.back().state != state) {
      counts.push_back({workflow_id, state, {}});
    }
    // A case without such an event (written by hand or by an import) counts from its creation.
    const bool moved = entered_indicator == soci::i_ok;
    Instant at = decode_instant(moved ? entered_at : created_at, moved ? "events.at" : "cases.created_at", "");
    counts.back().entered_at.push_back(at);
  }
  for (StateCount& count : counts) std::sort(count.entered_at.begin(), count.entered_at.end());
  return counts;
}

}  // namespace sitecycle::sql
