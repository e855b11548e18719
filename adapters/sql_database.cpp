#include "adapters/sql_database.h"

#include "adapters/sql_error.h"
#include "engine/result.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

namespace sitecycle::sql {

namespace {

// How long a statement waits for a lock held by another connection (this store's reader, or
// another process on the same file) before it fails with "database is locked".
constexpr int kBusyTimeoutMilliseconds = 5000;

[[noreturn]] void throw_open_error(const std::string& path, std::string_view reason) {
  throw StoreError(fmt::format("cannot open SQLite store {}: {}", path, reason));
}

// Rejects a directory, and creates the missing parent directories of a file.
void prepare_database_path(const std::string& path) {
  if (is_in_memory(path)) return;

  const std::filesystem::path file(path);
  std::error_code error;
  if (std::filesystem::is_directory(file, error)) {
    throw_open_error(path, "the path is a directory; give a file path such as <directory>/sitecycle.db");
  }

  const std::filesystem::path parent = file.parent_path();
  if (parent.empty()) return;
  std::filesystem::create_directories(parent, error);
  if (error) {
    throw_open_error(path, fmt::format("cannot create directory {}: {}", parent.string(), error.message()));
  }
}

// SOCI 4.0's SQLite backend reads its connect string as space-separated key=value pairs, unless
// the string contains no '=' at all, in which case the whole string is the file name. Its quoting
// of values is unreliable, so a path with '=' and also a space or a double quote is rejected.
std::string connect_string_for(const std::string& path) {
  if (path.find('=') == std::string::npos) return path;
  if (path.find_first_of(" \"") == std::string::npos) return "db=" + path;
  throw_open_error(path,
                   "SOCI cannot pass a path that contains '=' together with a space or a "
                   "double quote; rename the directory or the file");
}

void apply_pragmas(soci::session& session, const std::string& path) {
  session << "PRAGMA foreign_keys = ON";
  session << fmt::format("PRAGMA busy_timeout = {}", kBusyTimeoutMilliseconds);
  if (is_in_memory(path)) return;

  // WAL lets the store's read connection see the last commit while a writer is busy. SQLite
  // keeps the old mode where the file system cannot support WAL, and the store still works.
  std::string journal_mode;
  session << "PRAGMA journal_mode = WAL", soci::into(journal_mode);
  if (journal_mode != "wal") {
    spdlog::warn("sqlite journal mode not changed: database={} requested=wal actual={}", path, journal_mode);
  }
}

// How long a request waits for a pooled PostgreSQL connection before it fails, and the API
// returns 503.
constexpr int kPoolLeaseTimeoutMilliseconds = 10000;

PGconn* pq_connection(soci::session& session) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
  return backend == nullptr ? nullptr : backend->conn_;
}

// Sends the server's notices ("relation already exists, skipping") to the debug log instead of
// stderr, where libpq prints them by default.
void log_notice(void*, const char* message) { spdlog::debug("postgresql notice: {}", message); }

// How long a transaction may sit idle before the server ends it. A node that vanished mid-
// transaction (a network fault the server has not noticed) would otherwise hold the event-log
// lock, and stall every node, until TCP gives up.
constexpr std::string_view kIdleInTransactionTimeout = "60s";
// How long a statement waits for a lock, the event-log lock included, before it fails and the
// request gets 503, instead of waiting without end behind a stuck transaction.
constexpr std::string_view kLockTimeout = "30s";

// Routes notices to the log and sets the session's time limits. Runs on every new or reopened
// connection.
void prepare_pooled_session(soci::session& session) {
  if (PGconn* connection = pq_connection(session)) PQsetNoticeProcessor(connection, log_notice, nullptr);
  session << fmt::format("SET idle_in_transaction_session_timeout = '{}'", kIdleInTransactionTimeout);
  session << fmt::format("SET lock_timeout = '{}'", kLockTimeout);
}

bool answers_ping(soci::session& session) {
  try {
    session << "SELECT 1";
    return true;
  } catch (const soci::soci_error&) {
    return false;
  }
}

// The options libpq reads from `url`, as keyword and value. Throws StoreError when it does not
// parse.
std::vector<std::pair<std::string, std::string>> postgresql_options(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string reason = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    throw StoreError(fmt::format("cannot open PostgreSQL store: the URL is not valid ({}); write it as "
                                 "postgresql://USER@HOST:PORT/DATABASE",
                                 reason));
  }
  std::vector<std::pair<std::string, std::string>> set;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr && *option->val != '\0') set.emplace_back(option->keyword, option->val);
  }
  PQconninfoFree(options);
  return set;
}

// Returns what to try when a connection fails with `message` from libpq, or "" for no hint.
std::string_view connection_hint(std::string_view message) {
  if (message.find("password") != std::string_view::npos) {
    return " Hint: put the password in the password file (~/.pgpass or the file PGPASSFILE names, mode 0600) or in "
           "PGPASSWORD, and check the user name.";
  }
  if (message.find("connection slots") != std::string_view::npos || message.find("too many") != std::string_view::npos) {
    return " Hint: the server has no connections left; lower --db-pool on the nodes or raise max_connections.";
  }
  if (message.find("does not exist") != std::string_view::npos) {
    return " Hint: create the role or the database first (createuser, createdb), or fix its name in the URL.";
  }
  if (message.find("Connection refused") != std::string_view::npos || message.find("translate host") != std::string_view::npos) {
    return " Hint: check that PostgreSQL runs and listens on that host and port.";
  }
  return "";
}

// "PostgreSQL store HOST:PORT/DBNAME", so that no password reaches a message or a log.
std::string postgresql_label(const std::string& url) {
  // Without a host, libpq connects through the local socket.
  std::string host = "local socket", port = "5432", database;
  for (const auto& [keyword, value] : postgresql_options(url)) {
    if (keyword == "host" || keyword == "hostaddr") host = value;
    if (keyword == "port") port = value;
    if (keyword == "dbname") database = value;
  }
  return fmt::format("PostgreSQL store {}:{}/{}", host, port, database);
}

}  // namespace

bool is_in_memory(std::string_view path) { return path == ":memory:"; }

std::string postgresql_connect_string(const std::string& url) {
  std::string connect_string;
  for (const auto& [keyword, value] : postgresql_options(url)) {
    if (value.find_first_of(" '\"\\") != std::string::npos) {
      throw StoreError(fmt::format("cannot open {}: the value of {} contains a space, a quote or a backslash, which "
                                   "SOCI cannot pass to libpq; choose another value",
                                   postgresql_label(url), keyword));
    }
    if (!connect_string.empty()) connect_string += ' ';
    connect_string += keyword + "=" + value;
  }
  return connect_string;
}

std::optional<DatabaseTarget> parse_database_target(std::string_view text) {
  constexpr std::string_view kSqlitePrefix = "sqlite:";
  if (text.starts_with(kSqlitePrefix)) {
    return DatabaseTarget{Backend::sqlite, std::string(text.substr(kSqlitePrefix.size()))};
  }
  if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
    return DatabaseTarget{Backend::postgresql, std::string(text)};
  }
  return std::nullopt;
}

Database::Database(const DatabaseTarget& target)
    : backend_(target.backend),
      location_(target.location),
      path_(target.backend == Backend::sqlite ? target.location : std::string()) {
  if (backend_ == Backend::sqlite) {
    open_sqlite();
  } else {
    if (target.pool_size < 1) {
      throw StoreError(fmt::format("cannot open PostgreSQL store: the pool size {} is below 1", target.pool_size));
    }
    pool_size_ = static_cast<std::size_t>(target.pool_size);
    open_postgresql();
  }
}

Database::~Database() = default;

void Database::open_sqlite() {
  label_ = "SQLite store " + path_;
  if (path_.empty()) throw StoreError("cannot open SQLite store: the database path is empty");
  const std::string connect_string = connect_string_for(path_);
  prepare_database_path(path_);

  auto open_one = [&] {
    auto connection = std::make_unique<SqliteConnection>();
    try {
      connection->session.open(*soci::factory_sqlite3(), connect_string);
      apply_pragmas(connection->session, path_);
    } catch (const soci::soci_error& error) {
      throw_open_error(path_, error.get_error_message());
    }
    return connection;
  };
  sqlite_writer_ = open_one();
  if (!is_in_memory(path_)) sqlite_reader_ = open_one();
}

void Database::open_postgresql() {
  label_ = postgresql_label(location_);
  const std::string connect_string = postgresql_connect_string(location_);
  pool_ = std::make_unique<soci::connection_pool>(pool_size_);
  checked_generation_.assign(pool_size_, 0);
  for (std::size_t position = 0; position < pool_size_; ++position) {
    try {
      pool_->at(position).open(*soci::factory_postgresql(), connect_string);
      prepare_pooled_session(pool_->at(position));
    } catch (const soci::soci_error& error) {
      const std::string message = single_line(error.get_error_message());
      throw StoreError(fmt::format("cannot open {}: {}{}", label_, message, connection_hint(message)));
    }
  }
}

Database::SqliteConnection& Database::sqlite_connection(Purpose purpose) {
  if (purpose == Purpose::read && sqlite_reader_) return *sqlite_reader_;
  return *sqlite_writer_;
}

void Database::refresh_pooled(std::size_t position) {
  soci::session& session = pool_->at(position);
  const std::uint64_t generation = breakage_generation_.load();
  bool healthy = PQstatus(pq_connection(session)) == CONNECTION_OK;
  // When another connection broke since this one was last checked, the server may have
  // restarted, which a connection learns only when it next talks to the server.
  if (healthy && checked_generation_[position] < generation) healthy = answers_ping(session);
  if (!healthy) {
    try {
      session.reconnect();
      prepare_pooled_session(session);
      spdlog::info("postgresql connection reopened: database=\"{}\" position={}", label_, position);
    } catch (const soci::soci_error& error) {
      throw StoreError(fmt::format("{}: the connection was lost and cannot be reopened: {}", label_,
                                   single_line(error.get_error_message())));
    }
  }
  checked_generation_[position] = generation;
}

void Database::inspect_pooled(std::size_t position) {
  PGconn* connection = pq_connection(pool_->at(position));
  if (connection != nullptr && PQstatus(connection) == CONNECTION_OK) {
    if (PQtransactionStatus(connection) == PQTRANS_IDLE) return;
    // A unit of work ended without COMMIT or ROLLBACK reaching the server; end it here so that
    // the next lease does not inherit it.
    try {
      pool_->at(position) << "ROLLBACK";
      return;
    } catch (const soci::soci_error&) {
    }
  }
  breakage_generation_.fetch_add(1);
  spdlog::warn("postgresql connection lost: database=\"{}\" position={}", label_, position);
}

Database::Lock::Lock(Database& database, Purpose purpose) : database_(database) {
  if (database_.backend_ == Backend::sqlite) {
    SqliteConnection& connection = database_.sqlite_connection(purpose);
    if (connection.owner.load() == std::this_thread::get_id()) {
      throw StoreError(
          fmt::format("{}: this thread already holds the connection, so waiting for it would deadlock; read "
                      "through the open transaction, or commit or destroy it first",
                      database_.label_));
    }
    sqlite_lock_ = std::unique_lock<std::mutex>(connection.mutex);
    connection.owner.store(std::this_thread::get_id());
    sqlite_ = &connection;
    session_ = &connection.session;
    return;
  }

  std::size_t position = 0;
  if (!database_.pool_->try_lease(position, kPoolLeaseTimeoutMilliseconds)) {
    throw StoreError(fmt::format("{}: all {} pooled connections stayed busy for {} ms; raise --db-pool or "
                                 "add nodes",
                                 database_.label_, database_.pool_size_, kPoolLeaseTimeoutMilliseconds));
  }
  pool_position_ = position;
  try {
    database_.refresh_pooled(position);
  } catch (...) {
    database_.pool_->give_back(position);
    pool_position_.reset();
    throw;
  }
  session_ = &database_.pool_->at(position);
}

Database::Lock::~Lock() { release(); }

void Database::Lock::release() {
  if (sqlite_ != nullptr) {
    sqlite_->owner.store(std::thread::id{});
    sqlite_lock_.unlock();
    sqlite_ = nullptr;
  }
  if (pool_position_) {
    database_.inspect_pooled(*pool_position_);
    database_.pool_->give_back(*pool_position_);
    pool_position_.reset();
  }
  session_ = nullptr;
}

}  // namespace sitecycle::sql
