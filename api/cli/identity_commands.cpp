#include "api/cli/identity_commands.h"

#include "adapters/api_token.h"
#include "adapters/clock.h"
#include "adapters/sql_identity_store.h"
#include "adapters/workflow_files.h"
#include "api/cli/cli_output.h"
#include "api/cli/commands.h"
#include "engine/credit_code.h"
#include "engine/organisation.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>

namespace sitecycle::cli {

namespace {

constexpr int kMaxTokenDays = 3650;

// Ids of organisations and users: ^[a-z][a-z0-9_]{0,63}$, like case ids.
bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64 || id.front() < 'a' || id.front() > 'z') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

int usage_error(Language language, const std::string& zh_cn, const std::string& en) {
  print_error(language, zh_cn, en);
  return kExitUsage;
}

int invalid_id(Language language, std::string_view option, std::string_view value) {
  return usage_error(language,
                     fmt::format("{} 的值 {} 无效：应以小写字母开头，由小写字母、数字和下划线组成，不超过 64 个字符，例如 pudong_eeb",
                                 option, value),
                     fmt::format("invalid {} value {}: expected lowercase letters, digits and underscores, starting "
                                 "with a letter, at most 64 characters, such as pudong_eeb",
                                 option, value));
}

// Opens the identity store. A command that only reads or changes existing rows needs an SQLite
// database file to exist; adding may create it.
std::unique_ptr<SqlIdentityStore> open_identities(const IdentityOptions& options, bool may_create, Language language) {
  // One connection: a command runs one statement at a time.
  std::optional<sql::DatabaseTarget> target = database_target_of(options.database, 1, language);
  if (!target) return nullptr;
  std::error_code error;
  if (target->backend == sql::Backend::sqlite && !may_create && !std::filesystem::exists(target->location, error)) {
    usage_error(language, fmt::format("数据库文件 {} 不存在；请用 --db 指定服务使用的数据库", target->location),
                fmt::format("the database file {} does not exist; name the server's database with --db",
                            target->location));
    return nullptr;
  }
  try {
    return std::make_unique<SqlIdentityStore>(std::make_shared<sql::Database>(*target));
  } catch (const StoreError& failure) {
    usage_error(language, fmt::format("无法打开数据库：{}", failure.what()), fmt::format("cannot open the database: {}", failure.what()));
    return nullptr;
  }
}

int add_organisation(const IdentityOptions& options, Language language) {
  if (!is_valid_id(options.id)) return invalid_id(language, "--id", options.id);
  std::optional<OrganisationType> type = parse_organisation_type(options.type);
  if (!type) {
    return usage_error(language, fmt::format("--type 的值 {} 无效；可选：{}", options.type, organisation_type_names()),
                       fmt::format("invalid --type value {}; one of: {}", options.type, organisation_type_names()));
  }
  if (!options.district.empty() && !is_shanghai_district(options.district)) {
    return usage_error(language,
                       fmt::format("--district 的值 {} 无效；可选：{}；市级单位省略 --district", options.district,
                                   shanghai_district_names()),
                       fmt::format("invalid --district value {}; one of: {}; omit --district for a city-level body",
                                   options.district, shanghai_district_names()));
  }
  if (!options.credit_code.empty() && !is_valid_credit_code(options.credit_code)) {
    return usage_error(language,
                       fmt::format("--credit-code 的值 {} 不是有效的统一社会信用代码（18 位，末位校验码按 GB 32100-2015 计算）",
                                   options.credit_code),
                       fmt::format("--credit-code value {} is not a valid unified social credit code (18 characters, "
                                   "check character per GB 32100-2015)",
                                   options.credit_code));
  }
  std::unique_ptr<SqlIdentityStore> identities = open_identities(options, true, language);
  if (!identities) return kExitUsage;

  Organisation organisation{options.id, *type, options.district, {options.name_zh_cn, options.name_en},
                            options.credit_code, SystemClock().now().instant};
  if (!identities->add_organisation(organisation)) {
    return usage_error(language, fmt::format("单位 {} 已存在；请换一个标识", options.id),
                       fmt::format("organisation {} already exists; choose another id", options.id));
  }
  print_line(language, fmt::format("已登记单位 {}（{}）", options.id, options.name_zh_cn),
             fmt::format("organisation {} added ({})", options.id, options.name_en));
  return kExitSuccess;
}

int list_organisations(const IdentityOptions& options, Language language) {
  std::unique_ptr<SqlIdentityStore> identities = open_identities(options, false, language);
  if (!identities) return kExitUsage;
  std::cout << fmt::format("{:<28} {:<20} {:<10} {:<20} {}\n", "id", "type", "district", "credit_code", "name");
  for (const Organisation& organisation : identities->organisations()) {
    std::cout << fmt::format("{:<28} {:<20} {:<10} {:<20} {}\n", organisation.id, organisation_type_name(organisation.type),
                             organisation.district.empty() ? "city" : organisation.district,
                             organisation.credit_code.empty() ? "-" : organisation.credit_code,
                             organisation.name.in(language));
  }
  return kExitSuccess;
}

// The roles of the workflows folder, or nullopt after printing why they cannot be read.
std::optional<RoleCatalog> load_roles(const IdentityOptions& options, Language language) {
  LoadedWorkflows loaded = load_workflow_folder(options.workflows_folder);
  if (!loaded.diagnostics.empty()) {
    print_diagnostics(language, loaded.diagnostics);
    print_error(language, fmt::format("流程目录 {} 无效，无法核对角色；请用 --workflows 指定服务使用的目录", options.workflows_folder),
                fmt::format("the workflows folder {} is invalid, so the role cannot be checked; name the server's "
                            "folder with --workflows",
                            options.workflows_folder));
    return std::nullopt;
  }
  return loaded.roles;
}

std::string role_names(const RoleCatalog& roles) {
  std::string names;
  for (const auto& [id, title] : roles.roles) {
    if (id == kSystemRole) continue;
    names += names.empty() ? id : ", " + id;
  }
  return names;
}

int add_user(const IdentityOptions& options, Language language) {
  if (!is_valid_id(options.id)) return invalid_id(language, "--id", options.id);
  if (!is_valid_id(options.org)) return invalid_id(language, "--org", options.org);
  std::optional<RoleCatalog> roles = load_roles(options, language);
  if (!roles) return kExitUsage;
  if (options.role == kSystemRole || !roles->contains(options.role)) {
    return usage_error(language, fmt::format("--role 的值 {} 不是 roles.yaml 中的角色；可选：{}", options.role, role_names(*roles)),
                       fmt::format("--role value {} is not a role of roles.yaml; one of: {}", options.role, role_names(*roles)));
  }
  std::unique_ptr<SqlIdentityStore> identities = open_identities(options, false, language);
  if (!identities) return kExitUsage;
  if (!identities->find_organisation(options.org)) {
    return usage_error(language, fmt::format("单位 {} 不存在；请先用 sitecycle orgs add 登记", options.org),
                       fmt::format("organisation {} does not exist; add it first with sitecycle orgs add", options.org));
  }
  User user{options.id, options.org, options.role, options.name, false, SystemClock().now().instant};
  if (!identities->add_user(user)) {
    return usage_error(language, fmt::format("用户 {} 已存在；请换一个标识", options.id),
                       fmt::format("user {} already exists; choose another id", options.id));
  }
  print_line(language, fmt::format("已添加用户 {}（单位 {}，角色 {}）；用 sitecycle tokens issue --user {} 签发令牌", options.id,
                                   options.org, options.role, options.id),
             fmt::format("user {} added (organisation {}, role {}); issue a token with sitecycle tokens issue --user {}",
                         options.id, options.org, options.role, options.id));
  return kExitSuccess;
}

int list_users(const IdentityOptions& options, Language language) {
  std::unique_ptr<SqlIdentityStore> identities = open_identities(options, false, language);
  if (!identities) return kExitUsage;
  std::cout << fmt::format("{:<28} {:<28} {:<26} {:<9} {}\n", "id", "org", "role", "status", "name");
  for (const User& user : identities->users()) {
    if (!options.org.empty() && user.org_id != options.org) continue;
    std::cout << fmt::format("{:<28} {:<28} {:<26} {:<9} {}\n", user.id, user.org_id, user.role,
                             user.disabled ? "disabled" : "active", user.name);
  }
  return kExitSuccess;
}

int set_user_disabled(const IdentityOptions& options, bool disabled, Language language) {
  std::unique_ptr<SqlIdentityStore> identities = open_identities(options, false, language);
  if (!identities) return kExitUsage;
  if (!identities->set_user_disabled(options.id, disabled)) {
    return usage_error(language, fmt::format("用户 {} 不存在；用 sitecycle users list 查看用户", options.id),
                       fmt::format("user {} does not exist; see sitecycle users list", options.id));
  }
  if (disabled) {
    print_line(language, fmt::format("已停用用户 {}；其令牌立即失效", options.id),
               fmt::format("user {} disabled; their tokens stop working at once", options.id));
  } else {
    print_line(language, fmt::format("已启用用户 {}", options.id), fmt::format("user {} enabled", options.id));
  }
  return kExitSuccess;
}

int issue_token(const IdentityOptions& options, Language language) {
  if (options.expires_in_days && (*options.expires_in_days < 1 || *options.expires_in_days > kMaxTokenDays)) {
    return usage_error(language, fmt::format("--expires-in-days 的值 {} 无效；应为 1 到 {} 的整数", *options.expires_in_days, kMaxTokenDays),
                       fmt::format("invalid --expires-in-days value {}; expected a whole number from 1 to {}",
                                   *options.expires_in_days, kMaxTokenDays));
  }
  std::unique_ptr<SqlIdentityStore> identities = open_identities(options, false, language);
  if (!identities) return kExitUsage;
  std::optional<User> user = identities->find_user(options.user);
  if (!user || user->disabled) {
    return usage_error(language, fmt::format("用户 {} 不存在或已停用；用 sitecycle users list 查看用户", options.user),
                       fmt::format("user {} does not exist or is disabled; see sitecycle users list", options.user));
  }
  Instant now = SystemClock().now().instant;
  GeneratedToken token = generate_token();
  ApiToken stored{token.parts.id, user->id, token.secret_hash, options.label, now, std::nullopt, std::nullopt};
  if (options.expires_in_days) stored.expires_at = now + std::chrono::days(*options.expires_in_days);
  identities->add_token(stored);

  print_error(language,
              fmt::format("已为用户 {} 签发令牌 {}{}。令牌只显示这一次，请妥善保存；用法：Authorization: Bearer <令牌>", user->id,
                          stored.id, stored.expires_at ? "，到期 " + format_instant(*stored.expires_at) : ""),
              fmt::format("token {} issued for user {}{}. It is shown only this once; keep it safe. Use it as "
                          "Authorization: Bearer <token>",
                          stored.id, user->id, stored.expires_at ? ", expires " + format_instant(*stored.expires_at) : ""));
  std::cout << token.text << std::endl;
  return kExitSuccess;
}

int list_tokens(const IdentityOptions& options, Language language) {
  std::unique_ptr<SqlIdentityStore> identities = open_identities(options, false, language);
  if (!identities) return kExitUsage;
  if (!identities->find_user(options.user)) {
    return usage_error(language, fmt::format("用户 {} 不存在；用 sitecycle users list 查看用户", options.user),
                       fmt::format("user {} does not exist; see sitecycle users list", options.user));
  }
  std::cout << fmt::format("{:<20} {:<22} {:<22} {:<22} {}\n", "id", "created_at", "expires_at", "revoked_at", "label");
  for (const ApiToken& token : identities->tokens_of(options.user)) {
    std::cout << fmt::format("{:<20} {:<22} {:<22} {:<22} {}\n", token.id, format_instant(token.created_at),
                             token.expires_at ? format_instant(*token.expires_at) : "-",
                             token.revoked_at ? format_instant(*token.revoked_at) : "-", token.label);
  }
  return kExitSuccess;
}

int revoke_token(const IdentityOptions& options, Language language) {
  std::unique_ptr<SqlIdentityStore> identities = open_identities(options, false, language);
  if (!identities) return kExitUsage;
  std::optional<ApiToken> token = identities->find_token(options.id);
  if (!token) {
    return usage_error(language, fmt::format("令牌 {} 不存在；用 sitecycle tokens list --user 用户 查看令牌编号", options.id),
                       fmt::format("token {} does not exist; see sitecycle tokens list --user USER for token ids", options.id));
  }
  if (!identities->revoke_token(options.id, SystemClock().now().instant)) {
    print_line(language, fmt::format("令牌 {} 已于 {} 吊销", options.id, format_instant(*token->revoked_at)),
               fmt::format("token {} was already revoked at {}", options.id, format_instant(*token->revoked_at)));
    return kExitSuccess;
  }
  print_line(language, fmt::format("已吊销令牌 {}（用户 {}）", options.id, token->user_id),
             fmt::format("token {} revoked (user {})", options.id, token->user_id));
  return kExitSuccess;
}

int list_audit(const IdentityOptions& options, Language language) {
  std::unique_ptr<SqlIdentityStore> identities = open_identities(options, false, language);
  if (!identities) return kExitUsage;
  Page<AuditRecord> page = identities->audit_records(options.limit, 0);
  std::cout << fmt::format("{:<21} {:<15} {:<24} {:<16} {:<7} {:<32} {}\n", "at", "kind", "user", "address", "method",
                           "path", "detail");
  for (const AuditRecord& record : page.items) {
    std::cout << fmt::format("{:<21} {:<15} {:<24} {:<16} {:<7} {:<32} {}\n", format_instant(record.at), record.kind,
                             record.user_id.empty() ? "-" : record.user_id,
                             record.remote_address.empty() ? "-" : record.remote_address, record.method, record.path,
                             record.detail);
  }
  print_error(language, fmt::format("共 {} 条审计记录，显示最新的 {} 条", page.total, page.items.size()),
              fmt::format("{} audit record(s) in all; the newest {} shown", page.total, page.items.size()));
  return kExitSuccess;
}

void add_common_options(CLI::App& command, IdentityOptions& options, std::string& language_flag) {
  command.add_option("--db", options.database,
                     "Store as sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE (default sqlite:var/sitecycle.db)");
  command.add_option("--lang", language_flag, "Message language: zh-CN (default) or en")
      ->check(CLI::IsMember({"zh-CN", "zh", "en"}));
}

}  // namespace

bool IdentityCommands::parsed() const {
  for (const CLI::App* command : {orgs_add, orgs_list, users_add, users_list, users_disable, users_enable, tokens_issue,
                                  tokens_list, tokens_revoke, audit_list}) {
    if (command != nullptr && command->parsed()) return true;
  }
  return false;
}

IdentityCommands add_identity_commands(CLI::App& app, IdentityOptions& options, std::string& language_flag) {
  IdentityCommands commands;
  CLI::App* orgs = app.add_subcommand("orgs", "Organisations: add, list");
  orgs->require_subcommand(1);
  commands.orgs_add = orgs->add_subcommand("add", "Register an organisation");
  commands.orgs_add->add_option("--id", options.id, "Organisation id, such as pudong_eeb")->required();
  commands.orgs_add->add_option("--type", options.type, "One of: " + organisation_type_names())->required();
  commands.orgs_add->add_option("--district", options.district, "District id such as pudong; omit for a city-level body");
  commands.orgs_add->add_option("--name-zh", options.name_zh_cn, "Name in Chinese")->required();
  commands.orgs_add->add_option("--name-en", options.name_en, "Name in English")->required();
  commands.orgs_add->add_option("--credit-code", options.credit_code, "Unified social credit code (统一社会信用代码)");
  commands.orgs_list = orgs->add_subcommand("list", "List organisations");

  CLI::App* users = app.add_subcommand("users", "Users: add, list, disable, enable");
  users->require_subcommand(1);
  commands.users_add = users->add_subcommand("add", "Add a user acting for an organisation in one role");
  commands.users_add->add_option("--id", options.id, "User id, such as wang_li")->required();
  commands.users_add->add_option("--org", options.org, "Organisation id")->required();
  commands.users_add->add_option("--role", options.role, "A role of roles.yaml")->required();
  commands.users_add->add_option("--name", options.name, "Display name");
  commands.users_add->add_option("--workflows", options.workflows_folder, "Workflows folder with roles.yaml (default: workflows)");
  commands.users_list = users->add_subcommand("list", "List users");
  commands.users_list->add_option("--org", options.org, "Only this organisation's users");
  commands.users_disable = users->add_subcommand("disable", "Disable a user; their tokens stop working");
  commands.users_disable->add_option("--id", options.id, "User id")->required();
  commands.users_enable = users->add_subcommand("enable", "Enable a disabled user again");
  commands.users_enable->add_option("--id", options.id, "User id")->required();

  CLI::App* tokens = app.add_subcommand("tokens", "API tokens: issue, list, revoke");
  tokens->require_subcommand(1);
  commands.tokens_issue = tokens->add_subcommand("issue", "Issue a token for a user; it is printed once");
  commands.tokens_issue->add_option("--user", options.user, "User id")->required();
  commands.tokens_issue->add_option("--label", options.label, "What the token is for, such as a machine name");
  commands.tokens_issue->add_option("--expires-in-days", options.expires_in_days, "Days until it expires (1 to 3650)");
  commands.tokens_list = tokens->add_subcommand("list", "List a user's tokens (never their secrets)");
  commands.tokens_list->add_option("--user", options.user, "User id")->required();
  commands.tokens_revoke = tokens->add_subcommand("revoke", "Revoke a token by its id");
  commands.tokens_revoke->add_option("--id", options.id, "Token id, the part after sct_ and before the last _")->required();

  CLI::App* audit = app.add_subcommand("audit", "Audit trail: list");
  audit->require_subcommand(1);
  commands.audit_list = audit->add_subcommand("list", "Failed sign-ins and denied actions, newest first");
  commands.audit_list->add_option("--limit", options.limit, "How many records (1 to 1000, default 50)")
      ->check(CLI::Range(1, 1000));

  for (CLI::App* command : {commands.orgs_add, commands.orgs_list, commands.users_add, commands.users_list,
                            commands.users_disable, commands.users_enable, commands.tokens_issue, commands.tokens_list,
                            commands.tokens_revoke, commands.audit_list}) {
    add_common_options(*command, options, language_flag);
  }
  return commands;
}

int run_identity_command(const IdentityCommands& commands, const IdentityOptions& options, Language language) {
  try {
    if (commands.orgs_add->parsed()) return add_organisation(options, language);
    if (commands.orgs_list->parsed()) return list_organisations(options, language);
    if (commands.users_add->parsed()) return add_user(options, language);
    if (commands.users_list->parsed()) return list_users(options, language);
    if (commands.users_disable->parsed()) return set_user_disabled(options, true, language);
    if (commands.users_enable->parsed()) return set_user_disabled(options, false, language);
    if (commands.tokens_issue->parsed()) return issue_token(options, language);
    if (commands.tokens_list->parsed()) return list_tokens(options, language);
    if (commands.tokens_revoke->parsed()) return revoke_token(options, language);
    if (commands.audit_list->parsed()) return list_audit(options, language);
  } catch (const StoreError& error) {
    return usage_error(language, fmt::format("数据库操作失败：{}", error.what()), fmt::format("database failure: {}", error.what()));
  }
  return kExitUsage;
}

}  // namespace sitecycle::cli
