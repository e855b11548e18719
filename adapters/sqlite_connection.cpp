#include "adapters/sqlite_connection.h"

#include "engine/result.h"

#include <fmt/format.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

namespace sitecycle::sqlite {

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

}  // namespace

bool is_in_memory(std::string_view path) { return path == ":memory:"; }

Connection::Connection(const std::string& path) : path_(path) {
  if (path_.empty()) throw StoreError("cannot open SQLite store: the database path is empty");
  const std::string connect_string = connect_string_for(path_);
  prepare_database_path(path_);

  try {
    session_.open(*soci::factory_sqlite3(), connect_string);
    apply_pragmas(session_, path_);
  } catch (const soci::soci_error& error) {
    throw_open_error(path_, error.get_error_message());
  }
}

Connection::Lock::Lock(Connection& connection)
    : connection_(connection), lock_(connection.mutex_, std::defer_lock) {
  if (connection_.owner_.load() == std::this_thread::get_id()) {
    throw StoreError(
        fmt::format("SQLite store {}: this thread already holds the connection, so waiting for it would "
                    "deadlock; read through the open transaction, or commit or destroy it first",
                    connection_.path_));
  }
  lock_.lock();
  connection_.owner_.store(std::this_thread::get_id());
}

Connection::Lock::~Lock() { release(); }

void Connection::Lock::release() {
  if (!lock_.owns_lock()) return;
  connection_.owner_.store(std::thread::id{});
  lock_.unlock();
}

}  // namespace sitecycle::sqlite
