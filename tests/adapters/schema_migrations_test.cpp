#include "adapters/schema_migrations.h"

#include "engine/result.h"
#include "temp_directory.h"

#include <catch2/catch.hpp>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

using namespace sitecycle;
using Catch::Matchers::Contains;
using sitecycle::testing::TempDirectory;

namespace {

// CREATE TABLE without IF NOT EXISTS fails when run twice, so a migration applied again shows.
constexpr std::string_view kCreateParcels[] = {"CREATE TABLE parcels (id TEXT PRIMARY KEY)"};
constexpr std::string_view kCreateSurveys[] = {"CREATE TABLE surveys (id TEXT PRIMARY KEY)",
                                               "CREATE INDEX surveys_by_id ON surveys (id)"};
constexpr std::string_view kBrokenMigration[] = {"CREATE TABLE permits (id TEXT PRIMARY KEY)",
                                                 "CREATE TABLE permits (id TEXT PRIMARY KEY)"};

const sql::Migration kParcels{1, "create parcels", kCreateParcels};
const sql::Migration kSurveys{2, "create surveys", kCreateSurveys};
const sql::Migration kBroken{2, "create permits twice", kBrokenMigration};

std::vector<int> recorded_versions(soci::session& session) {
  std::vector<int> versions;
  int version = 0;
  soci::statement select =
      (session.prepare << "SELECT version FROM schema_migrations ORDER BY version", soci::into(version));
  select.execute();
  while (select.fetch()) versions.push_back(version);
  return versions;
}

bool table_exists(soci::session& session, const std::string& name) {
  int count = 0;
  session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :name",
      soci::use(name, "name"), soci::into(count);
  return count > 0;
}

}  // namespace

TEST_CASE("apply_migrations runs only missing ones", "[sqlite]") {
  TempDirectory directory;
  soci::session session(*soci::factory_sqlite3(), directory.file("migrations.db"));

  const sql::Migration first_release[] = {kParcels};
  sql::apply_migrations(session, first_release, "migrations.db");
  CHECK(recorded_versions(session) == std::vector<int>{1});

  const sql::Migration second_release[] = {kParcels, kSurveys};
  sql::apply_migrations(session, second_release, "migrations.db");
  sql::apply_migrations(session, second_release, "migrations.db");
  CHECK(recorded_versions(session) == std::vector<int>{1, 2});
  CHECK(table_exists(session, "parcels"));
  CHECK(table_exists(session, "surveys"));
}

TEST_CASE("failed migration leaves no trace", "[sqlite]") {
  TempDirectory directory;
  soci::session session(*soci::factory_sqlite3(), directory.file("migrations.db"));

  const sql::Migration release[] = {kParcels, kBroken};
  CHECK_THROWS_WITH(sql::apply_migrations(session, release, "migrations.db"),
                    Contains("apply schema migration 2 (create permits twice)"));
  CHECK(recorded_versions(session) == std::vector<int>{1});
  CHECK(table_exists(session, "parcels"));
  CHECK_FALSE(table_exists(session, "permits"));
}

TEST_CASE("apply_migrations rejects a newer database", "[sqlite]") {
  TempDirectory directory;
  soci::session session(*soci::factory_sqlite3(), directory.file("migrations.db"));
  const sql::Migration newer_release[] = {kParcels, kSurveys};
  sql::apply_migrations(session, newer_release, "migrations.db");

  const sql::Migration older_release[] = {kParcels};
  CHECK_THROWS_AS(sql::apply_migrations(session, older_release, "migrations.db"), StoreError);
  CHECK_THROWS_WITH(
      sql::apply_migrations(session, older_release, "migrations.db"),
      Contains("database schema version 2 is newer than this sitecycle supports (1); upgrade sitecycle"));
}
