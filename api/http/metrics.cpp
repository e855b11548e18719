#include "metrics.h"

#include <fmt/format.h>

namespace sitecycle::http {

void ApiMetrics::record(std::string_view route, std::string_view method, int status,
                        std::chrono::duration<double> elapsed) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), std::string(method), status}];
  Histogram& histogram = latency_[std::string(route)];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (elapsed.count() <= kBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += elapsed.count();
}

std::string ApiMetrics::render_requests() const {
  std::lock_guard lock(mutex_);
  std::string text =
      "# HELP sitecycle_http_requests_total HTTP requests by route pattern, method and status.\n"
      "# TYPE sitecycle_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    text += fmt::format("sitecycle_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                        escape_label(route), escape_label(method), status, count);
  }
  text +=
      "# HELP sitecycle_http_request_duration_seconds Time from a request's arrival at the router to its response.\n"
      "# TYPE sitecycle_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_) {
    std::string label = escape_label(route);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      text += fmt::format("sitecycle_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label,
                          kBuckets[i], histogram.buckets[i]);
    }
    text += fmt::format("sitecycle_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", label,
                        histogram.count);
    text += fmt::format("sitecycle_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label, histogram.sum);
    text += fmt::format("sitecycle_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label, histogram.count);
  }
  return text;
}

std::string escape_label(std::string_view value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      escaped += '\\';
      escaped += c;
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

}  // namespace sitecycle::http
