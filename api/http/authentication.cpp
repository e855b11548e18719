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
      {fmt::format("登录失败次数过多，已暂时锁定；请在 {} 分钟后重试，或请管理员签发新令牌", policy.window.count()),
       fmt::format("Too many failed sign-ins; locked out for now. Retry in {} minutes or ask an "
                   "administrator for a new token",
                   policy.window.count())});
  problem.extra["retry_after_seconds"] = std::chrono::seconds(policy.window).count();
  return problem;
}

}  // namespace

Problem missing_token_problem() {
  return make_problem(
      ErrorCode::unauthenticated,
      {"此接口需要登录：请在请求头中发送令牌，例如 Authorization: Bearer sct_…；令牌由管理员用 sitecycle tokens issue 签发，"
       "示例服务（--demo）的令牌在数据库旁的 demo-tokens.json 中",
       "This route needs a token: send Authorization: Bearer sct_…. An administrator issues tokens "
       "with sitecycle tokens issue; a demo server (--demo) writes its tokens to demo-tokens.json "
       "beside the database"});
}

Authenticator::Authenticator(IdentityStore& identities, const Clock& clock, LockoutPolicy policy)
    : identities_(identities), clock_(clock), policy_(policy) {}

Result<std::optional<Principal>> Authenticator::authenticate(const HttpRequest& request) const {
  const std::string* header = request.header("authorization");
  if (!header) return std::optional<Principal>();

  if (std::optional<Problem> locked = lockout_of(request, {})) return std::move(*locked);
  std::optional<std::string_view> credentials = bearer_credentials(*header);
  if (!credentials) return fail(request, {}, "authorization scheme is not Bearer");
  std::optional<TokenParts> parts = parse_token(*credentials);
  if (!parts) return fail(request, {}, "malformed token");
  std::optional<ApiToken> token = identities_.find_token(parts->id);
  if (!token) return fail(request, {}, "unknown token id " + parts->id);
  if (std::optional<Problem> locked = lockout_of(request, token->user_id)) return std::move(*locked);

  Instant now = clock_.now().instant;
  if (!token_secret_matches(parts->secret, token->secret_hash)) {
    identities_.record_auth_failure(user_subject(token->user_id), now);
    return fail(request, token->user_id, "wrong secret for token " + token->id);
  }
  if (token->revoked_at) return fail(request, token->user_id, "revoked token " + token->id);
  if (token->expires_at && *token->expires_at <= now) {
    return fail(request, token->user_id, "expired token " + token->id);
  }
  std::optional<User> user = identities_.find_user(token->user_id);
  if (!user || user->disabled) return fail(request, token->user_id, "user missing or disabled");
  std::optional<Organisation> organisation = identities_.find_organisation(user->org_id);
  if (!organisation) return fail(request, user->id, "organisation missing: " + user->org_id);

  Principal principal{*user, *organisation, Actor{user->role, organisation->id, user->id},
                      scope_of(*organisation)};
  return std::optional<Principal>(std::move(principal));
}

void Authenticator::record_denied(const Principal* principal, const HttpRequest& request,
                                  std::string_view detail) const {
  audit("action_denied", request, principal ? principal->user.id : std::string_view{},
        principal ? principal->organisation.id : std::string_view{}, detail);
}

Problem Authenticator::fail(const HttpRequest& request, std::string_view user_id, std::string_view detail) const {
  identities_.record_auth_failure(address_subject(request), clock_.now().instant);
  audit("sign_in_failed", request, user_id, {}, detail);
  return invalid_token_problem();
}

// locked_out when the address, or the user when `user_id` is not empty, failed too often.
std::optional<Problem> Authenticator::lockout_of(const HttpRequest& request, std::string_view user_id) const {
  Instant since = clock_.now().instant - policy_.window;
  bool locked = identities_.count_auth_failures(address_subject(request), since) >= policy_.address_failures;
  if (!locked && !user_id.empty()) {
    locked = identities_.count_auth_failures(user_subject(user_id), since) >= policy_.user_failures;
  }
  if (!locked) return std::nullopt;
  audit("locked_out", request, user_id, {}, "sign-in refused while locked out");
  return locked_out_problem(policy_);
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
