// A case's history, and the stream of new events.
#include "event_stream.h"
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>

#include <charconv>
#include <memory>

namespace sitecycle::http {

namespace {

Problem invalid_after_problem(std::string_view name, std::string_view value) {
  return make_problem(
      ErrorCode::bad_request,
      {fmt::format("{} 的值 {} 无效：应为不小于 0 的整数事件编号（收到的最后一个事件的 id）", name, quoted_excerpt(value)),
       fmt::format("{} has invalid value {}: expected a whole event id of 0 or more (the id of the last event "
                   "received)",
                   name, quoted_excerpt(value))});
}

// The event id to resume after: the Last-Event-ID header of a reconnecting client, else the
// query parameter `after`, else the newest event now.
Result<std::int64_t> resume_point(const RouteContext& context) {
  std::string_view name = "Last-Event-ID";
  std::optional<std::string> value;
  if (const std::string* header = context.request.header("last-event-id")) {
    value = *header;
  } else {
    Result<std::optional<std::string>> after = read_query_value(context.request, "after");
    if (!after) return std::move(after).take_problem();
    value = *after;
    name = "after";
  }
  if (!value) return context.service.store().last_event_id();
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), id);
  if (error != std::errc() || end != value->data() + value->size() || id < 0) return invalid_after_problem(name, *value);
  return id;
}

}  // namespace

RouteResult list_events(const RouteContext& context) {
  const std::string& case_id = context.parameters.at(0);
  if (Status names = check_query_names(context.request, {"limit", "offset"}); !names) return names.problem();
  Result<Paging> paging = read_paging(context.request);
  if (!paging) return std::move(paging).take_problem();
  // An unknown case gets 404 rather than an empty page, so that a mistyped id shows.
  if (Status visible = require_visible_case(context, case_id); !visible) return visible.problem();

  Page<StoredEvent> page = context.service.store().events_of(case_id, paging->limit, paging->offset);
  return JsonReply{200, page_json(events_json(page.items), page.total), {}};
}

RouteResult stream_events(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {"after"}); !names) return names.problem();
  Result<std::int64_t> after = resume_point(context);
  if (!after) return std::move(after).take_problem();
  JsonReply reply{200, nullptr, {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}}};
  // The stream outlives this request, so it keeps its own copy of the credentials to check.
  HttpRequest credentials;
  if (const std::string* header = context.request.header("authorization")) credentials.headers["authorization"] = *header;
  credentials.remote_address = context.request.remote_address;
  credentials.method = context.request.method;
  credentials.path = context.request.path;
  const Authenticator& authenticator = context.authenticator;
  auto still_allowed = [&authenticator, credentials] {
    Result<std::optional<Principal>> caller = authenticator.authenticate(credentials);
    return caller && caller->has_value();
  };
  reply.stream = std::make_shared<EventStream>(context.service.store(), context.scope(), *after, std::move(still_allowed));
  return reply;
}

}  // namespace sitecycle::http
