// The input and output of route handlers. Internal to api/http: handlers are registered in
// api_router.cpp and called only through ApiRouter::handle.
#pragma once

#include "adapters/clock.h"
#include "adapters/document_files.h"
#include "authentication.h"
#include "engine/case_service.h"
#include "engine/identity_store.h"
#include "engine/webhook_store.h"
#include "engine/localized_text.h"
#include "engine/result.h"
#include "http_message.h"
#include "metrics.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sitecycle::http {

struct RouteContext {
  const HttpRequest& request;
  std::vector<std::string> parameters;  // decoded path segments matched by "{}" in the route
  Language language;
  CaseService& service;
  const Clock& clock;
  // The signed-in caller. Never null in a route that needs a token; null on open routes when
  // no token was sent.
  const Principal* principal;
  IdentityStore& identities;
  const Authenticator& authenticator;
  const DocumentFiles& documents;
  std::uint64_t upload_limit;  // bytes per document
  WebhookStore& webhooks;
  const ApiMetrics& metrics;
  bool metrics_open;  // whether GET /metrics needs no token

  // The caller as recorded on events, or an empty actor for an anonymous caller.
  Actor actor() const { return principal ? principal->actor : Actor{}; }
  // The cases the caller may see; open routes never read cases.
  CaseScope scope() const { return principal ? principal->scope : CaseScope{}; }
};

// A reply body that is not JSON, such as an iCalendar feed, sent as is.
struct TextBody {
  std::string content_type;  // such as "text/calendar; charset=utf-8"
  std::string content;
};

// A reply body read from a file, such as a document's content, streamed by the transport.
struct FileBody {
  std::string content_type;
  std::filesystem::path path;
};

// A successful reply before rendering. The router adds Content-Type and language headers, and
// sends `body` as JSON unless `text` or `file` is set.
struct JsonReply {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<TextBody> text = std::nullopt;
  std::optional<FileBody> file = std::nullopt;
  std::shared_ptr<ResponseStream> stream = nullptr;  // a text/event-stream body
};

using RouteResult = Result<JsonReply>;
using RouteHandler = RouteResult (*)(const RouteContext&);

// GET /api/v1/health
RouteResult get_health(const RouteContext& context);
// GET /api/v1/workflows
RouteResult list_workflows(const RouteContext& context);
// GET /api/v1/cases
RouteResult list_cases(const RouteContext& context);
// The filters of a case list (workflow, state, district, q) in the caller's scope, without
// paging. Checks each value; a bad one is a bad_request problem.
Result<CaseQuery> read_case_filters(const RouteContext& context);
// GET /api/v1/statistics/cases (statistics_routes.cpp).
RouteResult count_cases_by_state(const RouteContext& context);
// GET /api/v1/cases.csv and /api/v1/cases.xlsx (case_export_routes.cpp).
RouteResult export_cases_csv(const RouteContext& context);
RouteResult export_cases_xlsx(const RouteContext& context);
// POST /api/v1/cases
RouteResult create_case(const RouteContext& context);
// GET /api/v1/cases/{id}
RouteResult get_case(const RouteContext& context);
// POST /api/v1/cases/{id}/transitions/{transition}
RouteResult fire_transition(const RouteContext& context);
// GET /api/v1/cases/{id}/events
RouteResult list_events(const RouteContext& context);
// GET /api/v1/stream
RouteResult stream_events(const RouteContext& context);
// POST /api/v1/cases/{id}/parties
RouteResult grant_case_party(const RouteContext& context);
// POST /api/v1/cases/{id}/documents
RouteResult upload_document(const RouteContext& context);
// The checks of upload_document that need no body, run before the body is read.
RouteResult admit_document_upload(const RouteContext& context);
// GET /api/v1/cases/{id}/documents
RouteResult list_documents(const RouteContext& context);
// GET /api/v1/cases/{id}/documents/{document}/content
RouteResult get_document_content(const RouteContext& context);
// GET /api/v1/openapi.json
RouteResult get_openapi_document(const RouteContext& context);
// POST /api/v1/webhooks
RouteResult create_webhook(const RouteContext& context);
// GET /api/v1/webhooks
RouteResult list_webhooks(const RouteContext& context);
// DELETE /api/v1/webhooks/{id}
RouteResult delete_webhook(const RouteContext& context);
// GET /api/v1/webhooks/{id}/deliveries
RouteResult list_webhook_deliveries(const RouteContext& context);
// GET /metrics (Prometheus text format)
RouteResult get_metrics(const RouteContext& context);
// GET /api/v1/public/listed-sites (no token needed)
RouteResult list_public_listed_sites(const RouteContext& context);
// GET /api/v1/me
RouteResult get_me(const RouteContext& context);
// GET /api/v1/directory: the organisations, roles and agencies, with their names, for display.
RouteResult get_directory(const RouteContext& context);
// GET /api/v1/todo: the caller's to-do queue (todo_routes.cpp).
RouteResult list_todo(const RouteContext& context);
// GET /api/v1/statistics/list-changes: cases added to and removed from the list in a month
// (dashboard_routes.cpp).
RouteResult list_list_changes(const RouteContext& context);
// GET /api/v1/statistics/land-actions-without-investigation
RouteResult list_land_actions_without_investigation(const RouteContext& context);
// GET /api/v1/sites.geojson: the outlines of parcels as GeoJSON, with their lights
// (sites_routes.cpp).
RouteResult get_sites_geojson(const RouteContext& context);
// GET /api/v1/calendars: the loaded calendars and their years.
RouteResult list_calendars(const RouteContext& context);
// GET /api/v1/calendars/{calendar}/special-days
RouteResult list_special_days(const RouteContext& context);
// GET /api/v1/deadlines
RouteResult list_deadlines(const RouteContext& context);
// GET /api/v1/deadlines.ics
RouteResult get_deadline_feed(const RouteContext& context);
// GET /api/v1/calendars/{calendar}/working-days
RouteResult count_working_days(const RouteContext& context);

}  // namespace sitecycle::http

namespace sitecycle::http {

// not_found for a case id, naming it.
Problem case_not_found_problem(std::string_view case_id);

// Ok when the case exists and the caller may see it. Otherwise not_found, the same response for a
// case out of scope as for a missing one, so that ids of other organisations' cases do not leak;
// the out-of-scope attempt is audited.
Status require_visible_case(const RouteContext& context, std::string_view case_id);

// The detail of a case a command just wrote, with the transitions `actor` may fire. When
// re-reading fails, the command has still been committed. So the reply falls back to `stored`
// with no links or transitions rather than reporting an error the client might retry.
CaseDetail detail_after_command(const RouteContext& context, const StoredCase& stored,
                                const Actor& actor);

// The strong ETag of a case version: "<case id>-v<version>" in quotes.
std::string case_etag(const StoredCase& stored);

// case_detail_json plus the case's deadlines, with their lights at the request's clock time.
nlohmann::json case_detail_body(const RouteContext& context, const CaseDetail& detail);

}  // namespace sitecycle::http
