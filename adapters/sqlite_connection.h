// One SQLite connection through SOCI, opened with the pragmas the case store relies on.
//
// Thread-safety: a SOCI session is not thread-safe, so every use goes through a Connection::Lock,
// which gives one thread exclusive use until the lock is destroyed.
#pragma once

#include <soci/session.h>

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace sitecycle::sqlite {

// True for ":memory:", which SQLite opens as a private database that lives as long as the
// connection. Every other path names a file.
bool is_in_memory(std::string_view path);

class Connection {
 public:
  // Opens the database at `path` (a file path or ":memory:"), creating the file and its parent
  // directories when missing, then sets foreign_keys=ON and busy_timeout, and WAL journal mode
  // for files. Throws StoreError naming the path when any step fails.
  explicit Connection(const std::string& path);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& path() const { return path_; }

  class Lock {
   public:
    // Waits for other threads to release the connection. Throws StoreError when the calling
    // thread already holds it, because waiting would deadlock.
    explicit Lock(Connection& connection);
    ~Lock();

    // Gives the connection up before destruction. session() must not be called afterwards.
    void release();

    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

    soci::session& session() { return connection_.session_; }
    // Valid after release() too.
    const std::string& path() const { return connection_.path_; }

   private:
    Connection& connection_;
    std::unique_lock<std::mutex> lock_;
  };

 private:
  const std::string path_;
  soci::session session_;
  std::mutex mutex_;
  // The thread holding a Lock, or a default id. Read only to detect a thread locking twice.
  std::atomic<std::thread::id> owner_{};
};

}  // namespace sitecycle::sqlite
