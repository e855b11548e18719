// GET /api/v1/stream: the events of the cases the caller may see, as Server-Sent Events. Each
// event is `id: EVENT_ID`, `event: TYPE` (the CloudEvents type of webhooks) and `data:` the
// event's JSON. A client that reconnects sends Last-Event-ID and misses nothing.
#pragma once

#include "engine/case_store.h"
#include "http_message.h"

#include <cstdint>
#include <functional>
#include <string>

namespace sitecycle::http {

class EventStream final : public ResponseStream {
 public:
  // Sends the events after `after_id` on cases in `scope` while `still_allowed` returns true (it
  // is asked before every poll, so a revoked token or a disabled user ends the stream). The
  // store must outlive the stream.
  EventStream(CaseStore& store, CaseScope scope, std::int64_t after_id, std::function<bool()> still_allowed);

  // The next events in SSE form, "" when there is none, and nullopt when the caller lost access or
  // the store failed (the client reconnects and resumes from the last id it received).
  std::optional<std::string> poll() override;

 private:
  CaseStore& store_;
  const CaseScope scope_;
  std::function<bool()> still_allowed_;
  std::int64_t after_id_;
  bool started_ = false;
};

}  // namespace sitecycle::http
