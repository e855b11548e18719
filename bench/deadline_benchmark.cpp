// Deadline scheduling at scale, and the working-day arithmetic under it.
//
// fire_due_1000_of_1m: one DeadlineService::fire_due(now) on the store of deadline_fixture.h,
// which contains 1,000,000 open review deadlines of which 1,000 are due. fire_due finds the 1,000
// through the partial index on next_fire_at. In one transaction it writes a deadline_warning
// event, an outbox message and the updated deadline for each, and it then opens a second
// transaction that finds nothing more. p50_ms/p99_ms are wall-clock latencies of whole calls.
//
// Between iterations the 1,000 warned deadlines are written back as they were, outside the
// measured time (manual timing), so every iteration fires the same 1,000 warnings among the same
// 1,000,000 rows. Advancing `now` to fresh batches instead does not work for long. Warnings are
// scheduled at the start of a day, so each batch needs its own day. A warned deadline is due
// again as a breach about three working days later, so the later batches would fire it again.
// Firing the same rows keeps their pages in SQLite's and the kernel's caches, so the
// figure is for warm caches. The events and outbox tables grow by 1,000 rows per iteration.
//
// working_day_additions and count_working_days_ten_years: WorkingDayCalendar on the CN calendar
// of workflows/calendars (2017 to 2026), without any store.
#include "adapters/calendar_files.h"
#include "bench/commands.h"
#include "bench/deadline_fixture.h"
#include "bench/guarded_steps.h"
#include "bench/latency_recorder.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

namespace sitecycle::bench {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

// Enough iterations that p99 is not simply the slowest call (nearest rank 99 of 100).
constexpr benchmark::IterationCount kFireDueIterations = 100;

// Built on first use and kept until the program ends, so --benchmark_repetitions builds the
// 1,000,000 rows once.
DeadlineFixture* shared_deadline_fixture(benchmark::State& state) {
  static std::unique_ptr<DeadlineFixture> fixture;
  if (!fixture) fixture = prepare_or_skip(state, [] { return std::make_unique<DeadlineFixture>(); });
  return fixture.get();
}

// Throws std::runtime_error unless fire_due succeeded with exactly one warning for each due
// deadline and nothing else.
void check_firings(const Result<std::vector<DeadlineFiringRecord>>& fired, const DeadlineFixture& fixture) {
  if (!fired) throw std::runtime_error("fire_due failed: " + describe_problem(fired.problem()));

  std::vector<std::int64_t> expected_ids;
  for (const DeadlineRecord& record : fixture.due()) expected_ids.push_back(record.id);
  std::vector<std::int64_t> warned_ids;
  for (const DeadlineFiringRecord& firing : *fired) {
    if (firing.event != DeadlineEvent::warning_due) {
      throw std::runtime_error(fmt::format("deadline {} fired {}, expected warning_due", firing.deadline_id,
                                           deadline_event_name(firing.event)));
    }
    warned_ids.push_back(firing.deadline_id);
  }

  std::sort(expected_ids.begin(), expected_ids.end());
  std::sort(warned_ids.begin(), warned_ids.end());
  if (warned_ids != expected_ids) {
    throw std::runtime_error(fmt::format("fire_due warned {} deadlines, expected one warning for each of the {} due",
                                         warned_ids.size(), expected_ids.size()));
  }
}

void report_fixture(benchmark::State& state, const DeadlineFixture& fixture) {
  state.counters["open_deadlines"] = static_cast<double>(fixture.size().open_deadlines);
  state.counters["due"] = static_cast<double>(fixture.due().size());
  state.counters["setup_cases_s"] = fixture.setup_times().cases.count();
  state.counters["setup_rows_s"] = fixture.setup_times().rows.count();
  state.SetLabel("now=" + format_instant(fixture.now().instant));
}

void fire_due_1000_of_1m(benchmark::State& state) {
  // Setup, untimed and only on the first run: the store with 1,000,000 open deadlines.
  DeadlineFixture* fixture = shared_deadline_fixture(state);
  if (fixture == nullptr) return;

  // Each iteration: fire_due (measured), then the restore (not measured).
  LatencyRecorder fire_latencies(static_cast<std::size_t>(state.max_iterations));
  LatencyRecorder restore_latencies(static_cast<std::size_t>(state.max_iterations));
  std::int64_t firings = 0;
  for (auto _ : state) {
    try {
      const auto started = std::chrono::steady_clock::now();
      Result<std::vector<DeadlineFiringRecord>> fired = fixture->service().fire_due(fixture->now());
      const auto fire_time = std::chrono::steady_clock::now() - started;
      check_firings(fired, *fixture);
      state.SetIterationTime(std::chrono::duration<double>(fire_time).count());
      fire_latencies.record(fire_time);
      firings += static_cast<std::int64_t>(fired->size());

      const auto restore_started = std::chrono::steady_clock::now();
      fixture->restore_due();
      restore_latencies.record(std::chrono::steady_clock::now() - restore_started);
    } catch (const std::exception& error) {
      state.SkipWithError(error.what());
      break;
    }
  }

  // Results: firings per second as items_per_second, latencies in milliseconds, the setup.
  state.SetItemsProcessed(firings);
  state.counters["p50_ms"] = fire_latencies.percentile_microseconds(0.50) / 1000;
  state.counters["p99_ms"] = fire_latencies.percentile_microseconds(0.99) / 1000;
  state.counters["restore_p50_ms"] = restore_latencies.percentile_microseconds(0.50) / 1000;
  report_fixture(state, *fixture);
}

BENCHMARK(fire_due_1000_of_1m)->Iterations(kFireDueIterations)->UseManualTime()->Unit(benchmark::kMillisecond);

// The national calendar CN as the deadline tracker uses it. Throws std::runtime_error when a
// calendar file does not load.
WorkingDayCalendar load_national_calendar() {
  const std::string folder = std::string(SITECYCLE_WORKFLOWS_DIR) + "/calendars";
  LoadedCalendars loaded = load_calendar_folder(folder);
  const WorkingDayCalendar* calendar = loaded.set.find(kNationalCalendarId);
  if (!loaded.diagnostics.empty() || loaded.unreadable || calendar == nullptr) {
    throw std::runtime_error(fmt::format("the calendar {} in {} does not load, and `sitecycle validate {}` lists the "
                                         "problems",
                                         kNationalCalendarId, folder, SITECYCLE_WORKFLOWS_DIR));
  }
  return *calendar;
}

const WorkingDayCalendar* shared_national_calendar(benchmark::State& state) {
  static std::unique_ptr<WorkingDayCalendar> calendar;
  if (!calendar) {
    calendar = prepare_or_skip(state, [] { return std::make_unique<WorkingDayCalendar>(load_national_calendar()); });
  }
  return calendar.get();
}

constexpr Date kFirstCalendarDay{std::chrono::year{2017}, std::chrono::January, std::chrono::day{1}};
constexpr std::int64_t kTenYearsOfDays = 3652;  // 2017-01-01 to 2026-12-31

struct Addition {
  Date from;
  int count = 1;
};

// 4,096 start dates spread over 2017 to 2026 and counts from 1 to 250, taken in fixed strides
// (both prime) so that every run adds the same pairs. Starts late in 2026 reach 2027, which has
// no calendar and counts weekends only.
std::vector<Addition> planned_additions() {
  std::vector<Addition> additions;
  for (std::int64_t i = 0; i < 4096; ++i) {
    additions.push_back({Date{sys_days{kFirstCalendarDay} + days{(i * 7919) % kTenYearsOfDays}},
                         static_cast<int>(1 + (i * 37) % 250)});
  }
  return additions;
}

void working_day_additions(benchmark::State& state) {
  const WorkingDayCalendar* calendar = shared_national_calendar(state);
  if (calendar == nullptr) return;
  const std::vector<Addition> additions = planned_additions();

  std::size_t next = 0;
  for (auto _ : state) {
    const Addition& addition = additions[next++ % additions.size()];
    WorkingDayResult result = calendar->add_working_days(addition.from, addition.count);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(working_day_additions)->Unit(benchmark::kMicrosecond);

// Spans of 3652 days that start between 2016-10-30 and 2017-01-01 and end 3652 days later, in
// 2026. Their days in 2016 have no calendar and count weekends only.
void count_working_days_ten_years(benchmark::State& state) {
  const WorkingDayCalendar* calendar = shared_national_calendar(state);
  if (calendar == nullptr) return;

  std::int64_t next = 0;
  for (auto _ : state) {
    const sys_days after = sys_days{kFirstCalendarDay} - days{1 + next++ % 64};
    int count = calendar->count_working_days(Date{after}, Date{after + days{kTenYearsOfDays}});
    benchmark::DoNotOptimize(count);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(count_working_days_ten_years)->Unit(benchmark::kMicrosecond);

}  // namespace

}  // namespace sitecycle::bench
