// The SQL condition that keeps a query to the cases of a CaseScope, shared by the case and
// deadline lists.
#pragma once

#include "adapters/sql_database.h"
#include "engine/case_store.h"

#include <soci/statement.h>

#include <string>
#include <string_view>

namespace sitecycle::sql {

// A parenthesised condition on `case_id_column` that holds for cases in `scope`, or "" when the
// scope is unrestricted. bind_case_scope binds the parameters it names.
std::string case_scope_condition(Backend backend, const CaseScope& scope, std::string_view case_id_column);

// `scope` must outlive the statement's execution.
void bind_case_scope(soci::statement& statement, const CaseScope& scope);

}  // namespace sitecycle::sql
