// sitecycle orgs, users and tokens against a database file, and a token they issue signing in
// to a running server.
#include "cli_process.h"

#include <catch2/catch.hpp>

using namespace sitecycle::testing;

namespace {

// Runs an identity command on the database in `directory`.
CommandResult run_on(const TemporaryDirectory& directory, const std::string& arguments) {
  return run_sitecycle(fmt::format("{} --db 'sqlite:{}' --lang en", arguments, (directory.path() / "cases.db").string()));
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("identity commands manage orgs and tokens", "[cli][auth]") {
  TemporaryDirectory directory;
  REQUIRE(run_on(directory, "orgs add --id pudong_eeb --type ecology_bureau --district pudong --name-zh 浦东新区生态环境局 "
                            "--name-en 'Pudong Bureau'")
              .exit_code == 0);
  CommandResult orgs = run_on(directory, "orgs list");
  CHECK(orgs.exit_code == 0);
  CHECK(contains(orgs.out, "pudong_eeb"));
  CHECK(contains(orgs.out, "ecology_bureau"));

  REQUIRE(run_on(directory, "users add --id wang_li --org pudong_eeb --role district_eeb --name 王立").exit_code == 0);
  CHECK(contains(run_on(directory, "users list").out, "wang_li"));

  CommandResult issued = run_on(directory, "tokens issue --user wang_li --label laptop --expires-in-days 30");
  REQUIRE(issued.exit_code == 0);
  // Only the token is on standard output, so scripts can capture it.
  CHECK(issued.out.rfind("sct_", 0) == 0);
  CHECK(std::count(issued.out.begin(), issued.out.end(), '\n') == 1);
  CHECK(contains(issued.err, "shown only this once"));
  std::string token_id = issued.out.substr(4, issued.out.rfind('_') - 4);

  CommandResult listed = run_on(directory, "tokens list --user wang_li");
  CHECK(contains(listed.out, token_id));
  CHECK_FALSE(contains(listed.out, issued.out.substr(0, issued.out.size() - 1)));  // never the secret

  CHECK(run_on(directory, "tokens revoke --id " + token_id).exit_code == 0);
  CommandResult again = run_on(directory, "tokens revoke --id " + token_id);
  CHECK(again.exit_code == 0);
  CHECK(contains(again.out, "already revoked"));

  CHECK(run_on(directory, "users disable --id wang_li").exit_code == 0);
  CHECK(contains(run_on(directory, "users list").out, "disabled"));
  CHECK(run_on(directory, "tokens issue --user wang_li").exit_code == 2);
  CHECK(run_on(directory, "users enable --id wang_li").exit_code == 0);

  CommandResult audit = run_on(directory, "audit list --limit 5");
  CHECK(audit.exit_code == 0);
  CHECK(contains(audit.err, "0 audit record(s) in all"));
  CHECK(run_on(directory, "audit list --limit 0").exit_code == 2);
}

TEST_CASE("identity commands reject bad input with exit 2", "[cli][auth]") {
  TemporaryDirectory directory;
  REQUIRE(run_on(directory, "orgs add --id greenment --type firm --name-zh 甲 --name-en A").exit_code == 0);

  struct Case {
    std::string arguments;
    std::string message;
  };
  std::vector<Case> cases{
      {"orgs add --id greenment --type firm --name-zh 甲 --name-en A", "already exists"},
      {"orgs add --id Bad-Id --type firm --name-zh 甲 --name-en A", "invalid --id value Bad-Id"},
      {"orgs add --id x --type ministry --name-zh 甲 --name-en A", "invalid --type value ministry"},
      {"orgs add --id x --type firm --district atlantis --name-zh 甲 --name-en A", "invalid --district value atlantis"},
      {"orgs add --id x --type firm --credit-code 91310000MA1K35XP9X --name-zh 甲 --name-en A",
       "not a valid unified social credit code"},
      {"orgs add --id x --type firm --name-zh 甲", "usage error"},
      {"users add --id li --org nowhere --role consultant", "organisation nowhere does not exist"},
      {"users add --id li --org greenment --role mayor", "--role value mayor is not a role"},
      {"users add --id li --org greenment --role system", "--role value system is not a role"},
      {"users disable --id nobody", "user nobody does not exist"},
      {"tokens issue --user nobody", "user nobody does not exist"},
      {"tokens issue --user li --expires-in-days 0", "invalid --expires-in-days value 0"},
      {"tokens revoke --id nothing", "token nothing does not exist"},
      {"tokens", "usage error"},
  };
  for (const Case& bad : cases) {
    INFO(bad.arguments);
    CommandResult result = run_on(directory, bad.arguments);
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(contains(result.err, bad.message));
  }

  SECTION("a missing database is named, not created") {
    CommandResult missing = run_sitecycle(fmt::format("users list --db 'sqlite:{}' --lang en",
                                                      (directory.path() / "none.db").string()));
    CHECK(missing.exit_code == 2);
    CHECK(contains(missing.err, "does not exist"));
    CHECK_FALSE(std::filesystem::exists(directory.path() / "none.db"));
  }
}
