// The few places where SQLite and PostgreSQL need different SQL. Every other statement of the
// stores is written once, in the common subset of both.
#pragma once

#include "adapters/sql_database.h"

#include <soci/session.h>

#include <string>
#include <string_view>

namespace sitecycle::sql {

// The backend `session` is connected to.
Backend backend_of(soci::session& session);

// A text field at the top level of a JSON text column, as an SQL expression.
std::string json_text_field(Backend backend, std::string_view column, std::string_view field);

// A condition that holds when any top-level value of the JSON object in `column` is the string
// bound to `parameter`.
std::string json_has_text_value(Backend backend, std::string_view column, std::string_view parameter);

// A condition that holds when the lower-cased text of any top-level string value of the JSON
// object in `column` matches the LIKE pattern bound to `parameter` (with '\\' as escape).
std::string json_text_value_like(Backend backend, std::string_view column, std::string_view parameter);

// The column that orders a case's documents by upload within one second.
std::string_view document_upload_order(Backend backend);

// Appended to a SELECT that claims rows for this unit of work: on PostgreSQL the rows stay locked
// until commit, and other nodes skip them instead of waiting.
std::string_view claim_rows(Backend backend);

// Appended to a SELECT whose rows this unit of work will update: on PostgreSQL the rows stay
// locked until commit, and other writers wait. SQLite's write lock covers the whole file already.
std::string_view lock_rows(Backend backend);

}  // namespace sitecycle::sql
