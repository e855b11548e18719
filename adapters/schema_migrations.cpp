#include "adapters/schema_migrations.h"

#include "adapters/sql_dialect.h"
#include "adapters/sql_error.h"
#include "adapters/sql_transaction.h"
#include "engine/instant.h"
#include "engine/result.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <string>

namespace sitecycle::sql {

namespace {

constexpr std::string_view kCreateMigrationTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY NOT NULL,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

std::set<int> recorded_versions(soci::session& session) {
  std::set<int> versions;
  int version = 0;
  soci::statement select = (session.prepare << "SELECT version FROM schema_migrations", soci::into(version));
  select.execute();
  while (select.fetch()) versions.insert(version);
  return versions;
}

bool is_recorded(soci::session& session, int version) {
  int count = 0;
  session << "SELECT COUNT(*) FROM schema_migrations WHERE version = :version", soci::use(version, "version"),
      soci::into(count);
  return count > 0;
}

// NOTE: applied_at reads the system clock. It is for people reading the table, and no code
// orders by it.
std::string current_instant_text() {
  return format_instant(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

void apply_one(soci::session& session, const Migration& migration, std::string_view database) {
  Transaction transaction(session, TransactionMode::write, std::string(database));
  // Another process opening the same file may have applied it since the versions were read.
  if (is_recorded(session, migration.version)) return;

  for (std::string_view statement : migration.statements) session << statement;

  const std::string name(migration.name);
  const std::string applied_at = current_instant_text();
  session
      << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:version, :name, :applied_at)",
      soci::use(migration.version, "version"), soci::use(name, "name"), soci::use(applied_at, "applied_at");
  transaction.commit();

  spdlog::info("schema migration applied: database={} version={} name={}", database, migration.version,
               migration.name);
}

// Holds PostgreSQL's migration lock (a session-level advisory lock) while it lives, so that
// nodes starting together apply each migration once, one after another. SQLite's write lock
// does the same for processes opening one file.
class MigrationLock {
 public:
  MigrationLock(soci::session& session, std::string_view database) : session_(session), database_(database) {
    if (backend_of(session_) != Backend::postgresql) return;
    translate_soci_errors({database_, "take the migration lock"},
                          [&] { session_ << "SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")"; });
    held_ = true;
  }
  ~MigrationLock() {
    if (!held_) return;
    try {
      session_ << "SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")";
    } catch (const std::exception& error) {
      spdlog::error("migration lock not released: database=\"{}\" error=\"{}\"", database_, error.what());
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  // "sitemigr" in ASCII, shortened to fit a bigint.
  static constexpr long long kMigrationLockKey = 0x736974656d6967LL;
  soci::session& session_;
  std::string_view database_;
  bool held_ = false;
};

}  // namespace

void apply_migrations(soci::session& session, std::span<const Migration> migrations,
                      std::string_view database) {
  MigrationLock lock(session, database);
  const std::set<int> recorded = translate_soci_errors({database, "read schema_migrations"}, [&] {
    session << kCreateMigrationTable;
    return recorded_versions(session);
  });

  const int newest_known = migrations.empty() ? 0 : migrations.back().version;
  if (!recorded.empty() && *recorded.rbegin() > newest_known) {
    throw StoreError(
        fmt::format("{}: database schema version {} is newer than this sitecycle supports ({}); "
                    "upgrade sitecycle",
                    database, *recorded.rbegin(), newest_known));
  }

  for (const Migration& migration : migrations) {
    if (recorded.contains(migration.version)) continue;
    const std::string operation =
        fmt::format("apply schema migration {} ({})", migration.version, migration.name);
    translate_soci_errors({database, operation}, [&] { apply_one(session, migration, database); });
  }
}

}  // namespace sitecycle::sql
