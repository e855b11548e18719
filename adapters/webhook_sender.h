// Sending a signed webhook message over HTTP(S) with libcurl.
#pragma once

#include "adapters/webhook_message.h"

#include <chrono>
#include <string>

namespace sitecycle {

struct SendResult {
  int status = 0;     // the receiver's HTTP status; 0 when no response came
  std::string error;  // why no response came, or empty
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // POSTs the message to `url`. Never throws.
  virtual SendResult post(const std::string& url, const WebhookMessage& message) = 0;
};

// Thread-safety: post() may run on several threads; each call uses its own connection.
class CurlWebhookSender final : public WebhookSender {
 public:
  explicit CurlWebhookSender(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  SendResult post(const std::string& url, const WebhookMessage& message) override;

 private:
  std::chrono::milliseconds timeout_;
};

}  // namespace sitecycle
