// Many transitions in one CaseTransaction: CaseStore::begin(), then apply_in_transaction for each
// transition of the batch, then one commit(). Each benchmark iteration is one batch on one case,
// cycling through the review loop. items_per_second counts transitions, and p50_us/p99_us are the
// wall-clock latencies of whole batches, begin() to commit() included.
//
// Batch size 1 commits every transition, as CaseService::fire does, but through the shorter
// path of batched_apply.h. Comparing it with fire_in_own_transactions/sqlite_file shows what
// fire() costs on top of the commit.
#include "bench/batched_apply.h"
#include "bench/bench_store.h"
#include "bench/commands.h"
#include "bench/guarded_steps.h"
#include "bench/latency_recorder.h"
#include "bench/review_loop.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sitecycle::bench {

namespace {

// One batch size and its fixed number of batches. Batch size 1 applies as many transitions as
// the file case of fire_benchmark.cpp (2000), batch size 10 applies 5000, and the larger sizes
// 20000. The counts keep the whole run under a minute on the machine in docs/benchmarks.md.
struct BatchPlan {
  const char* name;
  std::int64_t batch_size;
  benchmark::IterationCount batches;
};

constexpr BatchPlan kBatchPlans[] = {
    {"apply_batched/batch_1", 1, 2000},
    {"apply_batched/batch_10", 10, 500},
    {"apply_batched/batch_100", 100, 200},
    {"apply_batched/batch_1000", 1000, 20},
};

struct BatchSetup {
  BatchSetup() : bench(StoreLocation::temporary_file) {}

  BenchStore bench;
  std::string case_id;
  std::vector<TransitionRequest> requests;  // one turn of the review loop
};

std::unique_ptr<BatchSetup> prepare_batches() {
  auto setup = std::make_unique<BatchSetup>();
  setup->case_id = open_investigation_at_review(setup->bench.service(), setup->bench.now());
  setup->requests = review_loop_requests();
  return setup;
}

// Applies `batch_size` transitions in one transaction, continuing the loop at `applied`.
// Returns the new count of applied transitions.
std::size_t apply_batch(BatchSetup& setup, std::int64_t batch_size, std::size_t applied) {
  std::unique_ptr<CaseTransaction> transaction = setup.bench.store().begin();
  for (std::int64_t i = 0; i < batch_size; ++i) {
    const TransitionRequest& request = setup.requests[applied % setup.requests.size()];
    apply_in_transaction(*transaction, setup.bench.registry(), setup.case_id, request, setup.bench.now());
    ++applied;
  }
  transaction->commit();
  return applied;
}

void apply_batched(benchmark::State& state, std::int64_t batch_size) {
  // Setup, untimed: a fresh file store and one case waiting in report_submitted.
  std::unique_ptr<BatchSetup> setup = prepare_or_skip(state, prepare_batches);
  if (!setup) return;

  // Timed loop: one transaction of `batch_size` transitions per iteration.
  LatencyRecorder latencies(static_cast<std::size_t>(state.max_iterations));
  std::size_t applied = 0;
  for (auto _ : state) {
    const bool ok = time_or_skip(state, latencies, [&] { applied = apply_batch(*setup, batch_size, applied); });
    if (!ok) break;
  }

  // Results: transitions per second as items_per_second, and the per-batch percentiles.
  state.SetItemsProcessed(static_cast<std::int64_t>(applied));
  state.counters["batch_size"] = static_cast<double>(batch_size);
  latencies.report(state, "batch_");
}

[[maybe_unused]] const bool kRegistered = [] {
  for (const BatchPlan& plan : kBatchPlans) {
    benchmark::RegisterBenchmark(plan.name, apply_batched, plan.batch_size)
        ->Iterations(plan.batches)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

}  // namespace

}  // namespace sitecycle::bench
