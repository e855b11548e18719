// Case lists as the dashboard reads them, on the store of deadline_fixture.h sized to 10,000
// investigation cases under review. Each case has its open review deadline and the 7 events
// that brought it there, and the cases take the 16 districts in turn.
//
// One iteration is one CaseStore::list_case_listings call for a page of 50, which also counts
// every match for the total. Each listing computes, per matching case, the time it entered its
// state (from events), its light and its next due time (from deadlines), so the cost grows with
// the matches, not with the page. p50_ms/p99_ms are wall-clock latencies of whole calls.
#include "bench/commands.h"
#include "bench/deadline_fixture.h"
#include "bench/guarded_steps.h"
#include "bench/latency_recorder.h"
#include "engine/waiting_states.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>

namespace sitecycle::bench {

namespace {

constexpr int kListedCases = 10000;
constexpr benchmark::IterationCount kListIterations = 50;

// Built on first use and kept until the program ends, so every list benchmark reads one store.
DeadlineFixture* shared_list_fixture(benchmark::State& state) {
  static std::unique_ptr<DeadlineFixture> fixture;
  if (!fixture) {
    fixture = prepare_or_skip(state, [] {
      return std::make_unique<DeadlineFixture>(DeadlineFixtureSize{kListedCases, kListedCases, 50000});
    });
  }
  return fixture.get();
}

// Runs `query` once per iteration and reports its latencies and match count. Throws when a page
// comes back with other than min(50, total) items.
void run_list(benchmark::State& state, CaseQuery query) {
  DeadlineFixture* fixture = shared_list_fixture(state);
  if (fixture == nullptr) return;
  query.limit = 50;

  LatencyRecorder latencies(static_cast<std::size_t>(state.max_iterations));
  std::int64_t total = 0;
  for (auto _ : state) {
    try {
      const auto started = std::chrono::steady_clock::now();
      Page<ListedCase> page = fixture->store().list_case_listings(query);
      latencies.record(std::chrono::steady_clock::now() - started);
      if (static_cast<std::int64_t>(page.items.size()) != std::min<std::int64_t>(50, page.total)) {
        throw std::runtime_error(fmt::format("a page of {} items for {} matches", page.items.size(), page.total));
      }
      total = page.total;
    } catch (const std::exception& error) {
      state.SkipWithError(error.what());
      break;
    }
  }
  state.counters["matches"] = static_cast<double>(total);
  state.counters["p50_ms"] = latencies.percentile_microseconds(0.50) / 1000;
  state.counters["p99_ms"] = latencies.percentile_microseconds(0.99) / 1000;
}

void list_all_by_creation(benchmark::State& state) { run_list(state, CaseQuery{}); }

void list_all_by_next_due(benchmark::State& state) {
  CaseQuery query;
  query.order = CaseOrder::next_due_at;
  run_list(state, query);
}

void list_red_lights(benchmark::State& state) {
  CaseQuery query;
  query.light = DeadlineLight::red;
  run_list(state, query);
}

void list_district_by_next_due(benchmark::State& state) {
  CaseQuery query;
  query.district = "pudong";
  query.order = CaseOrder::next_due_at;
  run_list(state, query);
}

void todo_of_district_bureau(benchmark::State& state) {
  DeadlineFixture* fixture = shared_list_fixture(state);
  if (fixture == nullptr) return;
  CaseQuery query;
  query.closed = false;
  query.waiting_role = "district_eeb";
  query.waiting_states = states_waiting_for(fixture->registry(), "district_eeb");
  query.order = CaseOrder::state_entered_at;
  run_list(state, query);
}

BENCHMARK(list_all_by_creation)->Iterations(kListIterations)->Unit(benchmark::kMillisecond);
BENCHMARK(list_all_by_next_due)->Iterations(kListIterations)->Unit(benchmark::kMillisecond);
BENCHMARK(list_red_lights)->Iterations(kListIterations)->Unit(benchmark::kMillisecond);
BENCHMARK(list_district_by_next_due)->Iterations(kListIterations)->Unit(benchmark::kMillisecond);
BENCHMARK(todo_of_district_bureau)->Iterations(kListIterations)->Unit(benchmark::kMillisecond);

}  // namespace

}  // namespace sitecycle::bench
