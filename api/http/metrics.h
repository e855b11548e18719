// Request counters and latency histograms of the HTTP API, rendered in the Prometheus text
// exposition format (version 0.0.4) together with counts read from the stores.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace sitecycle::http {

// Thread-safety: record() and render_requests() may run on several threads at once.
class ApiMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 11> kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  // Counts one request to `route` (a route pattern such as "/api/v1/cases/{}", or "unmatched").
  void record(std::string_view route, std::string_view method, int status, std::chrono::duration<double> elapsed);

  // sitecycle_http_requests_total{route,method,status} and
  // sitecycle_http_request_duration_seconds{route} (a histogram).
  std::string render_requests() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

// Escapes a label value: backslash, double quote and line feed.
std::string escape_label(std::string_view value);

}  // namespace sitecycle::http
