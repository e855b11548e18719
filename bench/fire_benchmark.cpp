// CaseService::fire, one store transaction (BEGIN IMMEDIATE ... COMMIT) per transition. The HTTP
// API's transition route and the scenario runner fire transitions this way. Each benchmark iteration fires one transition of the
// review loop on one case, and p50_us/p99_us are the wall-clock latencies of single fire() calls.
#include "bench/bench_store.h"
#include "bench/commands.h"
#include "bench/guarded_steps.h"
#include "bench/latency_recorder.h"
#include "bench/review_loop.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

namespace sitecycle::bench {

namespace {

// Iteration counts, fixed so that every run fires the same transitions on a database of the same
// size. They keep the whole run under a minute on the machine in docs/benchmarks.md.
constexpr benchmark::IterationCount kFileFires = 2000;
constexpr benchmark::IterationCount kMemoryFires = 10000;

struct FireSetup {
  explicit FireSetup(StoreLocation location) : bench(location) {}

  BenchStore bench;
  std::vector<FireRequest> requests;  // one turn of the review loop
};

std::unique_ptr<FireSetup> prepare_fire(StoreLocation location) {
  auto setup = std::make_unique<FireSetup>(location);
  const std::string case_id = open_investigation_at_review(setup->bench.service(), setup->bench.now());
  for (TransitionRequest& transition : review_loop_requests()) {
    setup->requests.push_back(FireRequest{case_id, std::move(transition), std::nullopt});
  }
  return setup;
}

void fire_in_own_transactions(benchmark::State& state, StoreLocation location) {
  // Setup, untimed: a fresh store and one case waiting in report_submitted.
  std::unique_ptr<FireSetup> setup = prepare_or_skip(state, [&] { return prepare_fire(location); });
  if (!setup) return;

  // Timed loop: one fire() per iteration, cycling through the review loop.
  LatencyRecorder latencies(static_cast<std::size_t>(state.max_iterations));
  std::size_t fired = 0;
  for (auto _ : state) {
    const FireRequest& request = setup->requests[fired % setup->requests.size()];
    const bool ok = time_or_skip(state, latencies, [&] {
      Result<CommandOutcome> outcome = setup->bench.service().fire(request, setup->bench.now());
      if (!outcome) throw std::runtime_error(describe_problem(outcome.problem()));
    });
    if (!ok) break;
    ++fired;
  }

  // Results: transitions per second as items_per_second, and the latency percentiles.
  state.SetItemsProcessed(static_cast<std::int64_t>(fired));
  latencies.report(state);
}

BENCHMARK_CAPTURE(fire_in_own_transactions, sqlite_file, StoreLocation::temporary_file)
    ->Iterations(kFileFires)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(fire_in_own_transactions, in_memory, StoreLocation::in_memory)
    ->Iterations(kMemoryFires)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

}  // namespace sitecycle::bench
