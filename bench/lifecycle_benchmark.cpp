// The supply path of one parcel through CaseService, with the effects the review loop lacks:
// create a parcel, propose_supply (which opens a linked investigation case), take the
// investigation through engage_consultant ... pass_review (which signals investigation_passed to
// the parcel), then supply, which passes the soil admission gate. That is 1 create and 8 fires,
// 9 commands and 11 events, each command in its own transaction. The supply_gate scenario in
// tests/scenarios sends the same commands for its office parcel.
//
// Each benchmark iteration is one parcel's path on a new parcel. items_per_second counts
// commands, lifecycles_per_second counts parcels, and p50_us/p99_us are the wall-clock latencies
// of a whole path.
#include "bench/bench_store.h"
#include "bench/commands.h"
#include "bench/guarded_steps.h"
#include "bench/latency_recorder.h"
#include "bench/review_loop.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace sitecycle::bench {

namespace {

constexpr benchmark::IterationCount kFileLifecycles = 200;
constexpr std::int64_t kCommandsPerLifecycle = 9;

std::string create_parcel(CaseService& service, const Moment& now) {
  CreateCaseRequest create;
  create.workflow_id = "parcel";
  create.data = {{"name", "基准测试地块"}, {"district", "minhang"}, {"planned_class", 1}, {"planned_use_codes", {"Rs6"}}};
  create.actor = bench_actor("land_reserve_centre");
  return require_ok(service.create_case(create, now), "creating a parcel").stored.id;
}

// Runs the 9 commands of one parcel's supply path. Throws std::runtime_error when one fails,
// including when the parcel does not end in `supplied`.
void run_supply_lifecycle(CaseService& service, const Moment& now) {
  // Step 1: the parcel and the investigation its supply proposal opens.
  const std::string parcel = create_parcel(service, now);
  const CommandOutcome proposed =
      fire_or_throw(service, parcel, make_request("propose_supply", "land_reserve_centre"), now);
  if (proposed.opened_cases.size() != 1) {
    throw std::runtime_error("propose_supply on case " + parcel + " did not open exactly one investigation");
  }
  const std::string& investigation = proposed.opened_cases.front();

  // Step 2: the investigation, up to the review decision that signals the parcel.
  submit_investigation_report(service, investigation, now);
  fire_or_throw(service, investigation, make_request("accept_for_review", "district_eeb"), now);
  fire_or_throw(service, investigation, make_request("pass_review", "district_eeb"), now);

  // Step 3: the supply, which the soil admission gate now lets through.
  const CommandOutcome supplied = fire_or_throw(service, parcel, make_request("supply", "land_bureau"), now);
  if (supplied.stored.state != "supplied") {
    throw std::runtime_error("case " + parcel + " ended in " + supplied.stored.state + ", expected supplied");
  }
}

void supply_lifecycle(benchmark::State& state, StoreLocation location) {
  // Setup, untimed: a fresh store.
  std::unique_ptr<BenchStore> bench = prepare_or_skip(state, [&] { return std::make_unique<BenchStore>(location); });
  if (!bench) return;

  // Timed loop: one parcel's whole path per iteration.
  LatencyRecorder latencies(static_cast<std::size_t>(state.max_iterations));
  std::int64_t lifecycles = 0;
  for (auto _ : state) {
    if (!time_or_skip(state, latencies, [&] { run_supply_lifecycle(bench->service(), bench->now()); })) break;
    ++lifecycles;
  }

  // Results: commands per second as items_per_second, parcels per second, and percentiles.
  state.SetItemsProcessed(lifecycles * kCommandsPerLifecycle);
  state.counters["lifecycles_per_second"] =
      benchmark::Counter(static_cast<double>(lifecycles), benchmark::Counter::kIsRate);
  latencies.report(state);
}

BENCHMARK_CAPTURE(supply_lifecycle, sqlite_file, StoreLocation::temporary_file)
    ->Iterations(kFileLifecycles)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

}  // namespace sitecycle::bench
