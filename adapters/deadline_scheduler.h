// The server's deadline timer: a thread that sleeps until the earliest next_fire_at in the
// store (or until poked after a command changed deadlines) and then fires what is due. It never
// scans cases, because the store finds the next instant through an index.
//
// Restart safety: what fell due while the server was down is fired by the first run after
// start, once, because each firing commits together with the deadline's new state.
#pragma once

#include "adapters/clock.h"
#include "engine/deadline_service.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace sitecycle {

class DeadlineScheduler {
 public:
  // `poll_interval` bounds each sleep, so deadlines written by another process or node are seen
  // within it. The service and clock must outlive the scheduler.
  DeadlineScheduler(DeadlineService& service, CaseStore& store, const Clock& clock,
                    std::chrono::seconds poll_interval = std::chrono::seconds{60});
  ~DeadlineScheduler();

  DeadlineScheduler(const DeadlineScheduler&) = delete;
  DeadlineScheduler& operator=(const DeadlineScheduler&) = delete;

  void start();
  // Wakes the timer to look at the store again, for example after a command started a clock.
  void poke();
  // Stops the thread and waits for it. Idempotent.
  void stop();

 private:
  void run();
  std::chrono::steady_clock::duration sleep_time();

  DeadlineService& service_;
  CaseStore& store_;
  const Clock& clock_;
  std::chrono::seconds poll_interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sitecycle
