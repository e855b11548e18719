#include "event_stream.h"

#include "adapters/webhook_message.h"
#include "json_response.h"
#include "json_views.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace sitecycle::http {

namespace {

constexpr std::int64_t kEventsPerPoll = 200;
// How long a client waits before it reconnects after the stream ended, in milliseconds.
constexpr int kReconnectMilliseconds = 3000;

}  // namespace

EventStream::EventStream(CaseStore& store, CaseScope scope, std::int64_t after_id, std::function<bool()> still_allowed)
    : store_(store), scope_(std::move(scope)), still_allowed_(std::move(still_allowed)), after_id_(after_id) {}

std::optional<std::string> EventStream::poll() {
  std::string text;
  if (!started_) {
    text = fmt::format("retry: {}\n\n", kReconnectMilliseconds);
    started_ = true;
  }
  try {
    if (!still_allowed_()) {
      spdlog::info("event_stream_ended reason=\"token no longer signs in\" after={}", after_id_);
      return std::nullopt;
    }
    for (const StoredEvent& event : store_.events_after(after_id_, scope_, kEventsPerPoll)) {
      text += fmt::format("id: {}\nevent: {}\ndata: {}\n\n", event.id, cloud_event_type(event), dump_json(event_json(event)));
      after_id_ = event.id;
    }
  } catch (const StoreError& error) {
    spdlog::error("event_stream_failed after={} error=\"{}\"", after_id_, error.what());
    return std::nullopt;
  }
  return text;
}

}  // namespace sitecycle::http
