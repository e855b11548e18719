// GET /metrics: request counters and latencies, and counts read from the stores, in the
// Prometheus text format.
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>

#include <algorithm>

namespace sitecycle::http {

namespace {

std::string store_metrics(const StoreStatistics& statistics) {
  std::string text = fmt::format(
      "# HELP sitecycle_cases Cases in the store.\n"
      "# TYPE sitecycle_cases gauge\n"
      "sitecycle_cases {}\n"
      "# HELP sitecycle_transitions_total Transitions recorded in the store.\n"
      "# TYPE sitecycle_transitions_total counter\n"
      "sitecycle_transitions_total {}\n"
      "# HELP sitecycle_deadline_events_total Deadline warnings, breaches and escalations fired.\n"
      "# TYPE sitecycle_deadline_events_total counter\n",
      statistics.cases, statistics.transitions);
  for (const std::string kind : {"deadline_warning", "deadline_breached", "deadline_escalated"}) {
    auto found = statistics.deadline_events.find(kind);
    std::int64_t count = found == statistics.deadline_events.end() ? 0 : found->second;
    text += fmt::format("sitecycle_deadline_events_total{{kind=\"{}\"}} {}\n", kind, count);
  }
  text += fmt::format(
      "# HELP sitecycle_outbox_backlog Deadline notifications in the outbox not delivered yet.\n"
      "# TYPE sitecycle_outbox_backlog gauge\n"
      "sitecycle_outbox_backlog {}\n",
      statistics.outbox_pending);
  return text;
}

// Events not yet delivered to each subscription, at most: events of cases its organisation may
// not see are counted too.
std::string webhook_metrics(const std::vector<WebhookSubscription>& subscriptions, std::int64_t last_event_id) {
  std::string text =
      "# HELP sitecycle_webhook_backlog_events Events after a subscription's place in the event log (an upper bound).\n"
      "# TYPE sitecycle_webhook_backlog_events gauge\n";
  for (const WebhookSubscription& subscription : subscriptions) {
    text += fmt::format("sitecycle_webhook_backlog_events{{subscription=\"{}\"}} {}\n", escape_label(subscription.id),
                        std::max<std::int64_t>(0, last_event_id - subscription.delivered_through));
  }
  return text;
}

}  // namespace

RouteResult get_metrics(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  if (!context.metrics_open) {
    Result<std::optional<Principal>> caller = context.authenticator.authenticate(context.request);
    if (!caller) return std::move(caller).take_problem();
    if (!caller->has_value()) return missing_token_problem();
  }
  StoreStatistics statistics = context.service.store().statistics();
  std::string text = context.metrics.render_requests() + store_metrics(statistics) +
                     webhook_metrics(context.webhooks.active_subscriptions(), statistics.last_event_id);
  return JsonReply{200, nullptr, {}, TextBody{"text/plain; version=0.0.4; charset=utf-8", std::move(text)}};
}

}  // namespace sitecycle::http
