#include "adapters/deadline_scheduler.h"

#include <spdlog/spdlog.h>

namespace sitecycle {

DeadlineScheduler::DeadlineScheduler(DeadlineService& service, CaseStore& store, const Clock& clock,
                                     std::chrono::seconds poll_interval)
    : service_(service), store_(store), clock_(clock), poll_interval_(poll_interval) {}

DeadlineScheduler::~DeadlineScheduler() { stop(); }

void DeadlineScheduler::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void DeadlineScheduler::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_one();
}

void DeadlineScheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

// Until the next due instant by the service's clock, but at most one poll interval.
std::chrono::steady_clock::duration DeadlineScheduler::sleep_time() {
  std::chrono::steady_clock::duration longest = poll_interval_;
  try {
    std::optional<Instant> next = store_.next_deadline_fire_at();
    if (!next) return longest;
    auto until = *next - clock_.now().instant;
    if (until <= std::chrono::seconds{0}) return std::chrono::steady_clock::duration::zero();
    return std::min<std::chrono::steady_clock::duration>(until, longest);
  } catch (const StoreError& error) {
    spdlog::error("deadline scheduler: cannot read the next due instant: {}", error.what());
    return longest;
  }
}

void DeadlineScheduler::run() {
  spdlog::info("deadline scheduler started");
  while (true) {
    Result<std::vector<DeadlineFiringRecord>> fired = service_.fire_due(clock_.now());
    if (!fired) {
      spdlog::error("deadline scheduler: {}", fired.problem().detail.en);
    } else {
      for (const DeadlineFiringRecord& firing : *fired) {
        spdlog::info("deadline {} ({}, case {}, cycle {}): {} at {} as event {}", firing.deadline_id, firing.rule_id,
                     firing.case_id, firing.cycle, deadline_event_name(firing.event),
                     format_instant(firing.scheduled_at), firing.event_id);
      }
    }

    auto wait = fired ? sleep_time() : std::chrono::steady_clock::duration(poll_interval_);
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, wait, [this] { return stopping_ || poked_; });
    if (stopping_) break;
    poked_ = false;
  }
  spdlog::info("deadline scheduler stopped");
}

}  // namespace sitecycle
