// Delivers case events to webhook subscriptions: for each subscription, the events after its
// place in the log on the cases its organisation may see, one at a time and in order. A failed
// attempt is retried after a back-off that doubles; after the last attempt the event is
// dead-lettered and the subscription moves on.
//
// Each attempt is recorded before the subscription moves past the event, and the store moves it
// past an event only once. So no event is passed over before it was delivered or dead-lettered.
// On several nodes, a dispatcher delivers to a subscription only while it holds the
// subscription's lease in the store, renewed before every attempt. A node that stops mid-attempt
// leaves the lease to run out, and another node then sends that event again with the same id, so
// receivers drop repeats by its id.
//
// NOTE: one thread sends to every subscription in turn, so a slow receiver (up to the sender's
// 10 s timeout per attempt) delays the deliveries of other subscriptions.
#pragma once

#include "adapters/clock.h"
#include "adapters/webhook_sender.h"
#include "engine/case_store.h"
#include "engine/identity_store.h"
#include "engine/webhook_store.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace sitecycle {

struct WebhookPolicy {
  int max_attempts = 8;                           // then the event is dead-lettered
  std::chrono::seconds first_retry{5};           // doubled after every failure
  std::chrono::seconds max_retry{3600};
  std::chrono::milliseconds poll_interval{1000};  // how often the thread looks for new events
  int batch = 100;                                 // events per subscription per run
  // Names this dispatcher in the subscriptions' leases; unique per node.
  std::string lease_holder = "local";
  // Longer than one attempt (the sender's 10 s timeout), so a lease is renewed before it runs out.
  std::chrono::seconds lease{60};
};

class WebhookDispatcher {
 public:
  // Everything is borrowed and must outlive the dispatcher.
  WebhookDispatcher(WebhookStore& webhooks, CaseStore& cases, IdentityStore& identities, WebhookSender& sender,
                    const Clock& clock, WebhookPolicy policy = {});
  ~WebhookDispatcher();

  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // Makes every attempt that is due now and returns how many it made. Store failures are logged
  // and end the run early.
  int run_once();

  // Runs run_once() on a thread every poll interval, or sooner after poke().
  void start();
  void poke();
  // Stops the thread and waits for it. Idempotent.
  void stop();

 private:
  int deliver(const WebhookSubscription& subscription, Instant now);
  int deliver_leased(const WebhookSubscription& subscription, Instant now);
  std::chrono::seconds retry_delay(int attempt) const;

  WebhookStore& webhooks_;
  CaseStore& cases_;
  IdentityStore& identities_;
  WebhookSender& sender_;
  const Clock& clock_;
  const WebhookPolicy policy_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool poked_ = false;
  std::thread thread_;
};

}  // namespace sitecycle
