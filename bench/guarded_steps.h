// Benchmark steps that may throw. Google Benchmark does not catch exceptions, so these turn one
// into State::SkipWithError, which prints the message in the results table instead of aborting
// the whole run.
#pragma once

#include "bench/latency_recorder.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <exception>

namespace sitecycle::bench {

// Returns what `prepare` returns (a pointer), or marks the benchmark failed and returns nullptr
// when it throws.
template <class Prepare>
auto prepare_or_skip(benchmark::State& state, Prepare&& prepare) -> decltype(prepare()) {
  try {
    return prepare();
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
    return nullptr;
  }
}

// Runs `operation` once and records its wall-clock duration. Returns false, after marking the
// benchmark failed, when it throws. The caller must then leave its loop.
template <class Operation>
bool time_or_skip(benchmark::State& state, LatencyRecorder& latencies, Operation&& operation) {
  const auto started = std::chrono::steady_clock::now();
  try {
    operation();
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
    return false;
  }
  latencies.record(std::chrono::steady_clock::now() - started);
  return true;
}

}  // namespace sitecycle::bench
