// Versioned schema changes, recorded in the database they changed.
//
// The table schema_migrations(version, name, applied_at) has one row per applied migration.
// Opening a database applies the known migrations that have no row, in version order, each in
// its own write transaction together with its row, so a failed migration leaves neither.
#pragma once

#include <soci/session.h>

#include <span>
#include <string_view>

namespace sitecycle::sql {

struct Migration {
  int version = 0;  // 1, 2, 3 ...; never renumbered once released
  std::string_view name;
  // Run in order. SOCI 4.0's SQLite backend prepares only the first SQL statement of a string
  // and ignores the rest, so each entry contains exactly one.
  std::span<const std::string_view> statements;
};

// Applies the migrations that `session`'s database has not recorded. `migrations` must be sorted
// by version, without duplicates. `database` names the store in messages.
//
// Throws StoreError when the database records a version newer than the last of `migrations`,
// because this build would misread a schema it does not know, and when a migration fails.
void apply_migrations(soci::session& session, std::span<const Migration> migrations,
                      std::string_view database);

}  // namespace sitecycle::sql
