// The HTTP API as a plain function from request to response: routing, the actor headers, JSON
// bodies and problem+json errors, with no sockets involved. HttpServer calls handle() for each
// request; tests call it directly.
#pragma once

#include "adapters/clock.h"
#include "adapters/document_files.h"
#include "authentication.h"
#include "engine/case_service.h"
#include "engine/idempotency_store.h"
#include "engine/identity_store.h"
#include "engine/webhook_store.h"
#include "http_message.h"
#include "idempotency.h"
#include "metrics.h"
#include "web_assets.h"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace sitecycle::http {

// Routes (JSON unless noted, errors as application/problem+json). Every route but health, the
// OpenAPI document, the public list and (by default) /metrics needs an `Authorization: Bearer`
// token (authentication.h). Without one it returns 401.
//   GET  /metrics  (Prometheus text; open or behind a token, by ApiSettings::metrics_open)
//   GET  /api/v1/health
//   GET  /api/v1/openapi.json  (no token needed)
//   GET  /api/v1/public/listed-sites?district=&limit=&offset=  (no token needed)
//   GET  /api/v1/me
//   GET  /api/v1/workflows
//   GET  /api/v1/cases?workflow=&state=&district=&q=&limit=&offset=
//   GET  /api/v1/cases.csv?workflow=&state=&district=&q=  (text/csv of the whole list)
//   GET  /api/v1/cases.xlsx?workflow=&state=&district=&q=  (the same as an xlsx workbook)
//   GET  /api/v1/statistics/cases  (counts by workflow and state, with days in the state)
//   POST /api/v1/cases
//   GET  /api/v1/cases/{id}
//   POST /api/v1/cases/{id}/transitions/{transition}
//   GET  /api/v1/cases/{id}/events?limit=&offset=
//   POST /api/v1/cases/{id}/parties
//   POST /api/v1/cases/{id}/documents?kind=&title=  (the body is the file, streamed to disk)
//   GET  /api/v1/cases/{id}/documents
//   GET  /api/v1/cases/{id}/documents/{document}/content
//   POST /api/v1/webhooks, GET /api/v1/webhooks, DELETE /api/v1/webhooks/{id},
//   GET  /api/v1/webhooks/{id}/deliveries?limit=
//   GET  /api/v1/stream?after=  (text/event-stream of the events of the cases the caller may read)
//   GET  /api/v1/deadlines?status=&agency=&due_before=&district=&limit=&offset=
//   GET  /api/v1/deadlines.ics  (text/calendar: the caller's role's open deadlines)
//   GET  /api/v1/calendars/{calendar}/working-days?from=&count=
//   GET  / and other paths outside /api/ and /metrics: the web dashboard (web_assets.h), no token
//        needed, since the dashboard signs in with a token itself
// The token's user is the actor: their role, organisation and id. Cases, events and deadlines
// are limited to the cases the caller's organisation may see (organisation.h); another case
// returns 404. POSTs that create something or fire a transition accept an Idempotency-Key
// (idempotency.h). Accept-Language picks zh-CN (default) or en for titles and details.
//
// Thread-safety: handle() may run on several threads at once. The router holds no mutable
// state, and CaseService, the identity store and the clock are thread-safe.
// What the router serves from. All are borrowed and must outlive the router.
struct ApiBackends {
  CaseService& cases;
  IdentityStore& identities;
  IdempotencyStore& idempotency;
  WebhookStore& webhooks;
  const DocumentFiles& documents;
  const Clock& clock;
};

struct ApiSettings {
  LockoutPolicy lockout;
  IdempotencyPolicy idempotency;
  std::uint64_t upload_limit = 200ull * 1024 * 1024;  // bytes per document
  // Whether GET /metrics responds without a token. The server listens on loopback addresses
  // only, so the default is open; a proxy that exposes it should turn this off.
  bool metrics_open = true;
  // The built web dashboard, served at "/" (web_assets.h). With nullopt none is served, and "/"
  // returns the API's 404.
  std::optional<std::filesystem::path> web_folder;
};

class ApiRouter {
 public:
  explicit ApiRouter(ApiBackends backends, ApiSettings settings = {});

  // Returns the response to one request. Never throws: a store failure becomes 503 and any
  // other exception 500, each with a generic message, and the cause is logged.
  HttpResponse handle(const HttpRequest& request) const;

  // The rules for HttpServer: document uploads are streamed to the document store's temporary
  // folder, after their headers pass admit_upload().
  UploadRules upload_rules() const;

  // nullopt when an upload may send its body: the token, the case and the query are valid and a
  // declared Content-Length is within the limit. Otherwise the response to send instead.
  std::optional<HttpResponse> admit_upload(const HttpRequest& head) const;

 private:
  HttpResponse dispatch(const HttpRequest& request, Language language, bool admit_only,
                        std::string_view* matched_route) const;

  ApiBackends backends_;
  ApiSettings settings_;
  Authenticator authenticator_;
  std::optional<WebAssets> web_;
  mutable ApiMetrics metrics_;
};

}  // namespace sitecycle::http
