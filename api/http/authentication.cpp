#include "authentication.h"

#include "adapters/api_token.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <string>

namespace sitecycle::http {

namespace {

std::string address_subject(const HttpRequest& request) {
  return "address:" + (request.remote_address.empty() ? std::string("unknown") : request.remote_address);
}

std::string user_subject(std::string_view user_id) { return "user:" + std::string(user_id); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The credentials of "Bearer <credentials>", or nullopt for another scheme.
std::optional<std::string_view> bearer_credentials(std::string_view header) {
  header = trim(header);
  std::size_t space = header.find(' ');
  if (space == std::string_view::npos || !equals_ignoring_case(header.substr(0, space), "bearer")) {
    return std::nullopt;
  }
  return trim(header.substr(space + 1));
}

Problem invalid_token_problem() {
  return make_problem(
      ErrorCode::unauthenticated,
      {"令牌无效、已吊销或已过期，或其用户已停用；请在请求头中发送有效令牌：Authorization: Bearer sct_…，"
       "令牌由管理员用 sitecycle tokens issue 签发",
       "The token is invalid, revoked or expired, or its user is disabled; send a valid token as "
       "Authorization: Bearer sct_…, issued by an administrator with sitecycle tokens issue"});
}

Problem locked_out_problem(const LockoutPolicy& policy) {
  Problem problem = make_problem(
      ErrorCode::locked_out,
      {fmt::format("登录失败次数过多，已暂时锁定：{} 分钟内无效的令牌一律被拒绝；请检查所用令牌，有效令牌不受影响",
                   policy.window.count()),
       fmt::format("Too many failed sign-ins, so invalid tokens are refused for {} minutes; check the token you "
                   "send. Valid tokens still work",
                   policy.window.count())});
  problem.extra["retry_after_seconds"] = std::chrono::seconds(policy.window).count();
  return problem;
}

}  // namespace

Problem missing_token_problem() {
  return make_problem(
      ErrorCode::unauthenticated,
      {"此接口需要登录：请在请求头中发送令牌，例如 Authorization: Bearer sct_…；令牌由管理员用 sitecycle tokens issue 签发，"
       "示例服务（--demo）的令牌在 demo-tokens.json 中（SQLite 时在数据库文件旁，PostgreSQL 时在文档目录旁）",
       "This route needs a token: send Authorization: Bearer sct_…. An administrator issues tokens "
       "with sitecycle tokens issue; a demo server (--demo) writes its tokens to demo-tokens.json "
       "beside the SQLite file, or with PostgreSQL beside the documents folder"});
}

Authenticator::Authenticator(IdentityStore& identities, const Clock& clock, LockoutPolicy policy)
    : identities_(identities), clock_(clock), policy_(policy) {}

Result<std::optional<Principal>> Authenticator::authenticate(const HttpRequest& request) const {
  const std::string* header = request.header("authorization");
  if (!header) return std::optional<Principal>();

  std::optional<std::string_view> credentials = bearer_credentials(*header);
  if (!credentials) return fail(request, {}, false, "authorization scheme is not Bearer");
  std::optional<TokenParts> parts = parse_token(*credentials);
  if (!parts) return fail(request, {}, false, "malformed token");
  std::optional<ApiToken> token = identities_.find_token(parts->id);
  if (!token) return fail(request, {}, false, "unknown token id " + parts->id);

  Instant now = clock_.now().instant;
  if (!token_secret_matches(parts->secret, token->secret_hash)) {
    return fail(request, token->user_id, true, "wrong secret for token " + token->id);
  }
  if (token->revoked_at) return fail(request, token->user_id, false, "revoked token " + token->id);
  if (token->expires_at && *token->expires_at <= now) {
    return fail(request, token->user_id, false, "expired token " + token->id);
  }
  std::optional<User> user = identities_.find_user(token->user_id);
  if (!user || user->disabled) return fail(request, token->user_id, false, "user missing or disabled");
  std::optional<Organisation> organisation = identities_.find_organisation(user->org_id);
  if (!organisation) return fail(request, user->id, false, "organisation missing: " + user->org_id);

  Principal principal{*user, *organisation, Actor{user->role, organisation->id, user->id},
                      scope_of(*organisation)};
  return std::optional<Principal>(std::move(principal));
}

void Authenticator::record_denied(const Principal* principal, const HttpRequest& request,
                                  std::string_view detail) const {
  audit("action_denied", request, principal ? principal->user.id : std::string_view{},
        principal ? principal->organisation.id : std::string_view{}, detail);
}

// Counts a failed sign-in against the address, and against the user when a known token came with
// a wrong secret, and audits it. While the address or that user is locked out, the failure gets
// locked_out and is neither counted nor audited again. One locked_out record marks when the lock
// began.
Problem Authenticator::fail(const HttpRequest& request, std::string_view user_id, bool wrong_secret,
                            std::string_view detail) const {
  Instant now = clock_.now().instant;
  Instant since = now - policy_.window;
  std::string address = address_subject(request);
  std::string user = wrong_secret ? user_subject(user_id) : std::string();
  bool address_locked = identities_.count_auth_failures(address, since) >= policy_.address_failures;
  bool user_locked = wrong_secret && identities_.count_auth_failures(user, since) >= policy_.user_failures;
  if (address_locked || user_locked) {
    spdlog::debug("sign_in_refused_while_locked address={} user={}", request.remote_address, user_id);
    return locked_out_problem(policy_);
  }

  identities_.record_auth_failure(address, now);
  if (wrong_secret) identities_.record_auth_failure(user, now);
  audit("sign_in_failed", request, user_id, {}, detail);
  bool address_now_locked = identities_.count_auth_failures(address, since) >= policy_.address_failures;
  bool user_now_locked = wrong_secret && identities_.count_auth_failures(user, since) >= policy_.user_failures;
  if (address_now_locked || user_now_locked) {
    audit("locked_out", request, user_id, {},
          address_now_locked ? "address locked out after failed sign-ins" : "user locked out after failed sign-ins");
  }
  return invalid_token_problem();
}

void Authenticator::audit(std::string_view kind, const HttpRequest& request, std::string_view user_id,
                          std::string_view org_id, std::string_view detail) const {
  AuditRecord record;
  record.at = clock_.now().instant;
  record.kind = std::string(kind);
  record.user_id = std::string(user_id);
  record.org_id = std::string(org_id);
  record.remote_address = request.remote_address;
  record.method = request.method;
  record.path = request.path;
  record.detail = std::string(detail);
  identities_.append_audit(record);
  spdlog::warn("audit kind={} user={} org={} address={} method={} path={} detail=\"{}\"", kind, user_id, org_id,
               request.remote_address, request.method, request.path, detail);
}

}  // namespace sitecycle::http
