#include "adapters/webhook_dispatcher.h"

#include "engine/organisation.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sitecycle {

WebhookDispatcher::WebhookDispatcher(WebhookStore& webhooks, CaseStore& cases, IdentityStore& identities,
                                     WebhookSender& sender, const Clock& clock, WebhookPolicy policy)
    : webhooks_(webhooks), cases_(cases), identities_(identities), sender_(sender), clock_(clock), policy_(policy) {}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

std::chrono::seconds WebhookDispatcher::retry_delay(int attempt) const {
  std::chrono::seconds delay = policy_.first_retry;
  for (int i = 1; i < attempt && delay < policy_.max_retry; ++i) delay *= 2;
  return std::min(delay, policy_.max_retry);
}

int WebhookDispatcher::run_once() {
  int attempts = 0;
  try {
    Instant now = clock_.now().instant;
    for (const WebhookSubscription& subscription : webhooks_.due_subscriptions(now)) {
      attempts += deliver(subscription, now);
    }
  } catch (const std::exception& error) {
    spdlog::error("webhook_run_failed error=\"{}\"", error.what());
  }
  return attempts;
}

// Delivers under the subscription's lease, or skips the subscription while another node holds it.
int WebhookDispatcher::deliver(const WebhookSubscription& subscription, Instant now) {
  if (!webhooks_.take_lease(subscription.id, policy_.lease_holder, now, now + policy_.lease)) return 0;
  struct LeaseRelease {
    WebhookStore& store;
    const WebhookSubscription& subscription;
    const std::string& holder;
    ~LeaseRelease() {
      try {
        store.release_lease(subscription.id, holder);
      } catch (const std::exception& error) {
        // The lease then runs out on its own.
        spdlog::warn("webhook_lease_not_released subscription={} error=\"{}\"", subscription.id, error.what());
      }
    }
  } release{webhooks_, subscription, policy_.lease_holder};
  return deliver_leased(subscription, now);
}

// Delivers the subscription's next events until one fails, the batch is done, or the lease is lost.
int WebhookDispatcher::deliver_leased(const WebhookSubscription& subscription, Instant now) {
  std::optional<Organisation> organisation = identities_.find_organisation(subscription.org_id);
  if (!organisation) {
    spdlog::warn("webhook_organisation_missing subscription={} org={}", subscription.id, subscription.org_id);
    return 0;
  }
  std::vector<StoredEvent> events =
      cases_.events_after(subscription.delivered_through, scope_of(*organisation), policy_.batch);

  int attempts = 0;
  int attempt = subscription.attempts + 1;
  for (const StoredEvent& event : events) {
    if (attempts > 0) {
      now = clock_.now().instant;
      if (!webhooks_.take_lease(subscription.id, policy_.lease_holder, now, now + policy_.lease)) return attempts;
    }
    std::optional<StoredCase> stored = cases_.find_case(event.case_id);
    WebhookMessage message = signed_message(cloud_event(event, stored ? &*stored : nullptr), subscription.secret, now);
    SendResult sent = sender_.post(subscription.url, message);
    ++attempts;

    WebhookDelivery delivery{0, subscription.id, event.id, attempt, now, sent.status, "delivered", sent.error};
    std::optional<Instant> retry_at;
    bool acknowledged = sent.status >= 200 && sent.status < 300;
    if (!acknowledged) {
      if (delivery.error.empty()) delivery.error = "receiver answered " + std::to_string(sent.status);
      delivery.outcome = attempt >= policy_.max_attempts ? "dead_lettered" : "failed";
      retry_at = now + retry_delay(attempt);
    }
    spdlog::info("webhook_delivery subscription={} event={} attempt={} status={} outcome={}", subscription.id, event.id,
                 attempt, sent.status, delivery.outcome);
    if (!webhooks_.record_delivery(delivery, retry_at)) return attempts;  // another worker moved past it
    if (delivery.outcome == "failed") return attempts;
    attempt = 1;
  }
  return attempts;
}

void WebhookDispatcher::start() {
  std::lock_guard guard(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      poked_ = false;
      lock.unlock();
      run_once();
      lock.lock();
      wake_.wait_for(lock, policy_.poll_interval, [this] { return stopping_ || poked_; });
    }
  });
}

void WebhookDispatcher::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_all();
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sitecycle
