// Statements on the cases and case_counters tables. Each function runs on a session its caller
// has locked, inside the caller's transaction if any, and throws soci::soci_error on database
// failures and StoreError on cells that do not decode.
#pragma once

#include "engine/case_store.h"

#include <soci/session.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace sitecycle::sql {

std::optional<StoredCase> find_case(soci::session& session, std::string_view case_id);

// Whether the case exists and is in `scope`.
bool case_in_scope(soci::session& session, std::string_view case_id, const CaseScope& scope);

// Throws soci::soci_error when the id is taken.
void insert_case(soci::session& session, const StoredCase& stored_case);

// Writes every column but id, workflow_id and created_at, if the row's version is still
// `expected_version`. Returns whether a row changed.
bool update_case(soci::session& session, const StoredCase& stored_case, std::int64_t expected_version);

// Filters and orders by the query, and counts every matching row in `total`. A limit below 1
// returns no items and a negative offset counts as 0.
Page<ListedCase> list_case_listings(soci::session& session, const CaseQuery& query);

// Returns the workflow's counter, starting at 1, and increments it.
std::int64_t next_case_number(soci::session& session, std::string_view workflow_id);

// See CaseStore::cases_by_state.
std::vector<StateCount> cases_by_state(soci::session& session, const CaseScope& scope);

}  // namespace sitecycle::sql
