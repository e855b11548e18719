// A SQLite case store with 1,000,000 open deadlines of rule `review` in
// workflows/investigation.yaml, of which exactly 1,000 are due at the fixture's `now`. The
// deadline benchmark builds it once per run, because building it takes minutes.
//
// Layout: 1,000 investigation cases are created at 2017-01-03T09:00 Shanghai time and brought to
// under_review through a CaseService with the real calendars, so each case has one open review
// deadline started that day by the engine itself. These 1,000 first cycles all warn at the same
// instant, which is `now`. The other 999,000 rows are later cycles of the same rule on the same
// cases, each computed by the tracker as accept_for_review at 09:00 on its start day would start
// it. The start days are spread from 2017-01-04 to 2026-11-30, so the warnings and due dates
// fall in 2017 to 2026 on the published calendars and none of them is due at `now`.
#pragma once

#include "adapters/deadline_setup.h"
#include "bench/bench_store.h"
#include "engine/deadline_service.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace sitecycle::bench {

struct DeadlineFixtureSize {
  int cases = 1000;
  std::int64_t open_deadlines = 1000000;  // the cases' first cycles included
  std::int64_t rows_per_transaction = 50000;
};

// Wall-clock durations of the setup steps.
struct DeadlineSetupTimes {
  std::chrono::duration<double> cases{};  // creating the cases and bringing them to review
  std::chrono::duration<double> rows{};   // computing and inserting the later cycles
};

class DeadlineFixture {
 public:
  // Builds the store. Throws std::runtime_error when the size is invalid, the workflows or
  // calendars do not load, a command is rejected, or the due deadlines at the end are not exactly
  // the first cycle of each case. Throws StoreError when SQLite fails.
  explicit DeadlineFixture(DeadlineFixtureSize size = {});

  DeadlineFixture(const DeadlineFixture&) = delete;
  DeadlineFixture& operator=(const DeadlineFixture&) = delete;

  DeadlineService& service() { return *deadline_service_; }
  CaseStore& store() { return bench_.store(); }
  const WorkflowRegistry& registry() const { return bench_.registry(); }
  // The instant at which the cases' first cycles warn.
  const Moment& now() const { return now_; }
  // The deadlines due at `now`, as stored before any firing. `version` is kept current by
  // restore_due().
  const std::vector<DeadlineRecord>& due() const { return due_; }
  const DeadlineFixtureSize& size() const { return size_; }
  const DeadlineSetupTimes& setup_times() const { return setup_times_; }

  // Writes the due deadlines back as they were before fire_due() warned them, in one
  // transaction, so the next fire_due() finds the same 1,000. Throws std::runtime_error when a
  // row was changed by anything but one fire_due().
  void restore_due();

 private:
  void open_cases();
  void insert_later_cycles();
  void collect_due();

  DeadlineFixtureSize size_;
  BenchStore bench_;
  std::unique_ptr<DeadlineEnvironment> environment_;
  std::unique_ptr<CaseService> case_service_;  // with deadline clocks, unlike bench_.service()
  std::unique_ptr<DeadlineService> deadline_service_;
  std::vector<StoredCase> cases_;
  Moment now_{};
  std::vector<DeadlineRecord> due_;
  DeadlineSetupTimes setup_times_;
};

}  // namespace sitecycle::bench
