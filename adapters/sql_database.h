// Where the SQL stores get their SOCI sessions: an SQLite file, or a PostgreSQL server through a
// pool of connections.
//
// SQLite: one connection for writes and one for reads (reads see the last commit and do not wait
// for a writer). ":memory:" has a single connection, because SQLite gives every connection its
// own in-memory database. Connections are opened with foreign_keys=ON and busy_timeout, files in
// WAL journal mode.
//
// PostgreSQL: a pool of `pool_size` connections, shared by reads and writes. A connection that
// the server dropped (a restart, a network fault) is noticed when its lease ends. The connections
// leased after that are checked and reopened before use, so a node recovers without manual
// action once the server is back. The statements in flight at the fault fail.
//
// Thread-safety: a SOCI session is not thread-safe, so every use goes through a Database::Lock,
// which gives one thread exclusive use of one session until the lock is destroyed.
#pragma once

#include <soci/session.h>

#include <atomic>
#include <cstdint>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace soci {
class connection_pool;
}

namespace sitecycle::sql {

enum class Backend { sqlite, postgresql };

// True for ":memory:", which SQLite opens as a private database that lives as long as the
// connection. Every other path names a file.
bool is_in_memory(std::string_view path);

// The store a --db option names: "sqlite:PATH", or a PostgreSQL URL ("postgresql://..." or
// "postgres://...", passed to libpq as it is).
struct DatabaseTarget {
  Backend backend = Backend::sqlite;
  std::string location;  // the SQLite path, or the PostgreSQL URL
  int pool_size = 8;     // PostgreSQL connections; SQLite ignores it
};

// Parses a --db value. nullopt when it names neither backend.
std::optional<DatabaseTarget> parse_database_target(std::string_view text);

// The libpq key=value connect string for a PostgreSQL URL. SOCI 4.0 reads its connect string as
// space-separated key=value pairs and mangles a URL, so the stores never hand it one. Throws
// StoreError when the URL does not parse, or when a value contains a space, a quote or a
// backslash, which SOCI cannot pass on.
std::string postgresql_connect_string(const std::string& url);

// The use of a leased session. SQLite gives reads their own connection, and PostgreSQL ignores it.
enum class Purpose { read, write };

class Database {
 private:
  // One SQLite connection and the thread that has it locked.
  struct SqliteConnection {
    soci::session session;
    std::mutex mutex;
    // The thread holding a Lock, or a default id. Read only to detect a thread locking twice.
    std::atomic<std::thread::id> owner{};
  };

 public:
  // Opens the target. For SQLite it creates the file and its parent directories when missing.
  // Throws StoreError naming the target (never a password) when it cannot be opened.
  explicit Database(const DatabaseTarget& target);
  ~Database();

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const { return backend_; }
  // Names the store in messages: "SQLite store var/sitecycle.db", "PostgreSQL store
  // 127.0.0.1:5432/sitecycle".
  const std::string& label() const { return label_; }
  // The SQLite path, or "" for PostgreSQL.
  const std::string& path() const { return path_; }

  class Lock {
   public:
    // Waits for a session. Throws StoreError when the calling thread has already locked the
    // SQLite connection it requests (waiting would deadlock), when no pooled PostgreSQL
    // connection frees up within the lease timeout, or when a dropped connection cannot be
    // reopened.
    Lock(Database& database, Purpose purpose);
    ~Lock();

    // Gives the session up before destruction. session() must not be called afterwards.
    void release();

    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

    soci::session& session() { return *session_; }
    // Valid after release() too.
    const std::string& label() const { return database_.label_; }

   private:
    Database& database_;
    soci::session* session_ = nullptr;
    SqliteConnection* sqlite_ = nullptr;  // set for SQLite
    std::unique_lock<std::mutex> sqlite_lock_;
    std::optional<std::size_t> pool_position_;  // set for PostgreSQL
  };

 private:
  void open_sqlite();
  void open_postgresql();
  SqliteConnection& sqlite_connection(Purpose purpose);
  // Checks a leased PostgreSQL connection and reopens it when the server dropped it.
  void refresh_pooled(std::size_t position);
  // Notes whether a PostgreSQL connection broke while it was leased.
  void inspect_pooled(std::size_t position);

  const Backend backend_;
  const std::string location_;
  const std::string path_;
  std::string label_;

  std::unique_ptr<SqliteConnection> sqlite_writer_;
  std::unique_ptr<SqliteConnection> sqlite_reader_;  // null for ":memory:"

  std::unique_ptr<soci::connection_pool> pool_;
  std::size_t pool_size_ = 0;
  // Bumped whenever a pooled connection is found broken. A connection checked before the last
  // bump is checked again before its next use, since the others broke with it.
  std::atomic<std::uint64_t> breakage_generation_{0};
  std::vector<std::uint64_t> checked_generation_;  // per position; guarded by the lease
};

}  // namespace sitecycle::sql
