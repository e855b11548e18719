// The HTTP API as a plain function from request to response: routing, the actor headers, JSON
// bodies and problem+json errors, with no sockets involved. HttpServer calls handle() for each
// request; tests call it directly.
#pragma once

#include "adapters/clock.h"
#include "authentication.h"
#include "engine/case_service.h"
#include "engine/identity_store.h"
#include "http_message.h"

#include <optional>

namespace sitecycle::http {

// Routes (JSON unless noted, errors as application/problem+json). Every route but health needs
// an `Authorization: Bearer` token (authentication.h); without one it answers 401.
//   GET  /api/v1/health
//   GET  /api/v1/me
//   GET  /api/v1/workflows
//   GET  /api/v1/cases?workflow=&state=&limit=&offset=
//   POST /api/v1/cases
//   GET  /api/v1/cases/{id}
//   POST /api/v1/cases/{id}/transitions/{transition}
//   GET  /api/v1/cases/{id}/events?limit=&offset=
//   POST /api/v1/cases/{id}/parties
//   GET  /api/v1/deadlines?status=&agency=&due_before=&limit=&offset=
//   GET  /api/v1/deadlines.ics  (text/calendar: the caller's role's open deadlines)
//   GET  /api/v1/calendars/{calendar}/working-days?from=&count=
// The token's user is the actor: their role, organisation and id. Cases, events and deadlines
// are limited to the cases the caller's organisation may see (organisation.h); another case
// answers 404. Accept-Language picks zh-CN (default) or en for titles and details.
//
// Thread-safety: handle() may run on several threads at once. The router holds no mutable
// state, and CaseService, the identity store and the clock are thread-safe.
class ApiRouter {
 public:
  // All are borrowed and must outlive the router.
  ApiRouter(CaseService& service, const Clock& clock, IdentityStore& identities, LockoutPolicy lockout = {});

  // Returns the response to one request. Never throws: a store failure becomes 503 and any
  // other exception 500, each with a generic message, and the cause is logged.
  HttpResponse handle(const HttpRequest& request) const;

 private:
  HttpResponse dispatch(const HttpRequest& request, Language language) const;

  CaseService& service_;
  const Clock& clock_;
  IdentityStore& identities_;
  Authenticator authenticator_;
};

}  // namespace sitecycle::http
