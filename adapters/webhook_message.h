// The message a webhook receiver gets: a case event as a CloudEvents 1.0 JSON document
// (structured mode), signed as Standard Webhooks describes (webhook-id, webhook-timestamp and
// webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>").
#pragma once

#include "engine/case_store.h"
#include "engine/instant.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sitecycle {

struct WebhookMessage {
  std::string id;  // the same for every attempt and subscription, so receivers can drop repeats
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// The CloudEvent of `event`. `stored` (the case now) adds its workflow; it may be null.
// Types: cn.sitecycle.case.created, cn.sitecycle.case.transitioned,
// cn.sitecycle.case.signal_skipped, and cn.sitecycle.deadline.KIND for each deadline event kind
// (warning, breached, escalated, ...).
nlohmann::json cloud_event(const StoredEvent& event, const StoredCase* stored);

// The event's JSON and headers, signed with `secret` at `now`. Throws std::invalid_argument
// when the secret is not "whsec_" and base64.
WebhookMessage signed_message(const nlohmann::json& event, std::string_view secret, Instant now);

// "v1," and the base64 HMAC-SHA256 of "ID.TIMESTAMP.BODY" under the secret's key; nullopt when
// the secret is malformed.
std::optional<std::string> webhook_signature(std::string_view secret, std::string_view id, long long timestamp,
                                             std::string_view body);

// The CloudEvents type of an event, such as "cn.sitecycle.case.transitioned"; also the event name
// of the Server-Sent Events stream.
std::string cloud_event_type(const StoredEvent& event);

// A new secret: "whsec_" and 32 random bytes in base64.
std::string new_webhook_secret();

}  // namespace sitecycle
