// `sitecycle orgs`, `users` and `tokens`: administration of organisations, users and API
// tokens in the database a server uses; `sitecycle audit list` shows failed sign-ins and denied
// actions. docs/cli.md describes them.
#pragma once

#include "engine/localized_text.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace sitecycle::cli {

struct IdentityOptions {
  std::string database = "sqlite:var/sitecycle.db";
  std::string workflows_folder = "workflows";
  std::string id;
  std::string type;
  std::string district;
  std::string name_zh_cn;
  std::string name_en;
  std::string credit_code;
  std::string org;
  std::string role;
  std::string name;
  std::string user;
  std::string label;
  std::optional<int> expires_in_days;
  int limit = 50;
};

// The leaf subcommands, so that main() can tell which one was parsed.
struct IdentityCommands {
  CLI::App* orgs_add = nullptr;
  CLI::App* orgs_list = nullptr;
  CLI::App* users_add = nullptr;
  CLI::App* users_list = nullptr;
  CLI::App* users_disable = nullptr;
  CLI::App* users_enable = nullptr;
  CLI::App* tokens_issue = nullptr;
  CLI::App* tokens_list = nullptr;
  CLI::App* tokens_revoke = nullptr;
  CLI::App* audit_list = nullptr;

  bool parsed() const;
};

// Adds the orgs, users and tokens commands to `app`; their options write into `options`.
IdentityCommands add_identity_commands(CLI::App& app, IdentityOptions& options, std::string& language_flag);

// Runs the parsed identity command and returns its exit code.
int run_identity_command(const IdentityCommands& commands, const IdentityOptions& options, Language language);

}  // namespace sitecycle::cli
