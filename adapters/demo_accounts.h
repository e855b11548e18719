// The organisations, users and tokens of a demo server (`sitecycle serve --demo`): one user for
// every role of roles.yaml, so that the README, tests and demonstrations can act in any role.
#pragma once

#include "engine/identity_store.h"
#include "engine/workflow.h"

#include <filesystem>
#include <string>
#include <vector>

namespace sitecycle {

struct DemoAccount {
  std::string user_id;  // "demo_" followed by the role, such as demo_city_eeb
  std::string role;
  std::string org_id;
  std::string token;
};

// Creates the demo organisations and users that are missing and returns a working token for
// each user. A token already in `tokens_file` is kept while it still signs in; otherwise a new
// one is issued. Then writes every token to `tokens_file`, readable by its owner only, and
// returns the accounts. Throws StoreError when the store fails and std::runtime_error naming
// the file when it cannot be written.
std::vector<DemoAccount> prepare_demo_accounts(IdentityStore& identities, const RoleCatalog& roles,
                                               const std::filesystem::path& tokens_file, Instant now);

// The demo-tokens.json beside a database file.
std::filesystem::path demo_tokens_path(const std::filesystem::path& database_file);

}  // namespace sitecycle
