#include "idempotency.h"

#include "adapters/workflow_files.h"
#include "problem_response.h"
#include "request_reading.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace sitecycle::http {

namespace {

constexpr std::size_t kMaxKeyLength = 255;

bool is_valid_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeyLength) return false;
  for (char c : key) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return key.find_first_not_of(' ') != std::string_view::npos;
}

Problem invalid_key_problem(std::string_view key) {
  return make_problem(
      ErrorCode::bad_request,
      {fmt::format("请求头 Idempotency-Key 的值 {} 无效：应为 1 到 {} 个可打印 ASCII 字符，例如一个 UUID",
                   quoted_excerpt(key), kMaxKeyLength),
       fmt::format("Header Idempotency-Key has invalid value {}: send 1 to {} printable ASCII characters, such "
                   "as a UUID",
                   quoted_excerpt(key), kMaxKeyLength)});
}

Problem reused_key_problem(std::string_view key) {
  return make_problem(
      ErrorCode::idempotency_key_reused,
      {fmt::format("幂等键 {} 已用于另一个请求（路径或请求体不同）；新的请求请换用新的幂等键", quoted_excerpt(key)),
       fmt::format("Idempotency-Key {} was used for another request (another path or body); use a new key for a "
                   "new request",
                   quoted_excerpt(key))});
}

Problem in_progress_problem(std::string_view key) {
  return make_problem(
      ErrorCode::conflict,
      {fmt::format("使用幂等键 {} 的请求仍在处理中；请稍后用同一幂等键重试以取得其结果", quoted_excerpt(key)),
       fmt::format("A request with Idempotency-Key {} is still being processed; retry later with the same key to "
                   "get its response",
                   quoted_excerpt(key))});
}

// Returns the fingerprint that makes two requests the same: method, target and body (an upload
// by its hash).
std::string fingerprint_of(const HttpRequest& request) {
  std::string content = request.upload ? "sha256:" + request.upload->sha256 : request.body;
  return sha256_hex(request.method + "\n" + request.target + "\n" + content);
}

}  // namespace

std::optional<Problem> check_idempotency_key(const HttpRequest& request) {
  const std::string* key = request.header("idempotency-key");
  if (key == nullptr || is_valid_key(*key)) return std::nullopt;
  return invalid_key_problem(*key);
}

HttpResponse run_idempotently(IdempotencyStore& store, const Clock& clock, const IdempotencyPolicy& policy,
                              const HttpRequest& request, const Principal& caller, Language language,
                              const std::function<HttpResponse()>& handle) {
  const std::string* key = request.header("idempotency-key");
  if (key == nullptr) return handle();
  if (std::optional<Problem> invalid = check_idempotency_key(request)) {
    return problem_response(*invalid, language, request.path);
  }

  Instant now = clock.now().instant;
  ClaimResult claim = store.claim(caller.user.id, *key, fingerprint_of(request), now, now - policy.keep,
                                  now - policy.abandoned_after);
  switch (claim.claim) {
    case KeyClaim::reused:
      return problem_response(reused_key_problem(*key), language, request.path);
    case KeyClaim::in_progress: {
      HttpResponse response = problem_response(in_progress_problem(*key), language, request.path);
      // The first request usually finishes within a second.
      response.set_header("Retry-After", "1");
      return response;
    }
    case KeyClaim::replay: {
      HttpResponse response;
      response.status = claim.response.status;
      response.headers = std::move(claim.response.headers);
      response.body = std::move(claim.response.body);
      response.set_header("Idempotent-Replayed", "true");
      return response;
    }
    case KeyClaim::claimed:
      break;
  }

  HttpResponse response;
  try {
    response = handle();
  } catch (...) {
    store.release(caller.user.id, *key);
    throw;
  }
  if (response.status >= 500) {
    store.release(caller.user.id, *key);
  } else {
    store.complete(caller.user.id, *key, {response.status, response.headers, response.body});
  }
  return response;
}

}  // namespace sitecycle::http
