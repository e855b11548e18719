// Authentication of API callers: the Bearer token of a request resolved to a user, their
// organisation, the actor recorded on events and the cases they may see. Failed sign-ins are
// counted and lead to a lock-out. Every failure and every denied action is audited.
#pragma once

#include "adapters/clock.h"
#include "engine/case_store.h"
#include "engine/identity_store.h"
#include "engine/result.h"
#include "http_message.h"

#include <chrono>
#include <optional>
#include <string_view>

namespace sitecycle::http {

struct Principal {
  User user;
  Organisation organisation;
  Actor actor;  // the user's role, organisation id and user id
  CaseScope scope;
};

// When failed sign-ins lock a subject out. A wrong secret for a known token counts against its
// user; every failure counts against the client's address. A lock rejects further failed
// attempts with locked_out, while a request with a valid token still passes. So bad tokens
// cannot lock a user or a whole proxy's clients out (the secrets are 256-bit random
// values, so guessing them is not what the lock defends against).
struct LockoutPolicy {
  int user_failures = 5;
  int address_failures = 20;
  std::chrono::minutes window{15};  // failures older than this are forgotten
};

// Thread-safety: safe to call from several threads; the identity store serialises its writes.
class Authenticator {
 public:
  // Both are borrowed and must outlive the authenticator.
  Authenticator(IdentityStore& identities, const Clock& clock, LockoutPolicy policy = {});

  // nullopt when the request carries no Authorization header. A header that is not a valid,
  // current Bearer token gives unauthenticated (audited), or locked_out while its address or
  // user is locked out. Throws StoreError when the store fails.
  Result<std::optional<Principal>> authenticate(const HttpRequest& request) const;

  // Writes an action_denied audit record; `principal` may be null for anonymous callers.
  void record_denied(const Principal* principal, const HttpRequest& request, std::string_view detail) const;

  const LockoutPolicy& policy() const { return policy_; }

 private:
  Problem fail(const HttpRequest& request, std::string_view user_id, bool wrong_secret, std::string_view detail) const;
  void audit(std::string_view kind, const HttpRequest& request, std::string_view user_id,
             std::string_view org_id, std::string_view detail) const;

  IdentityStore& identities_;
  const Clock& clock_;
  LockoutPolicy policy_;
};

// The problem for a route that needs a token when none was sent.
Problem missing_token_problem();

}  // namespace sitecycle::http
