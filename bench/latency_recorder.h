// Wall-clock durations of single operations, summarised as percentiles for a benchmark's
// counters.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace sitecycle::bench {

class LatencyRecorder {
 public:
  // Reserves room for `expected_count` durations, so recording does not allocate in the loop.
  explicit LatencyRecorder(std::size_t expected_count);

  void record(std::chrono::steady_clock::duration duration) { durations_.push_back(duration); }

  // The nearest-rank percentile in microseconds, for 0 < fraction <= 1. Returns 0 when nothing
  // was recorded.
  double percentile_microseconds(double fraction) const;

  // Sets the counters <prefix>p50_us and <prefix>p99_us on `state`.
  void report(benchmark::State& state, const std::string& prefix = "") const;

 private:
  std::vector<std::chrono::steady_clock::duration> durations_;
};

}  // namespace sitecycle::bench
