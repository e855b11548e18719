#include "adapters/sql_case_table.h"

#include "adapters/sql_case_scope.h"
#include "adapters/sql_dialect.h"
#include "adapters/sql_cells.h"
#include "adapters/sql_statement.h"

#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <array>
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

// The light ranks of CaseListing::light, worst highest; deadline statuses map onto them.
constexpr std::array<std::pair<DeadlineLight, int>, 5> kLightRanks{{
    {DeadlineLight::none, 0},
    {DeadlineLight::grey, 1},
    {DeadlineLight::green, 2},
    {DeadlineLight::yellow, 3},
    {DeadlineLight::red, 4},
}};

int light_rank(DeadlineLight light) {
  for (const auto& [known, rank] : kLightRanks) {
    if (known == light) return rank;
  }
  return 0;
}

DeadlineLight light_of_rank(long long rank) {
  for (const auto& [known, known_rank] : kLightRanks) {
    if (known_rank == rank) return known;
  }
  return DeadlineLight::none;
}

// The columns a listing adds, computed per case. Instants are fixed-width UTC text, so MAX and
// MIN order them. Steps that keep the state (from_state = to_state) do not enter it.
constexpr std::string_view kListingColumns =
    "COALESCE((SELECT MAX(events.at) FROM events WHERE events.case_id = cases.id AND events.to_state = cases.state"
    " AND events.from_state <> events.to_state), cases.created_at) AS state_entered_at,"
    " COALESCE((SELECT MAX(CASE timed.status WHEN 'breached' THEN 4 WHEN 'escalated' THEN 4 WHEN 'warned' THEN 3"
    " WHEN 'armed' THEN 2 WHEN 'paused' THEN 1 ELSE 0 END) FROM deadlines timed WHERE timed.case_id = cases.id), 0)"
    " AS light_rank,"
    " (SELECT MIN(due.due_at) FROM deadlines due WHERE due.case_id = cases.id"
    " AND due.status NOT IN ('met', 'cancelled')) AS next_due_at";

// "(workflow_id = :PREFIX_workflow_0 AND state = :PREFIX_state_0) OR ..." for `count` states.
std::string states_condition(std::size_t count, std::string_view prefix) {
  std::vector<std::string> states;
  for (std::size_t index = 0; index < count; ++index) {
    states.push_back(fmt::format("(workflow_id = :{0}_workflow_{1} AND state = :{0}_state_{1})", prefix, index));
  }
  return fmt::format("({})", fmt::join(states, " OR "));
}

void bind_states(soci::statement& statement, const std::vector<WorkflowState>& states, std::string_view prefix) {
  for (std::size_t index = 0; index < states.size(); ++index) {
    statement.exchange(soci::use(states[index].workflow_id, fmt::format("{}_workflow_{}", prefix, index)));
    statement.exchange(soci::use(states[index].state, fmt::format("{}_state_{}", prefix, index)));
  }
}

// The conditions on the columns of `cases`. bind_filters binds the parameters they name.
std::vector<std::string> case_conditions(Backend backend, const CaseQuery& query) {
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
  if (query.party_org) {
    conditions.emplace_back(
        "(EXISTS (SELECT 1 FROM case_parties party WHERE party.case_id = cases.id AND party.org_id = :party_org)"
        " OR EXISTS (SELECT 1 FROM events acted WHERE acted.case_id = cases.id AND acted.actor_org = :party_actor_org))");
  }
  if (!query.any_of_states.empty()) conditions.push_back(states_condition(query.any_of_states.size(), "any"));
  if (query.waiting_role) {
    std::string deadline =
        "EXISTS (SELECT 1 FROM deadlines waiting WHERE waiting.case_id = cases.id AND waiting.responsible = :waiting_role"
        " AND waiting.status NOT IN ('met', 'cancelled'))";
    if (query.waiting_states.empty()) {
      conditions.push_back(std::move(deadline));
    } else {
      conditions.push_back(
          fmt::format("({} OR {})", states_condition(query.waiting_states.size(), "waiting"), deadline));
    }
  }
  if (query.created) conditions.emplace_back("created_at >= :created_from AND created_at < :created_until");
  std::string scope = case_scope_condition(backend, query.scope, "cases.id");
  if (!scope.empty()) conditions.push_back(std::move(scope));
  return conditions;
}

// The conditions on the listing columns, which only the outer query can filter on.
std::vector<std::string> listing_conditions(const CaseQuery& query) {
  std::vector<std::string> conditions;
  if (query.light) conditions.emplace_back("light_rank = :light_rank");
  if (query.state_entered) {
    conditions.emplace_back("state_entered_at >= :entered_from AND state_entered_at < :entered_until");
  }
  return conditions;
}

std::string where_clause(const std::vector<std::string>& conditions) {
  if (conditions.empty()) return "";
  return fmt::format(" WHERE {}", fmt::join(conditions, " AND "));
}

// The cases matching the query with their listing columns, as a derived table named `listed`.
std::string listing_source(Backend backend, const CaseQuery& query) {
  return fmt::format("(SELECT {}, {} FROM cases{}) AS listed{}", kCaseColumns, kListingColumns,
                     where_clause(case_conditions(backend, query)), where_clause(listing_conditions(query)));
}

std::string order_clause(const CaseQuery& query) {
  const std::string_view direction = query.descending ? " DESC" : "";
  switch (query.order) {
    case CaseOrder::updated_at:
      return fmt::format(" ORDER BY updated_at{}, id", direction);
    case CaseOrder::id:
      return fmt::format(" ORDER BY id{}", direction);
    case CaseOrder::state_entered_at:
      return fmt::format(" ORDER BY state_entered_at{}, id", direction);
    case CaseOrder::next_due_at:
      return fmt::format(" ORDER BY (CASE WHEN next_due_at IS NULL THEN 1 ELSE 0 END), next_due_at{}, id",
                         direction);
    case CaseOrder::created_at:
      break;
  }
  return fmt::format(" ORDER BY created_at{}, id", direction);
}

// The parameters a query binds, kept alive while its statement runs.
struct FilterValues {
  std::string text_pattern;
  long long light_rank = 0;
  std::string created_from;
  std::string created_until;
  std::string entered_from;
  std::string entered_until;
};

FilterValues filter_values(const CaseQuery& query) {
  FilterValues values;
  values.text_pattern = contains_pattern(query.text.value_or(""));
  if (query.light) values.light_rank = light_rank(*query.light);
  if (query.created) {
    values.created_from = format_instant(query.created->from);
    values.created_until = format_instant(query.created->until);
  }
  if (query.state_entered) {
    values.entered_from = format_instant(query.state_entered->from);
    values.entered_until = format_instant(query.state_entered->until);
  }
  return values;
}

void bind_filters(soci::statement& statement, const CaseQuery& query, const FilterValues& values) {
  if (query.workflow_id) statement.exchange(soci::use(*query.workflow_id, "workflow_id"));
  if (query.state) statement.exchange(soci::use(*query.state, "state"));
  if (query.district) statement.exchange(soci::use(*query.district, "district"));
  if (query.text) {
    statement.exchange(soci::use(values.text_pattern, "text_in_id"));
    statement.exchange(soci::use(values.text_pattern, "text_in_data"));
  }
  if (query.party_org) {
    statement.exchange(soci::use(*query.party_org, "party_org"));
    statement.exchange(soci::use(*query.party_org, "party_actor_org"));
  }
  bind_states(statement, query.any_of_states, "any");
  if (query.waiting_role) {
    bind_states(statement, query.waiting_states, "waiting");
    statement.exchange(soci::use(*query.waiting_role, "waiting_role"));
  }
  if (query.created) {
    statement.exchange(soci::use(values.created_from, "created_from"));
    statement.exchange(soci::use(values.created_until, "created_until"));
  }
  bind_case_scope(statement, query.scope);
  if (query.light) statement.exchange(soci::use(values.light_rank, "light_rank"));
  if (query.state_entered) {
    statement.exchange(soci::use(values.entered_from, "entered_from"));
    statement.exchange(soci::use(values.entered_until, "entered_until"));
  }
}

long long count_cases(soci::session& session, const CaseQuery& query) {
  long long total = 0;
  soci::statement count(session);
  count.exchange(soci::into(total));
  const FilterValues values = filter_values(query);
  bind_filters(count, query, values);
  prepare_statement(count, "SELECT COUNT(*) FROM " + listing_source(backend_of(session), query));
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

Page<ListedCase> list_case_listings(soci::session& session, const CaseQuery& query) {
  Page<ListedCase> page;
  page.total = count_cases(session, query);
  if (query.limit < 1) return page;

  const long long limit = query.limit;
  const long long offset = std::max<std::int64_t>(query.offset, 0);
  CaseRow row;
  std::string state_entered_at;
  long long rank = 0;
  std::string next_due_at;
  soci::indicator next_due_indicator = soci::i_null;
  soci::statement select(session);
  exchange_into_row(select, row);
  select.exchange(soci::into(state_entered_at));
  select.exchange(soci::into(rank));
  select.exchange(soci::into(next_due_at, next_due_indicator));
  const FilterValues values = filter_values(query);
  bind_filters(select, query, values);
  select.exchange(soci::use(limit, "limit"));
  select.exchange(soci::use(offset, "offset"));
  prepare_statement(select, fmt::format("SELECT {}, state_entered_at, light_rank, next_due_at FROM {}{} LIMIT :limit"
                                        " OFFSET :offset",
                                        kCaseColumns, listing_source(backend_of(session), query), order_clause(query)));

  select.execute();
  while (select.fetch()) {
    ListedCase listed{decode_case(row), {}};
    listed.listing.state_entered_at = decode_instant(state_entered_at, "events.at", row.id);
    listed.listing.light = light_of_rank(rank);
    if (next_due_indicator == soci::i_ok) {
      listed.listing.next_due_at = decode_instant(next_due_at, "deadlines.due_at", row.id);
    }
    page.items.push_back(std::move(listed));
  }
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
