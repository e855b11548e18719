#include "bench/latency_recorder.h"

#include <algorithm>
#include <cmath>

namespace sitecycle::bench {

LatencyRecorder::LatencyRecorder(std::size_t expected_count) { durations_.reserve(expected_count); }

double LatencyRecorder::percentile_microseconds(double fraction) const {
  if (durations_.empty()) return 0;

  // Nearest rank: the smallest duration with at least `fraction` of all durations at or below it.
  std::vector<std::chrono::steady_clock::duration> sorted = durations_;
  const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  const std::size_t index = std::clamp<std::size_t>(rank, 1, sorted.size()) - 1;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(index), sorted.end());
  return std::chrono::duration<double, std::micro>(sorted[index]).count();
}

void LatencyRecorder::report(benchmark::State& state, const std::string& prefix) const {
  state.counters[prefix + "p50_us"] = percentile_microseconds(0.50);
  state.counters[prefix + "p99_us"] = percentile_microseconds(0.99);
}

}  // namespace sitecycle::bench
