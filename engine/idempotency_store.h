// The idempotency store port: responses kept for requests sent with an Idempotency-Key, so that
// a client's retry gets the first response again instead of a second effect. adapters/
// implements it on SQLite, in the case store's file.
#pragma once

#include "instant.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sitecycle {

// A response as it was sent: status, headers in order, body.
struct KeptResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

enum class KeyClaim {
  claimed,      // the key is new (or expired, or abandoned): run the request, then complete()
  in_progress,  // a request with this key and the same fingerprint is still running
  replay,       // the same request completed before: send `response` again
  reused,       // the key was used with another request (another fingerprint)
};

struct ClaimResult {
  KeyClaim claim = KeyClaim::claimed;
  KeptResponse response;  // set for replay
};

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;

  // Claims (user_id, key) for a request with `fingerprint`, in one write transaction. Keys
  // created before `expired_before` are forgotten first, and a claim still unfinished from
  // before `abandoned_before` (its server stopped mid-request) is taken over.
  virtual ClaimResult claim(std::string_view user_id, std::string_view key, std::string_view fingerprint, Instant now,
                            Instant expired_before, Instant abandoned_before) = 0;
  // Keeps the response of a claimed key.
  virtual void complete(std::string_view user_id, std::string_view key, const KeptResponse& response) = 0;
  // Forgets a claim whose request failed without a response worth keeping (a server error), so
  // that a retry runs again.
  virtual void release(std::string_view user_id, std::string_view key) = 0;
};

}  // namespace sitecycle
