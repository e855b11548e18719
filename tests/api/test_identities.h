// Test users for the API tests: one per role, all acting for one city-level bureau, so that
// they see every case, each with a token whose text is known in advance.
#pragma once

#include "adapters/api_token.h"
#include "engine/identity_store.h"

#include <map>
#include <string>
#include <vector>

namespace sitecycle::testing {

using Headers = std::map<std::string, std::string>;

// The secret of every test token: 64 lowercase hex digits.
inline const std::string kTestSecret(64, 'a');
inline constexpr const char* kTestOrganisation = "test_city_bureau";

// The user id, and the token id, of the test user holding `role`.
inline std::string test_user_of(const std::string& role) { return "test_" + role; }

// The Authorization header of the test user holding `role`.
inline Headers actor_headers(const std::string& role) {
  return {{"authorization", "Bearer " + token_from_parts(test_user_of(role), kTestSecret).text}};
}

// The headers of a caller who sent no token.
inline Headers anonymous_headers() { return {{"authorization", ""}}; }

// Adds `organisation` and a user of it with a token for each role, ids as test_user_of(role).
inline void add_test_users(IdentityStore& identities, const Organisation& organisation,
                           const std::vector<std::string>& roles) {
  identities.add_organisation(organisation);
  for (const std::string& role : roles) {
    std::string id = test_user_of(role);
    identities.add_user({id, organisation.id, role, "测试用户 " + role, false, organisation.created_at});
    identities.add_token({id, id, hash_token_secret(kTestSecret), "test", organisation.created_at, std::nullopt, std::nullopt});
  }
}

// The city-level bureau of the default test users.
inline Organisation test_city_bureau(Instant created_at) {
  return {kTestOrganisation, OrganisationType::ecology_bureau, "", {"测试市级单位", "Test city bureau"}, "", created_at};
}

}  // namespace sitecycle::testing
