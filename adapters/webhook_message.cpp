#include "adapters/webhook_message.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <fmt/format.h>

#include <array>
#include <chrono>
#include <stdexcept>

namespace sitecycle {

namespace {

constexpr std::string_view kSecretPrefix = "whsec_";

std::string base64(const unsigned char* bytes, std::size_t size) {
  std::string encoded(4 * ((size + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), bytes, static_cast<int>(size));
  encoded.resize(static_cast<std::size_t>(length));
  return encoded;
}

// The key bytes of "whsec_<base64>", or nullopt.
std::optional<std::string> secret_key(std::string_view secret) {
  if (!secret.starts_with(kSecretPrefix)) return std::nullopt;
  std::string_view encoded = secret.substr(kSecretPrefix.size());
  if (encoded.empty() || encoded.size() % 4 != 0) return std::nullopt;
  std::string key(3 * encoded.size() / 4, '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(key.data()),
                               reinterpret_cast<const unsigned char*>(encoded.data()), static_cast<int>(encoded.size()));
  if (length < 0) return std::nullopt;
  std::size_t padding = encoded.ends_with("==") ? 2 : encoded.ends_with('=') ? 1 : 0;
  key.resize(static_cast<std::size_t>(length) - padding);
  return key;
}

nlohmann::json null_if_empty(const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); }

}  // namespace

std::string cloud_event_type(const StoredEvent& event) {
  if (event.kind == "created") return "cn.sitecycle.case.created";
  if (event.kind == "transition") return "cn.sitecycle.case.transitioned";
  if (event.kind.starts_with("deadline_")) {
    std::string what = event.kind.substr(std::string_view("deadline_").size());
    return "cn.sitecycle.deadline." + what;
  }
  return "cn.sitecycle.case." + event.kind;
}

nlohmann::json cloud_event(const StoredEvent& event, const StoredCase* stored) {
  nlohmann::json data{{"event_id", event.id},
                      {"case_id", event.case_id},
                      {"case_version", event.case_version},
                      {"kind", event.kind},
                      {"transition", null_if_empty(event.transition)},
                      {"from", null_if_empty(event.from_state)},
                      {"to", null_if_empty(event.to_state)},
                      {"actor",
                       {{"role", null_if_empty(event.actor.role)},
                        {"org", null_if_empty(event.actor.org)},
                        {"user", null_if_empty(event.actor.user)}}},
                      {"at", format_instant(event.at)},
                      {"input", event.input},
                      {"comment", null_if_empty(event.comment)},
                      {"effects", event.effects}};
  if (stored) data["workflow"] = stored->workflow_id;
  return {{"specversion", "1.0"},
          {"id", fmt::format("sitecycle-event-{}", event.id)},
          {"source", "/sitecycle/cases/" + event.case_id},
          {"type", cloud_event_type(event)},
          {"subject", event.case_id},
          {"time", format_instant(event.at)},
          {"datacontenttype", "application/json"},
          {"data", std::move(data)}};
}

std::optional<std::string> webhook_signature(std::string_view secret, std::string_view id, long long timestamp,
                                             std::string_view body) {
  std::optional<std::string> key = secret_key(secret);
  if (!key) return std::nullopt;
  std::string content = fmt::format("{}.{}.{}", id, timestamp, body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()), reinterpret_cast<const unsigned char*>(content.data()),
           content.size(), digest.data(), &length) == nullptr) {
    return std::nullopt;
  }
  return "v1," + base64(digest.data(), length);
}

WebhookMessage signed_message(const nlohmann::json& event, std::string_view secret, Instant now) {
  WebhookMessage message;
  message.id = event.at("id").get<std::string>();
  message.body = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  long long timestamp = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  std::optional<std::string> signature = webhook_signature(secret, message.id, timestamp, message.body);
  if (!signature) throw std::invalid_argument("malformed webhook secret");
  message.headers = {{"Content-Type", "application/cloudevents+json; charset=utf-8"},
                     {"webhook-id", message.id},
                     {"webhook-timestamp", std::to_string(timestamp)},
                     {"webhook-signature", *signature}};
  return message;
}

std::string new_webhook_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  return std::string(kSecretPrefix) + base64(bytes.data(), bytes.size());
}

}  // namespace sitecycle
