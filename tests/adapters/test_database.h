// The database a store test runs on, so that one contract suite covers both backends.
//
// SQLite by default: a file in a fresh folder. When the environment variable
// SITECYCLE_TEST_BACKEND is "postgresql": a fresh database on the server that
// SITECYCLE_TEST_POSTGRESQL names (./test.sh starts a throwaway one), dropped when the test ends.
#pragma once

#include "adapters/sql_case_store.h"
#include "adapters/sql_database.h"
#include "temp_directory.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

namespace sitecycle::testing {

class TestDatabase {
 public:
  TestDatabase() {
    const char* backend = std::getenv("SITECYCLE_TEST_BACKEND");
    if (backend == nullptr || std::string(backend) != "postgresql") {
      target_ = {sql::Backend::sqlite, directory_.file("cases.db")};
      return;
    }
    const char* server = std::getenv("SITECYCLE_TEST_POSTGRESQL");
    if (server == nullptr || *server == '\0') {
      throw std::runtime_error(
          "SITECYCLE_TEST_BACKEND=postgresql needs SITECYCLE_TEST_POSTGRESQL, the URL of a server to create test "
          "databases on; run ./test.sh, which starts a throwaway PostgreSQL");
    }
    server_url_ = server;
    name_ = "sitecycle_test_" + random_suffix();
    soci::session admin(*soci::factory_postgresql(), sql::postgresql_connect_string(server_url_));
    admin << "CREATE DATABASE " + name_;
    target_ = {sql::Backend::postgresql, server_url_.substr(0, server_url_.rfind('/') + 1) + name_, 4};
  }

  ~TestDatabase() {
    if (name_.empty()) return;
    try {
      soci::session admin(*soci::factory_postgresql(), sql::postgresql_connect_string(server_url_));
      admin << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
    } catch (const std::exception&) {
      // The throwaway server is removed after the run anyway.
    }
  }

  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const sql::DatabaseTarget& target() const { return target_; }
  bool is_postgresql() const { return target_.backend == sql::Backend::postgresql; }

  // A new connection (or pool) to the database, as one server process would have.
  std::shared_ptr<sql::Database> open() const { return std::make_shared<sql::Database>(target_); }
  std::unique_ptr<SqlCaseStore> open_case_store() const { return std::make_unique<SqlCaseStore>(open()); }

  // A SOCI session that bypasses the adapter, for checks on the tables themselves.
  std::unique_ptr<soci::session> raw_session() const {
    if (is_postgresql()) {
      return std::make_unique<soci::session>(*soci::factory_postgresql(),
                                             sql::postgresql_connect_string(target_.location));
    }
    return std::make_unique<soci::session>(*soci::factory_sqlite3(), target_.location);
  }

  // The store's name in error messages: the SQLite path or the PostgreSQL database.
  std::string name_in_messages() const { return is_postgresql() ? name_ : target_.location; }

 private:
  static std::string random_suffix() {
    std::random_device device;
    std::uniform_int_distribution<unsigned long long> digits;
    return std::to_string(digits(device));
  }

  TempDirectory directory_;
  std::string server_url_;
  std::string name_;
  sql::DatabaseTarget target_;
};

}  // namespace sitecycle::testing
