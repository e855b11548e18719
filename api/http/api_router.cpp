#include "api_router.h"

#include "json_response.h"
#include "problem_response.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sitecycle::http {

namespace {

enum class Access { open, signed_in };

// Whether a retry with the same Idempotency-Key gets the first response again.
enum class Retry { plain, idempotent };

struct Route {
  std::string_view method;
  std::string_view pattern;  // "{}" matches one non-empty path segment
  RouteHandler handler;
  Access access = Access::signed_in;
  Retry retry = Retry::plain;
  // For uploads: the checks run on the headers before the body is read.
  RouteHandler admit = nullptr;
};

constexpr std::array<Route, 34> kRoutes{{
    {"GET", "/metrics", &get_metrics, Access::open},
    {"GET", "/api/v1/health", &get_health, Access::open},
    {"GET", "/api/v1/openapi.json", &get_openapi_document, Access::open},
    {"GET", "/api/v1/public/listed-sites", &list_public_listed_sites, Access::open},
    {"GET", "/api/v1/me", &get_me},
    {"GET", "/api/v1/directory", &get_directory},
    {"GET", "/api/v1/todo", &list_todo},
    {"GET", "/api/v1/workflows", &list_workflows},
    {"GET", "/api/v1/cases", &list_cases},
    {"GET", "/api/v1/cases.csv", &export_cases_csv},
    {"GET", "/api/v1/cases.xlsx", &export_cases_xlsx},
    {"GET", "/api/v1/statistics/cases", &count_cases_by_state},
    {"GET", "/api/v1/statistics/list-changes", &list_list_changes},
    {"GET", "/api/v1/statistics/land-actions-without-investigation", &list_land_actions_without_investigation},
    {"GET", "/api/v1/sites.geojson", &get_sites_geojson},
    {"POST", "/api/v1/cases", &create_case, Access::signed_in, Retry::idempotent},
    {"GET", "/api/v1/cases/{}", &get_case},
    {"POST", "/api/v1/cases/{}/transitions/{}", &fire_transition, Access::signed_in, Retry::idempotent},
    {"GET", "/api/v1/cases/{}/events", &list_events},
    {"POST", "/api/v1/cases/{}/parties", &grant_case_party, Access::signed_in, Retry::idempotent},
    {"POST", "/api/v1/cases/{}/documents", &upload_document, Access::signed_in, Retry::idempotent,
     &admit_document_upload},
    {"GET", "/api/v1/cases/{}/documents", &list_documents},
    {"GET", "/api/v1/cases/{}/documents/{}/content", &get_document_content},
    // A kept response contains the subscription's secret: a client whose first response was lost
    // never saw it, and the idempotency table is as private as the webhook table.
    {"POST", "/api/v1/webhooks", &create_webhook, Access::signed_in, Retry::idempotent},
    {"GET", "/api/v1/webhooks", &list_webhooks},
    {"DELETE", "/api/v1/webhooks/{}", &delete_webhook},
    {"GET", "/api/v1/webhooks/{}/deliveries", &list_webhook_deliveries},
    {"GET", "/api/v1/stream", &stream_events},
    {"GET", "/api/v1/deadlines", &list_deadlines},
    {"GET", "/api/v1/deadlines.ics", &get_deadline_feed},
    {"GET", "/api/v1/calendars", &list_calendars},
    {"GET", "/api/v1/calendars/{}/working-days", &count_working_days},
    {"GET", "/api/v1/calendars/{}/special-days", &list_special_days},
}};

// The segments after the leading '/'; nullopt when there is no leading '/'.
std::optional<std::vector<std::string_view>> split_path(std::string_view path) {
  if (!path.starts_with('/')) return std::nullopt;
  path.remove_prefix(1);
  std::vector<std::string_view> segments;
  while (true) {
    std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

// The decoded parameters when `segments` match `pattern`, else nullopt.
std::optional<std::vector<std::string>> match_route(std::string_view pattern,
                                                    const std::vector<std::string_view>& segments) {
  std::optional<std::vector<std::string_view>> expected = split_path(pattern);
  if (!expected || expected->size() != segments.size()) return std::nullopt;

  std::vector<std::string> parameters;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if ((*expected)[i] == "{}") {
      if (segments[i].empty()) return std::nullopt;
      parameters.push_back(percent_decode(segments[i], false));
    } else if ((*expected)[i] != segments[i]) {
      return std::nullopt;
    }
  }
  return parameters;
}

HttpResponse route_not_found(const HttpRequest& request, Language language) {
  Problem problem = make_problem(
      ErrorCode::not_found,
      {fmt::format("没有路径为 {} 的接口；接口都在 /api/v1 下，例如 GET /api/v1/cases",
                   quoted_excerpt(request.path)),
       fmt::format("No API route has the path {}; routes are under /api/v1, for example "
                   "GET /api/v1/cases",
                   quoted_excerpt(request.path))});
  return problem_response(problem, language, request.path);
}

HttpResponse method_not_allowed(const HttpRequest& request, const std::string& allowed,
                                Language language) {
  Problem problem = make_problem(
      ErrorCode::method_not_allowed,
      {fmt::format("路径 {} 不支持 {} 方法；可用方法：{}", quoted_excerpt(request.path),
                   quoted_excerpt(request.method), allowed),
       fmt::format("The path {} does not accept method {}; allowed: {}", quoted_excerpt(request.path),
                   quoted_excerpt(request.method), allowed)});
  HttpResponse response = problem_response(problem, language, request.path);
  response.set_header("Allow", allowed);
  return response;
}

Problem store_unavailable_problem() {
  return make_problem(ErrorCode::unavailable,
                      {"案件存储暂时不可用，原因已记入服务器日志；请稍后重试",
                       "The case store is unavailable and the server logged the cause; retry later"});
}

// A body sent as is, with the same language headers as a JSON reply.
HttpResponse text_response(int status, TextBody text, Language language) {
  HttpResponse response;
  response.status = status;
  response.set_header("Content-Type", std::move(text.content_type));
  response.set_header("Content-Language", std::string(language_tag(language)));
  response.set_header("Vary", "Accept-Language");
  response.body = std::move(text.content);
  return response;
}

// Adds the headers a problem's status calls for: the challenge of a 401 (RFC 9110, section
// 11.6.1) and the wait of a lock-out.
void add_problem_headers(HttpResponse& response, const Problem& problem) {
  if (problem.code == ErrorCode::unauthenticated) {
    response.set_header("WWW-Authenticate", "Bearer realm=\"sitecycle\"");
  }
  auto retry_after = problem.extra.find("retry_after_seconds");
  if (retry_after != problem.extra.end() && retry_after->is_number_integer()) {
    response.set_header("Retry-After", std::to_string(retry_after->get<long long>()));
  }
}

HttpResponse render_result(RouteResult result, const HttpRequest& request, Language language) {
  if (!result) {
    Problem problem = std::move(result).take_problem();
    if (problem.code == ErrorCode::unavailable) {
      // The detail may carry driver or file-system text meant for operators, not clients.
      spdlog::error("store_unavailable method={} path={} detail=\"{}\"", request.method,
                    request.path, problem.detail.en);
      problem = store_unavailable_problem();
    } else if (problem_class(problem.code).status >= 500) {
      spdlog::error("request_failed method={} path={} code={} detail=\"{}\"", request.method, request.path,
                    to_string(problem.code), problem.detail.en);
    }
    HttpResponse response = problem_response(problem, language, request.path);
    add_problem_headers(response, problem);
    return response;
  }

  JsonReply& reply = result.value();
  HttpResponse response;
  if (reply.stream) {
    response = text_response(reply.status, TextBody{"text/event-stream; charset=utf-8", {}}, language);
    response.stream = std::move(reply.stream);
  } else if (reply.file) {
    response = text_response(reply.status, TextBody{std::move(reply.file->content_type), {}}, language);
    response.file = std::move(reply.file->path);
  } else if (reply.text) {
    response = text_response(reply.status, std::move(*reply.text), language);
  } else {
    response = json_response(reply.status, reply.body, language);
  }
  for (auto& [name, value] : reply.headers) response.set_header(name, std::move(value));
  return response;
}

bool is_denial(ErrorCode code) { return code == ErrorCode::role_not_allowed || code == ErrorCode::forbidden; }

// Renders a route's result, auditing a denied action first.
HttpResponse render_audited(const Authenticator& authenticator, RouteResult result, const HttpRequest& request,
                            const Principal* principal, Language language) {
  if (!result && is_denial(result.problem().code)) {
    authenticator.record_denied(principal, request,
                                std::string(to_string(result.problem().code)) + ": " + result.problem().detail.en);
  }
  return render_result(std::move(result), request, language);
}

// Runs `run` in the request's language. Never throws: a store failure becomes 503 and any other
// exception 500, each with a generic message, and the cause is logged.
HttpResponse run_guarded(const HttpRequest& request, const std::function<HttpResponse(Language)>& run) {
  const std::string* accept_language = request.header("accept-language");
  Language language = parse_language(accept_language ? *accept_language : std::string_view{});

  try {
    return run(language);
  } catch (const StoreError& error) {
    spdlog::error("store_failed method={} path={} error=\"{}\"", request.method, request.path, error.what());
    HttpResponse response = problem_response(store_unavailable_problem(), language, request.path);
    // The usual cause is a database restart or failover, which the pool rides out in seconds.
    response.set_header("Retry-After", "1");
    return response;
  } catch (const std::exception& error) {
    spdlog::error("request_failed method={} path={} error=\"{}\"", request.method, request.path, error.what());
    return internal_error_response(language, request.path);
  } catch (...) {
    spdlog::error("request_failed method={} path={} error=\"unknown exception\"", request.method, request.path);
    return internal_error_response(language, request.path);
  }
}

// The method as a metrics label: a standard method, or "other", so that clients cannot add series.
std::string_view metric_method(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

// The status admit_upload's dispatch gives an upload it accepts; never sent.
constexpr int kAdmitted = 100;

}  // namespace

ApiRouter::ApiRouter(ApiBackends backends, ApiSettings settings)
    : backends_(backends), settings_(settings), authenticator_(backends.identities, backends.clock, settings.lockout) {
  if (settings_.web_folder) web_.emplace(*settings_.web_folder);
}

HttpResponse ApiRouter::handle(const HttpRequest& request) const {
  auto started = std::chrono::steady_clock::now();
  std::string_view route = "unmatched";
  HttpResponse response = run_guarded(request, [&](Language language) {
    if (web_ && WebAssets::claims(request)) {
      route = "dashboard";
      return web_->serve(request, language);
    }
    return dispatch(request, language, false, &route);
  });
  metrics_.record(route, metric_method(request.method), response.status, std::chrono::steady_clock::now() - started);
  return response;
}

UploadRules ApiRouter::upload_rules() const {
  UploadRules rules;
  rules.is_upload = [](const HttpRequest& head) {
    std::optional<std::vector<std::string_view>> segments = split_path(head.path);
    if (!segments) return false;
    return std::any_of(kRoutes.begin(), kRoutes.end(), [&](const Route& route) {
      return route.admit != nullptr && route.method == head.method && match_route(route.pattern, *segments);
    });
  };
  rules.admit = [this](const HttpRequest& head) { return admit_upload(head); };
  rules.temporary_folder = backends_.documents.temporary_folder();
  rules.size_limit = settings_.upload_limit;
  return rules;
}

std::optional<HttpResponse> ApiRouter::admit_upload(const HttpRequest& head) const {
  std::string_view route = "unmatched";
  HttpResponse response = run_guarded(head, [&](Language language) { return dispatch(head, language, true, &route); });
  if (response.status == kAdmitted) return std::nullopt;
  return response;
}

// With `admit_only`, runs a route's admit checks instead of its handler, and returns status
// kAdmitted when they pass. Sets `matched_route` to the pattern of the route that responds.
HttpResponse ApiRouter::dispatch(const HttpRequest& request, Language language, bool admit_only,
                                 std::string_view* matched_route) const {
  std::optional<std::vector<std::string_view>> segments = split_path(request.path);
  if (!segments) return route_not_found(request, language);

  std::string allowed;
  for (const Route& route : kRoutes) {
    std::optional<std::vector<std::string>> parameters = match_route(route.pattern, *segments);
    if (!parameters) continue;
    if (route.method != request.method) {
      allowed += allowed.empty() ? std::string(route.method) : ", " + std::string(route.method);
      continue;
    }
    *matched_route = route.pattern;

    if (route.access == Access::open) {
      RouteContext context{request, std::move(*parameters), language, backends_.cases, backends_.clock, nullptr,
                           backends_.identities, authenticator_, backends_.documents, settings_.upload_limit, backends_.webhooks,
                           metrics_, settings_.metrics_open};
      return render_result(route.handler(context), request, language);
    }
    Result<std::optional<Principal>> principal = authenticator_.authenticate(request);
    if (!principal) return render_result(std::move(principal).take_problem(), request, language);
    if (!principal->has_value()) return render_result(missing_token_problem(), request, language);
    const Principal* caller = &principal->value();
    RouteContext context{request, std::move(*parameters), language, backends_.cases, backends_.clock, caller,
                         backends_.identities, authenticator_, backends_.documents, settings_.upload_limit, backends_.webhooks,
                           metrics_, settings_.metrics_open};
    if (admit_only) {
      if (route.retry == Retry::idempotent) {
        if (std::optional<Problem> invalid = check_idempotency_key(request)) {
          return render_result(std::move(*invalid), request, language);
        }
      }
      if (route.admit == nullptr) return render_result(JsonReply{kAdmitted, nullptr, {}}, request, language);
      RouteResult admitted = route.admit(context);
      if (admitted) return render_result(JsonReply{kAdmitted, nullptr, {}}, request, language);
      return render_audited(authenticator_, std::move(admitted), request, caller, language);
    }
    auto run = [&] { return render_audited(authenticator_, route.handler(context), request, caller, language); };
    if (route.retry == Retry::plain) return run();
    return run_idempotently(backends_.idempotency, backends_.clock, settings_.idempotency, request, *caller, language,
                            run);
  }

  if (!allowed.empty()) return method_not_allowed(request, allowed, language);
  return route_not_found(request, language);
}

}  // namespace sitecycle::http
