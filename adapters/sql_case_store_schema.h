// The case store's tables, as the migrations that build them: one list per backend, with the
// same versions and names, and tables that the shared statements read alike.
#pragma once

#include "adapters/schema_migrations.h"
#include "adapters/sql_database.h"

#include <span>

namespace sitecycle::sql {

// Every migration this build supports for `backend`, sorted by version. Append new ones to both
// lists. Never edit a released one, because databases that already applied it will not run it
// again.
std::span<const Migration> case_store_migrations(Backend backend);

// The PostgreSQL list, defined in postgresql_case_store_schema.cpp.
std::span<const Migration> postgresql_case_store_migrations();

}  // namespace sitecycle::sql
