// The identity store port: organisations, their users, API tokens, failed sign-ins and the
// audit trail of denied actions. adapters/ implements it on SQLite, in the case store's file.
//
// Errors: unexpected failures throw StoreError, as in case_store.h.
#pragma once

#include "case_store.h"
#include "instant.h"
#include "organisation.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

// A person or system account acting for one organisation in one role of roles.yaml.
struct User {
  std::string id;
  std::string org_id;
  std::string role;
  std::string name;  // display name; may be empty
  bool disabled = false;
  Instant created_at{};
};

// An API token. Only a hash of its secret is stored (api_token.h in adapters/).
struct ApiToken {
  std::string id;
  std::string user_id;
  std::string secret_hash;
  std::string label;
  Instant created_at{};
  std::optional<Instant> expires_at;
  std::optional<Instant> revoked_at;
};

// One entry of the audit trail: a failed sign-in or a denied action.
struct AuditRecord {
  std::int64_t id = 0;  // assigned by the store
  Instant at{};
  std::string kind;  // "sign_in_failed", "locked_out" or "action_denied"
  std::string user_id;  // empty when no user was identified
  std::string org_id;
  std::string remote_address;
  std::string method;
  std::string path;
  std::string detail;  // in English, for operators
};

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;

  // Each add returns false when the id is taken.
  virtual bool add_organisation(const Organisation& organisation) = 0;
  virtual std::optional<Organisation> find_organisation(std::string_view id) = 0;
  // Ordered by id.
  virtual std::vector<Organisation> organisations() = 0;

  // Throws StoreError when the organisation does not exist.
  virtual bool add_user(const User& user) = 0;
  virtual std::optional<User> find_user(std::string_view id) = 0;
  // Ordered by id.
  virtual std::vector<User> users() = 0;
  // Returns false when no user has the id.
  virtual bool set_user_disabled(std::string_view id, bool disabled) = 0;

  // Throws StoreError when the user does not exist.
  virtual bool add_token(const ApiToken& token) = 0;
  virtual std::optional<ApiToken> find_token(std::string_view id) = 0;
  // Ordered by creation time, then id.
  virtual std::vector<ApiToken> tokens_of(std::string_view user_id) = 0;
  // Returns false when no token has the id or it was revoked before.
  virtual bool revoke_token(std::string_view id, Instant at) = 0;

  // Failed sign-ins, counted per subject such as "user:alice" or "address:127.0.0.1".
  virtual void record_auth_failure(std::string_view subject, Instant at) = 0;
  virtual std::int64_t count_auth_failures(std::string_view subject, Instant since) = 0;

  virtual void append_audit(const AuditRecord& record) = 0;
  // Newest first.
  virtual Page<AuditRecord> audit_records(std::int64_t limit, std::int64_t offset) = 0;
};

}  // namespace sitecycle
