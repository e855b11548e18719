// Idempotency-Key on the POSTs that create something or fire a transition. The first response
// to a (user, key) is kept for 24 hours and sent again for a retry with the same request. The
// same key with another request gets 422, and gets 409 while the first request still runs.
#pragma once

#include "adapters/clock.h"
#include "authentication.h"
#include "engine/idempotency_store.h"
#include "http_message.h"

#include <chrono>
#include <functional>
#include <optional>

namespace sitecycle::http {

struct IdempotencyPolicy {
  std::chrono::hours keep{24};
  // A claim unfinished for this long belongs to a request whose server stopped; a retry runs it.
  std::chrono::minutes abandoned_after{5};
};

// bad_request when the request carries an Idempotency-Key that is not 1 to 255 printable ASCII
// characters; nullopt otherwise.
std::optional<Problem> check_idempotency_key(const HttpRequest& request);

// Runs `handle` at most once per Idempotency-Key of the caller. Without the header it just
// runs `handle`. Responses with a server error status are not kept, so a retry runs again.
// Throws StoreError when the store fails.
HttpResponse run_idempotently(IdempotencyStore& store, const Clock& clock, const IdempotencyPolicy& policy,
                              const HttpRequest& request, const Principal& caller, Language language,
                              const std::function<HttpResponse()>& handle);

}  // namespace sitecycle::http
