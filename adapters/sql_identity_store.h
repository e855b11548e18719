// The identity store on SQLite or PostgreSQL, in the same database as the case store. Opening it
// applies the same schema migrations as SqlCaseStore, so either may open a new database first.
//
// Thread-safety: every member may be called from any thread. On SQLite calls are serialised on
// one connection; on PostgreSQL each takes a pooled one. Sign-in checks are short reads.
#pragma once

#include "adapters/sql_database.h"
#include "engine/identity_store.h"

#include <memory>
#include <string>

namespace sitecycle {

class SqlIdentityStore final : public IdentityStore {
 public:
  // Opens or creates the SQLite database at `sqlite_path` (a file path or ":memory:", which gives
  // a private database). Throws StoreError as SqlCaseStore does.
  explicit SqlIdentityStore(const std::string& sqlite_path);
  // Uses `database`, shared with the other stores. Throws StoreError as SqlCaseStore does.
  explicit SqlIdentityStore(std::shared_ptr<sql::Database> database);
  ~SqlIdentityStore() override;

  SqlIdentityStore(const SqlIdentityStore&) = delete;
  SqlIdentityStore& operator=(const SqlIdentityStore&) = delete;

  bool add_organisation(const Organisation& organisation) override;
  std::optional<Organisation> find_organisation(std::string_view id) override;
  std::vector<Organisation> organisations() override;

  bool add_user(const User& user) override;
  std::optional<User> find_user(std::string_view id) override;
  std::vector<User> users() override;
  bool set_user_disabled(std::string_view id, bool disabled) override;

  bool add_token(const ApiToken& token) override;
  std::optional<ApiToken> find_token(std::string_view id) override;
  std::vector<ApiToken> tokens_of(std::string_view user_id) override;
  bool revoke_token(std::string_view id, Instant at) override;

  void record_auth_failure(std::string_view subject, Instant at) override;
  std::int64_t count_auth_failures(std::string_view subject, Instant since) override;

  void append_audit(const AuditRecord& record) override;
  Page<AuditRecord> audit_records(std::int64_t limit, std::int64_t offset) override;

 private:
  template <class Body>
  decltype(auto) run(std::string_view operation, Body&& body);

  const std::shared_ptr<sql::Database> database_;
};

}  // namespace sitecycle
