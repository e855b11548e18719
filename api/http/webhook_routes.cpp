// Webhook subscriptions of the caller's organisation: create (the secret is shown once), list,
// delete, and the recent delivery attempts.
#include "adapters/api_token.h"
#include "adapters/webhook_message.h"
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <optional>
#include <charconv>

namespace sitecycle::http {

namespace {

constexpr std::size_t kMaxUrlBytes = 2000;

constexpr std::array<MemberRule, 1> kCreateMembers{{
    {"url", JsonKind::string, true},
}};

// The host of an http(s) URL, or "" when the URL is not one.
std::string host_of(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return {};
  }
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (std::size_t at = rest.rfind('@'); at != std::string_view::npos) return {};  // no credentials in URLs
  if (rest.starts_with('[')) {
    std::size_t close = rest.find(']');
    // After the bracketed address only a port may follow.
    if (close == std::string_view::npos || (close + 1 < rest.size() && rest[close + 1] != ':')) return {};
    return std::string(rest.substr(0, close + 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

// The four parts of a dotted IPv4 literal, or nullopt for anything else (such as a name like
// 127.0.0.1.example.com).
std::optional<std::array<int, 4>> ipv4_parts(std::string_view host) {
  std::array<int, 4> parts{};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::size_t dot = host.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return std::nullopt;
    std::string_view part = host.substr(0, dot);
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), parts[i]);
    // A leading zero reads as octal in some resolvers, so such parts are not accepted at all.
    bool leading_zero = part.size() > 1 && part.front() == '0';
    if (part.empty() || part.size() > 3 || leading_zero || error != std::errc() || end != part.data() + part.size() ||
        parts[i] > 255) {
      return std::nullopt;
    }
    if (dot != std::string_view::npos) host.remove_prefix(dot + 1);
  }
  return parts;
}

bool is_loopback_host(std::string_view host) {
  std::optional<std::array<int, 4>> parts = ipv4_parts(host);
  return host == "localhost" || host == "[::1]" || (parts && (*parts)[0] == 127);
}

// Private, link-local and unspecified IPv4 literals and IPv6 literals other than ::1, which would
// let a subscription probe the server's own network.
bool is_internal_host(std::string_view host) {
  if (host.starts_with('[')) return host != "[::1]";
  std::optional<std::array<int, 4>> parts = ipv4_parts(host);
  if (!parts) return false;
  auto [a, b, c, d] = *parts;
  (void)c;
  (void)d;
  return a == 0 || a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) || (a == 169 && b == 254) ||
         (a == 100 && b >= 64 && b <= 127) || a >= 224;
}

// NOTE: host names are not resolved, so a name that points at a private address passes.
// Whether `host` is an IPv4 literal, [::1], or a DNS name whose last label is alphabetic and not a
// special-use name. Numeric forms such as 2130706433, 0x7f000001 or 127.1, which resolvers read as
// addresses, are neither. A name is not resolved here, so one that points at a private address
// still passes.
bool is_acceptable_host(std::string_view host) {
  if (host.starts_with('[')) return host == "[::1]";
  if (ipv4_parts(host)) return true;
  if (host == "localhost") return true;
  std::string_view last = host.substr(host.rfind('.') == std::string_view::npos ? 0 : host.rfind('.') + 1);
  bool alphabetic = !last.empty() && std::all_of(last.begin(), last.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
  bool punycode = last.starts_with("xn--");
  for (std::string_view reserved : {"internal", "local", "localhost", "lan", "intranet", "home", "corp", "localdomain"}) {
    if (equals_ignoring_case(last, reserved)) return false;
  }
  bool valid_characters = std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
  return valid_characters && (alphabetic || punycode) && host.find("..") == std::string_view::npos;
}

// Whether the authority's port, if any, is a number from 1 to 65535.
bool has_valid_port(std::string_view url) {
  std::string_view rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || (rest.starts_with('[') && colon < rest.find(']'))) return true;
  std::string_view port = rest.substr(colon + 1);
  int value = 0;
  auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  return !port.empty() && error == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

// Ok for an https URL, or an http URL to this machine (a receiver beside the server).
Status check_url(std::string_view url) {
  std::string host = host_of(url);
  bool plain_http = url.starts_with("http://");
  bool printable = std::all_of(url.begin(), url.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  bool valid = !host.empty() && url.size() <= kMaxUrlBytes && printable && is_acceptable_host(host) &&
               (!plain_http || is_loopback_host(host)) && !is_internal_host(host) && has_valid_port(url);
  if (valid) return Ok{};
  return invalid_body_problem(
      {{"/url",
        {fmt::format("接收地址 {} 无效：应为 https:// 开头、不含用户名和空白、端口为 1 到 65535、不超过 {} 字节的网址，"
                     "且不指向内网地址；http:// 只允许本机地址",
                     quoted_excerpt(url), kMaxUrlBytes),
         fmt::format("Receiver URL {} is invalid: send an https:// URL without credentials or spaces, with a port "
                     "from 1 to 65535, at most {} bytes, not aimed at a private network address; http:// is allowed "
                     "only for this machine",
                     quoted_excerpt(url), kMaxUrlBytes)}}});
}

nlohmann::json subscription_json(const WebhookSubscription& subscription) {
  return {{"id", subscription.id},
          {"org_id", subscription.org_id},
          {"url", subscription.url},
          {"created_by", subscription.created_by},
          {"created_at", format_instant(subscription.created_at)},
          {"delivered_through", subscription.delivered_through},
          {"attempts", subscription.attempts},
          {"next_attempt_at",
           subscription.next_attempt_at ? nlohmann::json(format_instant(*subscription.next_attempt_at)) : nlohmann::json()}};
}

Problem webhook_not_found_problem(std::string_view id) {
  return make_problem(ErrorCode::not_found,
                      {fmt::format("本单位没有网络钩子 {}；用 GET /api/v1/webhooks 查看", quoted_excerpt(id)),
                       fmt::format("Your organisation has no webhook {}; list them with GET /api/v1/webhooks",
                                   quoted_excerpt(id))});
}

// The caller's organisation's active subscription with the route's first parameter.
Result<WebhookSubscription> own_subscription(const RouteContext& context) {
  const std::string& id = context.parameters.at(0);
  std::optional<WebhookSubscription> subscription = context.webhooks.find_subscription(id);
  if (!subscription || !subscription->active || subscription->org_id != context.principal->organisation.id) {
    return webhook_not_found_problem(id);
  }
  return std::move(*subscription);
}

}  // namespace

RouteResult create_webhook(const RouteContext& context) {
  Result<nlohmann::json> body = read_json_object(context.request, false);
  if (!body) return std::move(body).take_problem();
  std::vector<FieldError> errors = check_members(*body, kCreateMembers);
  if (!errors.empty()) return invalid_body_problem(std::move(errors));
  std::string url = body->at("url").get<std::string>();
  if (Status valid = check_url(url); !valid) return valid.problem();

  WebhookSubscription subscription;
  subscription.id = "whk_" + random_hex(8);
  subscription.org_id = context.principal->organisation.id;
  subscription.url = url;
  subscription.secret = new_webhook_secret();
  subscription.created_by = context.principal->user.id;
  subscription.created_at = context.clock.now().instant;
  // Only events from now on are delivered.
  subscription.delivered_through = context.service.store().last_event_id();
  context.webhooks.add_subscription(subscription);
  spdlog::info("webhook_created subscription={} org={} url=\"{}\"", subscription.id, subscription.org_id, url);

  nlohmann::json reply = subscription_json(subscription);
  reply["secret"] = subscription.secret;  // shown this once
  return JsonReply{201, std::move(reply), {{"Location", "/api/v1/webhooks/" + subscription.id}}};
}

RouteResult list_webhooks(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  std::vector<WebhookSubscription> subscriptions = context.webhooks.subscriptions_of(context.principal->organisation.id);
  nlohmann::json items = nlohmann::json::array();
  for (const WebhookSubscription& subscription : subscriptions) items.push_back(subscription_json(subscription));
  return JsonReply{200, page_json(std::move(items), static_cast<std::int64_t>(subscriptions.size())), {}};
}

RouteResult delete_webhook(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  Result<WebhookSubscription> subscription = own_subscription(context);
  if (!subscription) return std::move(subscription).take_problem();
  context.webhooks.deactivate_subscription(subscription->id);
  spdlog::info("webhook_deleted subscription={} org={}", subscription->id, subscription->org_id);
  return JsonReply{200, {{"id", subscription->id}, {"active", false}}, {}};
}

RouteResult list_webhook_deliveries(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {"limit"}); !names) return names.problem();
  Result<Paging> paging = read_paging(context.request);
  if (!paging) return std::move(paging).take_problem();
  Result<WebhookSubscription> subscription = own_subscription(context);
  if (!subscription) return std::move(subscription).take_problem();
  nlohmann::json items = nlohmann::json::array();
  std::vector<WebhookDelivery> deliveries = context.webhooks.deliveries_of(subscription->id, paging->limit);
  for (const WebhookDelivery& delivery : deliveries) {
    items.push_back({{"id", delivery.id},
                     {"event_id", delivery.event_id},
                     {"attempt", delivery.attempt},
                     {"at", format_instant(delivery.at)},
                     {"status", delivery.status},
                     {"outcome", delivery.outcome},
                     {"error", delivery.error}});
  }
  return JsonReply{200, page_json(std::move(items), static_cast<std::int64_t>(deliveries.size())), {}};
}

}  // namespace sitecycle::http
