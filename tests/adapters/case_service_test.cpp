#include "engine/case_service.h"

#include "case_service_fixture.h"
#include "failing_case_store.h"
#include "temp_directory.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

using namespace sitecycle;
using namespace sitecycle::testing;
using nlohmann::json;

namespace {

// An upper bound on the store calls of one command, which stops a walk that would never end.
constexpr int kMaxStoreCalls = 200;

std::vector<std::string> pointers_of(const Problem& problem) {
  std::vector<std::string> pointers;
  for (const FieldError& error : problem.errors) pointers.push_back(error.pointer);
  std::sort(pointers.begin(), pointers.end());
  return pointers;
}

long count_of(const std::vector<std::string>& items, std::string_view item) {
  return std::count(items.begin(), items.end(), item);
}

using Command = std::function<Result<CommandOutcome>(CaseService&)>;

// Runs `command` on the fixture's store through a FailingCaseStore that fails call 1, then call 2,
// 3 and so on. Each run that meets the failure must return unavailable and leave the store as it
// was. Stops at the first run that reaches no armed call, which must succeed, and returns the
// operations that failed, in call order.
std::vector<std::string> walk_store_failures(ServiceFixture& fixture, const Command& command) {
  FailingCaseStore failing(fixture.store());
  CaseService service(fixture.registry(), failing);
  const std::string before = fixture.dump();
  std::vector<std::string> failed_operations;

  for (int call = 1; call <= kMaxStoreCalls; ++call) {
    failing.fail_at_call(call);
    Result<CommandOutcome> outcome = command(service);
    if (!failing.failed_operation()) {
      INFO("the command ran without reaching call " << call << "; problem: "
           << (outcome ? "none" : outcome.problem().detail.en));
      REQUIRE(outcome.ok());
      return failed_operations;
    }

    const std::string operation = *failing.failed_operation();
    INFO("store failure at call " << call << " (" << operation << ")");
    REQUIRE_FALSE(outcome.ok());
    CHECK(outcome.problem().code == ErrorCode::unavailable);
    CHECK(fixture.dump() == before);
    failed_operations.push_back(operation);
  }
  FAIL("the command still calls the store after " << kMaxStoreCalls << " calls");
  return failed_operations;
}

// A copy of the basic fixture where lot's survey_passed applies only from sale_proposed, so a
// survey passing while its lot is open signals a transition the lot cannot take.
fs::path basic_workflows_with_narrow_signal(const TempDirectory& directory) {
  fs::path folder = copy_workflows(basic_workflows(), directory.path() / "workflows");
  replace_once(folder / "lot.yaml", "    from: [open, sale_proposed]\n    roles: [system]",
               "    from: [sale_proposed]\n    roles: [system]");
  return folder;
}

}  // namespace

// --- create_case ------------------------------------------------------------------------------

TEST_CASE("create generates sequential ids", "[case_service][sqlite]") {
  ServiceFixture fixture;

  CHECK(fixture.create_lot("Lot A") == "lot_000001");
  CHECK(fixture.create_lot("Lot B") == "lot_000002");

  // A generated id skips an id that a caller already took.
  CreateCaseRequest named = lot_request("Lot C");
  named.case_id = "lot_000003";
  REQUIRE(fixture.create(named));
  CHECK(fixture.create_lot("Lot D") == "lot_000004");

  // Each workflow counts on its own.
  CreateCaseRequest survey;
  survey.workflow_id = "survey";
  survey.data = {{"planned_class", 2}};
  survey.actor = actor("clerk");
  CHECK(require_ok(fixture.create(survey), "creating a survey").stored.id == "survey_000001");
}

TEST_CASE("create keeps a given id", "[case_service][sqlite]") {
  ServiceFixture fixture;
  CreateCaseRequest request = lot_request("Lot A");
  request.case_id = "lot_xuhui_07";

  Result<CommandOutcome> created = fixture.create(request);

  REQUIRE(created);
  CHECK(created->stored.id == "lot_xuhui_07");
  CHECK(fixture.case_of("lot_xuhui_07").state == "open");
}

TEST_CASE("create rejects an invalid id", "[case_service][sqlite]") {
  ServiceFixture fixture;
  const std::string before = fixture.dump();

  for (const std::string& id : {std::string("Lot_7"), std::string("7_lot"), std::string("lot-7"), std::string(),
                                std::string(65, 'a')}) {
    INFO("case id '" << id << "'");
    CreateCaseRequest request = lot_request();
    request.case_id = id;

    Result<CommandOutcome> created = fixture.create(request);

    REQUIRE_FALSE(created);
    CHECK(created.problem().code == ErrorCode::invalid_input);
    CHECK(pointers_of(created.problem()) == std::vector<std::string>{"/id"});
    CHECK(fixture.dump() == before);
  }
}

TEST_CASE("create rejects a duplicate id", "[case_service][sqlite]") {
  ServiceFixture fixture;
  CreateCaseRequest request = lot_request("Lot A");
  request.case_id = "lot_xuhui_07";
  REQUIRE(fixture.create(request));
  const std::string before = fixture.dump();

  request.data["name"] = "Lot B";
  Result<CommandOutcome> again = fixture.create(request);

  REQUIRE_FALSE(again);
  CHECK(again.problem().code == ErrorCode::conflict);
  CHECK(fixture.dump() == before);
  CHECK(fixture.case_of("lot_xuhui_07").data.at("name") == "Lot A");
}

TEST_CASE("create rejects an unknown workflow", "[case_service][sqlite]") {
  ServiceFixture fixture;
  const std::string before = fixture.dump();
  CreateCaseRequest request = lot_request();
  request.workflow_id = "harbour";

  Result<CommandOutcome> created = fixture.create(request);

  REQUIRE_FALSE(created);
  CHECK(created.problem().code == ErrorCode::not_found);
  CHECK(fixture.dump() == before);
}

TEST_CASE("create rejects invalid case data", "[case_service][sqlite]") {
  ServiceFixture fixture;
  const std::string before = fixture.dump();
  CreateCaseRequest request = lot_request();
  request.data = {{"planned_class", 3}, {"code", "ab-12"}, {"colour", "red"}};

  Result<CommandOutcome> created = fixture.create(request);

  REQUIRE_FALSE(created);
  CHECK(created.problem().code == ErrorCode::invalid_input);
  CHECK(pointers_of(created.problem()) ==
        std::vector<std::string>{"/data/code", "/data/colour", "/data/name", "/data/planned_class"});
  CHECK(fixture.dump() == before);
}

TEST_CASE("invalid data pointers escape keys", "[case_service][sqlite]") {
  // A field error must point at the member it names. RFC 6901 writes "/" in a key as "~1" and
  // "~" as "~0", so an unknown key "area/m2" is "/data/area~1m2", not "/data/area/m2".
  ServiceFixture fixture;
  CreateCaseRequest request = lot_request();
  request.data["area/m2"] = 1250;
  request.data["~draft"] = true;

  Result<CommandOutcome> created = fixture.create(request);

  REQUIRE_FALSE(created);
  CHECK(pointers_of(created.problem()) == std::vector<std::string>{"/data/area~1m2", "/data/~0draft"});
}

namespace {

std::string one_step_workflow(const std::string& workflow_id) {
  return "id: " + workflow_id + "\n"
         "version: 1\n"
         "title: {zh-CN: 修复效果评估, en: Remediation effect evaluation}\n"
         "states:\n"
         "  open: {title: {zh-CN: 在办, en: Open}, initial: true}\n"
         "  done: {title: {zh-CN: 办结, en: Done}, final: true}\n"
         "transitions:\n"
         "  finish: {title: {zh-CN: 办结, en: Finish}, from: open, to: done, roles: [clerk]}\n";
}

}  // namespace

TEST_CASE("overlong workflow ids are rejected", "[case_service][sqlite]") {
  // A generated case id adds "_000001" to the workflow id and must still pass is_valid_case_id
  // (at most 64 characters), or the API would respond 404 for the new case. The loader therefore
  // caps workflow ids at 48 characters.
  const std::string workflow_id = "soil_and_groundwater_remediation_effect_evaluation_project";
  REQUIRE(workflow_id.size() == 58);
  TempDirectory files;
  const fs::path folder = copy_workflows(basic_workflows(), files.path() / "workflows");
  write_text(folder / "long.yaml", one_step_workflow(workflow_id));

  LoadedWorkflows loaded = load_workflow_folder(folder);

  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].key_path == "id");
  CHECK(loaded.diagnostics[0].expected.en.find("at most 48 characters") != std::string::npos);
}

TEST_CASE("generated id of a long workflow", "[case_service][sqlite]") {
  const std::string workflow_id(48, 'w');
  TempDirectory files;
  const fs::path folder = copy_workflows(basic_workflows(), files.path() / "workflows");
  write_text(folder / "long.yaml", one_step_workflow(workflow_id));
  ServiceFixture fixture(folder);
  CreateCaseRequest request;
  request.workflow_id = workflow_id;
  request.actor = actor("clerk");

  Result<CommandOutcome> created = fixture.create(request);

  REQUIRE(created);
  INFO("generated id " << created->stored.id);
  CHECK(is_valid_case_id(created->stored.id));
}

TEST_CASE("callers may not act as system", "[case_service][sqlite]") {
  ServiceFixture fixture;
  CreateCaseRequest request = lot_request();
  request.actor = actor("system");

  Result<CommandOutcome> created = fixture.create(request);

  REQUIRE_FALSE(created);
  CHECK(created.problem().code == ErrorCode::role_not_allowed);
}

TEST_CASE("create stores the created event", "[case_service][sqlite]") {
  ServiceFixture fixture;

  CommandOutcome created = require_ok(fixture.create(lot_request("Lot A", 2)), "creating a lot");

  const StoredCase stored = fixture.case_of("lot_000001");
  CHECK(stored.workflow_id == "lot");
  CHECK(stored.workflow_version == 1);
  CHECK(stored.state == "open");
  CHECK(stored.version == 1);
  CHECK_FALSE(stored.closed);
  CHECK(stored.data == json{{"name", "Lot A"}, {"planned_class", 2}});
  CHECK(stored.created_at == test_moment().instant);
  CHECK(created.stored.version == 1);

  Page<StoredEvent> events = fixture.store().events_of("lot_000001", 10, 0);
  REQUIRE(events.items.size() == 1);
  const StoredEvent& event = events.items.front();
  CHECK(event.kind == "created");
  CHECK(event.case_version == 1);
  CHECK(event.to_state == "open");
  CHECK(event.actor.role == "clerk");
  CHECK(event.input == stored.data);
  CHECK(event.comment == "entered from the 2026 land plan");
  CHECK(event.at == test_moment().instant);
  REQUIRE(created.events.size() == 1);
  CHECK(created.events.front().id == event.id);
}

// --- fire -------------------------------------------------------------------------------------

TEST_CASE("fire stores transition and event", "[case_service][sqlite]") {
  ServiceFixture fixture;
  std::string lot = fixture.create_lot();
  std::string survey = fixture.propose_sale(lot);

  Result<CommandOutcome> fired = fixture.fire(fire_request(survey, "submit", "surveyor", {{"evaluated_class", 2}}));

  REQUIRE(fired);
  const StoredCase stored = fixture.case_of(survey);
  CHECK(stored.state == "submitted");
  CHECK(stored.version == 2);
  CHECK(stored.data.at("evaluated_class") == 2);
  CHECK(fired->stored.version == 2);
  CHECK(fired->events.size() == 1);
  CHECK(fired->opened_cases.empty());
  CHECK(event_lines(fixture.store(), survey) ==
        std::vector<std::string>{"v1 created ->commissioned by clerk", "v2 transition submit commissioned->submitted by surveyor"});

  const StoredEvent last = fixture.store().events_of(survey, 10, 0).items.back();
  CHECK(last.input == json{{"evaluated_class", 2}});
  CHECK(last.comment == "test step submit");
}

TEST_CASE("open_case effect links a new case", "[case_service][sqlite]") {
  ServiceFixture fixture;
  std::string lot = fixture.create_lot("Lot A");

  Result<CommandOutcome> fired = fixture.fire(fire_request(lot, "propose_sale", "clerk"));

  REQUIRE(fired);
  CHECK(fired->opened_cases == std::vector<std::string>{"survey_000001"});
  CHECK(fired->events.size() == 2);
  CHECK(fixture.case_of(lot).state == "sale_proposed");
  CHECK(fixture.case_of(lot).version == 2);

  const StoredCase survey = fixture.case_of("survey_000001");
  CHECK(survey.state == "commissioned");
  CHECK(survey.version == 1);
  CHECK(survey.data == json{{"planned_class", 1}, {"lot_name", "Lot A"}});

  CHECK(link_lines(fixture.store(), lot) == std::vector<std::string>{"survey -> survey_000001"});
  CHECK(link_lines(fixture.store(), "survey_000001") == std::vector<std::string>{"lot -> lot_000001"});
  CHECK(fixture.store().events_of("survey_000001", 10, 0).items.front().comment == "opened by lot_000001 (sale_proposed)");
}

TEST_CASE("signal fires the linked transition", "[case_service][sqlite]") {
  ServiceFixture fixture;
  std::string lot = fixture.create_lot();
  std::string survey = fixture.propose_sale(lot);
  fixture.submit_survey(survey);

  Result<CommandOutcome> passed = fixture.fire(fire_request(survey, "pass", "reviewer"));

  REQUIRE(passed);
  CHECK(passed->events.size() == 2);
  CHECK(passed->stored.id == survey);
  CHECK(fixture.case_of(survey).state == "passed");
  CHECK(fixture.case_of(survey).closed);
  CHECK(fixture.case_of(survey).data.at("passed_on") == "2026-03-16");

  const StoredCase stored_lot = fixture.case_of(lot);
  CHECK(stored_lot.state == "sale_proposed");
  CHECK(stored_lot.version == 3);
  CHECK(stored_lot.data.at("survey_result") == "passed");
  CHECK(event_lines(fixture.store(), lot).back() == "v3 transition survey_passed sale_proposed->sale_proposed by system");
  CHECK(fixture.store().events_of(lot, 10, 0).items.back().comment == "signal from survey_000001");
}

TEST_CASE("unavailable signal is recorded as skipped", "[case_service][sqlite]") {
  TempDirectory files;
  ServiceFixture fixture(basic_workflows_with_narrow_signal(files));
  std::string lot = fixture.create_lot();
  std::string survey = fixture.propose_sale(lot);
  fixture.submit_survey(survey);
  fixture.fire_ok(lot, "withdraw_sale", "clerk");

  Result<CommandOutcome> passed = fixture.fire(fire_request(survey, "pass", "reviewer"));

  REQUIRE(passed);
  CHECK(fixture.case_of(survey).state == "passed");
  const StoredCase stored_lot = fixture.case_of(lot);
  CHECK(stored_lot.state == "open");
  CHECK(stored_lot.version == 4);
  CHECK_FALSE(stored_lot.data.contains("survey_result"));

  const StoredEvent skipped = fixture.store().events_of(lot, 10, 0).items.back();
  CHECK(skipped.kind == "signal_skipped");
  CHECK(skipped.transition == "survey_passed");
  CHECK(skipped.case_version == 4);
  CHECK(skipped.from_state == "open");
  CHECK(skipped.to_state == "open");
  CHECK(skipped.actor.role == "system");
  REQUIRE(skipped.effects.size() == 1);
  CHECK(skipped.effects[0].at("skipped") == "no_such_transition");
  CHECK_FALSE(skipped.effects[0].at("reason").at("en").get<std::string>().empty());
}

TEST_CASE("signal to closed case is skipped", "[case_service][sqlite]") {
  ServiceFixture fixture;
  std::string lot = fixture.create_lot();
  std::string first_survey = fixture.propose_sale(lot);
  fixture.fire_ok(lot, "withdraw_sale", "clerk");
  std::string second_survey = fixture.propose_sale(lot);

  // The lot's "survey" link names the newest survey, so passing it lets the lot be sold.
  fixture.submit_survey(second_survey);
  fixture.fire_ok(second_survey, "pass", "reviewer");
  fixture.fire_ok(lot, "sell", "clerk");
  REQUIRE(fixture.case_of(lot).closed);

  fixture.submit_survey(first_survey);
  Result<CommandOutcome> passed = fixture.fire(fire_request(first_survey, "pass", "reviewer"));

  REQUIRE(passed);
  CHECK(fixture.case_of(first_survey).state == "passed");
  CHECK(fixture.case_of(lot).state == "sold");
  const StoredEvent skipped = fixture.store().events_of(lot, 20, 0).items.back();
  CHECK(skipped.kind == "signal_skipped");
  CHECK(skipped.effects[0].at("skipped") == "case_closed");
}

TEST_CASE("stale expected version conflicts", "[case_service][sqlite]") {
  ServiceFixture fixture;
  std::string lot = fixture.create_lot();
  fixture.propose_sale(lot);
  const std::string before = fixture.dump();

  FireRequest stale = fire_request(lot, "withdraw_sale", "clerk");
  stale.expected_version = 1;
  Result<CommandOutcome> rejected = fixture.fire(stale);

  REQUIRE_FALSE(rejected);
  CHECK(rejected.problem().code == ErrorCode::conflict);
  CHECK(rejected.problem().extra.at("current_version") == 2);
  CHECK(fixture.dump() == before);

  FireRequest current = stale;
  current.expected_version = 2;
  REQUIRE(fixture.fire(current));
  CHECK(fixture.case_of(lot).version == 3);
}

TEST_CASE("rejections leave the store unchanged", "[case_service][sqlite]") {
  ServiceFixture fixture;
  // lot_000001 is sale_proposed with a passed survey. lot_000002 waits on a commissioned one.
  std::string surveyed_lot = fixture.create_lot("Lot A");
  std::string passed_survey = fixture.propose_sale(surveyed_lot);
  fixture.submit_survey(passed_survey);
  fixture.fire_ok(passed_survey, "pass", "reviewer");
  std::string lot = fixture.create_lot("Lot B");
  std::string survey = fixture.propose_sale(lot);

  struct Rejection {
    const char* label;
    FireRequest request;
    ErrorCode code;
    const char* blocking_case;
  };
  FireRequest stale = fire_request(lot, "withdraw_sale", "clerk");
  stale.expected_version = 1;
  const std::vector<Rejection> rejections{
      {"unknown case", fire_request("lot_000404", "sell", "clerk"), ErrorCode::not_found, ""},
      {"unknown transition", fire_request(lot, "demolish", "clerk"), ErrorCode::not_found, ""},
      {"transition from another state", fire_request(survey, "pass", "reviewer"), ErrorCode::no_such_transition, ""},
      {"role not allowed", fire_request(survey, "submit", "clerk", {{"evaluated_class", 1}}),
       ErrorCode::role_not_allowed, ""},
      {"input out of range", fire_request(survey, "submit", "surveyor", {{"evaluated_class", 3}}),
       ErrorCode::invalid_input, ""},
      {"required input missing", fire_request(survey, "submit", "surveyor"), ErrorCode::invalid_input, ""},
      {"guard false", fire_request(lot, "sell", "clerk"), ErrorCode::guard_failed, "survey_000002"},
      {"closed case", fire_request(passed_survey, "submit", "surveyor", {{"evaluated_class", 1}}),
       ErrorCode::case_closed, ""},
      {"stale version", stale, ErrorCode::conflict, ""},
  };

  const std::string before = fixture.dump();
  for (const Rejection& rejection : rejections) {
    INFO(rejection.label);

    Result<CommandOutcome> fired = fixture.fire(rejection.request);

    REQUIRE_FALSE(fired);
    CHECK(fired.problem().code == rejection.code);
    CHECK(fired.problem().extra.value("blocking_case", "") == rejection.blocking_case);
    CHECK(fixture.dump() == before);
  }
}

TEST_CASE("racing fires conflict once", "[case_service][sqlite]") {
  ServiceFixture fixture;
  std::string lot = fixture.create_lot();

  // Two threads fire the same transition from the same version. The store serialises them, so
  // the second must see the first's change and report a conflict.
  for (int round = 1; round <= 6; ++round) {
    INFO("round " << round);
    const StoredCase current = fixture.case_of(lot);
    FireRequest request =
        fire_request(lot, current.state == "open" ? "propose_sale" : "withdraw_sale", "clerk");
    request.expected_version = current.version;
    auto fire = [&] { return fixture.fire(request); };

    std::future<Result<CommandOutcome>> other = std::async(std::launch::async, fire);
    Result<CommandOutcome> mine = fire();
    Result<CommandOutcome> theirs = other.get();

    CHECK(mine.ok() != theirs.ok());
    const Result<CommandOutcome>& loser = mine.ok() ? theirs : mine;
    if (!loser.ok()) CHECK(loser.problem().code == ErrorCode::conflict);
    CHECK(fixture.case_of(lot).version == current.version + 1);
  }
}

TEST_CASE("concurrent creates get distinct ids", "[case_service][sqlite]") {
  ServiceFixture fixture;
  constexpr int kPerThread = 20;
  auto create_lots = [&] {
    std::vector<std::string> ids;
    for (int i = 0; i < kPerThread; ++i) ids.push_back(fixture.create_lot());
    return ids;
  };

  std::future<std::vector<std::string>> other = std::async(std::launch::async, create_lots);
  std::vector<std::string> ids = create_lots();
  std::vector<std::string> other_ids = other.get();

  ids.insert(ids.end(), other_ids.begin(), other_ids.end());
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> expected;
  for (int number = 1; number <= 2 * kPerThread; ++number) expected.push_back(fmt::format("lot_{:06}", number));
  CHECK(ids == expected);
}

TEST_CASE("case detail names blocking case", "[case_service][sqlite]") {
  ServiceFixture fixture;
  std::string lot = fixture.create_lot();
  std::string survey = fixture.propose_sale(lot);

  Result<CaseDetail> detail = fixture.service().case_detail(lot, actor("clerk"));

  REQUIRE(detail);
  CHECK(detail->stored.state == "sale_proposed");
  CHECK(detail->links.size() == 1);
  std::vector<std::string> available;
  for (const AvailableTransition& entry : detail->available) {
    available.push_back(fmt::format("{} holds={} blocking_case='{}'", entry.transition->id, entry.guard_holds,
                                    entry.blocking_case));
  }
  CHECK(available == std::vector<std::string>{"sell holds=false blocking_case='survey_000001'",
                                              "withdraw_sale holds=true blocking_case=''"});

  Result<CaseDetail> missing = fixture.service().case_detail("lot_000404", actor("clerk"));
  REQUIRE_FALSE(missing);
  CHECK(missing.problem().code == ErrorCode::not_found);
}

TEST_CASE("case detail reports store failures", "[case_service][sqlite]") {
  ServiceFixture fixture;
  std::string lot = fixture.create_lot();
  fixture.propose_sale(lot);
  FailingCaseStore failing(fixture.store());
  CaseService service(fixture.registry(), failing);

  int failed_calls = 0;
  for (int call = 1; call <= kMaxStoreCalls; ++call) {
    failing.fail_at_call(call);
    Result<CaseDetail> detail = service.case_detail(lot, actor("clerk"));
    if (!failing.failed_operation()) {
      CHECK(detail.ok());
      break;
    }
    INFO("store failure at call " << call << " (" << *failing.failed_operation() << ")");
    REQUIRE_FALSE(detail.ok());
    CHECK(detail.problem().code == ErrorCode::unavailable);
    ++failed_calls;
  }
  // The case, its links, the one linked case, and the case's deadlines.
  CHECK(failed_calls == 4);
}

// --- Failure walks ------------------------------------------------------------------------------

TEST_CASE("create survives store failures", "[case_service][sqlite]") {
  ServiceFixture reference;
  reference.create_lot();
  ServiceFixture fixture;

  std::vector<std::string> failed = walk_store_failures(
      fixture, [](CaseService& service) { return service.create_case(lot_request(), test_moment()); });

  // Equal dumps also show that the id counter rolled back with each failure, because the id is
  // still lot_000001.
  CHECK(fixture.dump() == reference.dump());
  REQUIRE_FALSE(failed.empty());
  CHECK(failed.front() == "begin");
  CHECK(failed.back() == "commit");
  CHECK(count_of(failed, "next_case_number") == 1);
  CHECK(count_of(failed, "insert_case") == 1);
  CHECK(count_of(failed, "append_event") == 1);
}

TEST_CASE("open_case survives store failures", "[case_service][sqlite]") {
  auto build = [](ServiceFixture& fixture) { return fixture.create_lot(); };
  ServiceFixture reference;
  reference.propose_sale(build(reference));
  ServiceFixture fixture;
  std::string lot = build(fixture);

  std::vector<std::string> failed = walk_store_failures(fixture, [&](CaseService& service) {
    return service.fire(fire_request(lot, "propose_sale", "clerk"), test_moment());
  });

  CHECK(fixture.dump() == reference.dump());
  REQUIRE_FALSE(failed.empty());
  CHECK(failed.back() == "commit");
  CHECK(count_of(failed, "update_case") == 1);
  CHECK(count_of(failed, "insert_case") == 1);
  CHECK(count_of(failed, "append_event") == 2);
  CHECK(count_of(failed, "insert_link") == 2);
}

TEST_CASE("signal cascade survives store failures", "[case_service][sqlite]") {
  auto build = [](ServiceFixture& fixture) {
    std::string survey = fixture.propose_sale(fixture.create_lot());
    fixture.submit_survey(survey);
    return survey;
  };
  ServiceFixture reference;
  reference.fire_ok(build(reference), "pass", "reviewer");
  ServiceFixture fixture;
  std::string survey = build(fixture);

  std::vector<std::string> failed = walk_store_failures(fixture, [&](CaseService& service) {
    return service.fire(fire_request(survey, "pass", "reviewer"), test_moment());
  });

  CHECK(fixture.dump() == reference.dump());
  CHECK(fixture.case_of("lot_000001").data.at("survey_result") == "passed");
  CHECK(count_of(failed, "update_case") == 2);
  CHECK(count_of(failed, "append_event") == 2);
  CHECK(failed.back() == "commit");
}

TEST_CASE("skipped signal survives store failures", "[case_service][sqlite]") {
  TempDirectory files;
  const fs::path workflows = basic_workflows_with_narrow_signal(files);
  auto build = [](ServiceFixture& fixture) {
    std::string lot = fixture.create_lot();
    std::string survey = fixture.propose_sale(lot);
    fixture.submit_survey(survey);
    fixture.fire_ok(lot, "withdraw_sale", "clerk");
    return survey;
  };
  ServiceFixture reference(workflows);
  reference.fire_ok(build(reference), "pass", "reviewer");
  ServiceFixture fixture(workflows);
  std::string survey = build(fixture);

  std::vector<std::string> failed = walk_store_failures(fixture, [&](CaseService& service) {
    return service.fire(fire_request(survey, "pass", "reviewer"), test_moment());
  });

  CHECK(fixture.dump() == reference.dump());
  CHECK(fixture.store().events_of("lot_000001", 20, 0).items.back().kind == "signal_skipped");
  CHECK(count_of(failed, "update_case") == 2);
  CHECK(count_of(failed, "append_event") == 2);
}

// --- Workflow pinning ---------------------------------------------------------------------------

TEST_CASE("pinning stores workflow definitions", "[case_service][sqlite]") {
  TempDirectory files;
  const fs::path folder = copy_workflows(basic_workflows(), files.path() / "workflows");
  ServiceFixture fixture(folder);

  std::vector<StoredDefinition> definitions = fixture.store().definitions();

  REQUIRE(definitions.size() == 2);
  CHECK(definitions[0].workflow_id == "lot");
  CHECK(definitions[0].version == 1);
  CHECK(definitions[0].yaml_text == read_text(folder / "lot.yaml"));
  CHECK(definitions[0].sha256 == sha256_hex(read_text(folder / "lot.yaml")));
  CHECK(definitions[1].workflow_id == "survey");
  CHECK(definitions[1].version == 1);
}

TEST_CASE("changed file without version bump", "[case_service][sqlite]") {
  TempDirectory files;
  const fs::path folder = copy_workflows(basic_workflows(), files.path() / "workflows");
  ServiceFixture fixture(folder);
  const std::string pinned_sha = fixture.store().definitions().at(0).sha256;

  replace_once(folder / "lot.yaml", "title: {zh-CN: 地块, en: Lot}", "title: {zh-CN: 地块, en: Land lot}");
  LoadedWorkflows reloaded = load_workflow_folder(folder);
  REQUIRE(reloaded.diagnostics.empty());
  Diagnostics diagnostics;
  pin_workflows(reloaded, fixture.store(), diagnostics);

  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].file == (folder / "lot.yaml").string());
  CHECK(diagnostics[0].key_path == "version");
  CHECK(fixture.store().definitions().at(0).sha256 == pinned_sha);
}

TEST_CASE("running case keeps its version", "[case_service][sqlite]") {
  TempDirectory files;
  ServiceFixture fixture(copy_workflows(basic_workflows(), files.path() / "v1"));
  std::string old_lot = fixture.create_lot("Lot A");

  // Version 2 adds a state "reserved" with transitions into and out of it.
  const fs::path v2 = copy_workflows(basic_workflows(), files.path() / "v2");
  replace_once(v2 / "lot.yaml", "version: 1\n", "version: 2\n");
  replace_once(v2 / "lot.yaml", "  sold: {title: {zh-CN: 已出让, en: Sold}, final: true}\n",
               "  sold: {title: {zh-CN: 已出让, en: Sold}, final: true}\n"
               "  reserved: {title: {zh-CN: 已预留, en: Reserved}}\n");
  replace_once(v2 / "lot.yaml", "transitions:\n",
               "transitions:\n"
               "  reserve:\n    title: {zh-CN: 预留, en: Reserve}\n    from: open\n    to: reserved\n    roles: [clerk]\n"
               "  release:\n    title: {zh-CN: 解除预留, en: Release}\n    from: reserved\n    to: open\n    roles: [clerk]\n");
  std::shared_ptr<const WorkflowRegistry> registry = load_and_pin(v2, fixture.store());
  CaseService service(registry, fixture.store());
  REQUIRE(registry->latest("lot")->version == 2);
  REQUIRE(registry->find("lot", 1) != nullptr);

  // The case created on version 1 has no "reserve" transition and can still propose a sale.
  const std::string before = fixture.dump();
  Result<CommandOutcome> reserve_old = service.fire(fire_request(old_lot, "reserve", "clerk"), test_moment());
  REQUIRE_FALSE(reserve_old);
  CHECK(reserve_old.problem().code == ErrorCode::not_found);
  CHECK(fixture.dump() == before);
  Result<CommandOutcome> proposed = service.fire(fire_request(old_lot, "propose_sale", "clerk"), test_moment());
  REQUIRE(proposed);
  CHECK(proposed->stored.workflow_version == 1);
  CHECK(fixture.case_of(old_lot).workflow_version == 1);

  // A new case starts on version 2 and may be reserved.
  Result<CommandOutcome> created = service.create_case(lot_request("Lot B"), test_moment());
  REQUIRE(created);
  CHECK(created->stored.workflow_version == 2);
  Result<CommandOutcome> reserved = service.fire(fire_request(created->stored.id, "reserve", "clerk"), test_moment());
  REQUIRE(reserved);
  CHECK(fixture.case_of(created->stored.id).state == "reserved");
}

// --- The shipped workflows ----------------------------------------------------------------------

TEST_CASE("parcel supply waits for investigation", "[case_service][sqlite]") {
  TempDirectory files;
  ServiceFixture fixture(copy_workflows(shipped_workflows(), files.path() / "workflows"));
  CreateCaseRequest parcel_request;
  parcel_request.workflow_id = "parcel";
  parcel_request.data = {{"name", "徐汇区龙华街道 XH-07 地块"}, {"district", "xuhui"}, {"planned_class", 1}};
  parcel_request.actor = actor("land_bureau");
  const std::string parcel = require_ok(fixture.create(parcel_request), "creating a parcel").stored.id;

  // Proposing supply opens the investigation.
  CommandOutcome proposed = require_ok(fixture.fire(fire_request(parcel, "propose_supply", "land_bureau")), "propose_supply");
  REQUIRE(proposed.opened_cases.size() == 1);
  const std::string investigation = proposed.opened_cases.front();
  CHECK(investigation == "investigation_000001");
  CHECK(fixture.case_of(investigation).data.at("trigger") == "supply");

  // The investigation runs up to review.
  fixture.fire_ok(investigation, "engage_consultant", "land_reserve_centre", {{"consultant", "上海某环境科技有限公司"}});
  fixture.fire_ok(investigation, "start_phase1", "consultant");
  fixture.fire_ok(investigation, "start_sampling", "consultant");
  fixture.fire_ok(investigation, "submit_report", "consultant", {{"conclusion", "clean"}, {"evaluated_class", 1}});
  fixture.fire_ok(investigation, "accept_for_review", "district_eeb");
  CHECK(fixture.case_of(investigation).state == "under_review");

  // Supply is blocked by the investigation under review.
  const std::string before = fixture.dump();
  Result<CommandOutcome> blocked = fixture.fire(fire_request(parcel, "supply", "land_bureau"));
  REQUIRE_FALSE(blocked);
  CHECK(blocked.problem().code == ErrorCode::guard_failed);
  CHECK(blocked.problem().extra.value("blocking_case", "") == investigation);
  CHECK(blocked.problem().extra.value("condition", "") == "link.investigation.state");
  CHECK_FALSE(blocked.problem().detail.zh_cn.empty());
  CHECK_FALSE(blocked.problem().detail.en.empty());
  CHECK(fixture.dump() == before);

  // Passing the review signals the parcel, and supply goes through.
  CommandOutcome passed = require_ok(fixture.fire(fire_request(investigation, "pass_review", "district_eeb")), "pass_review");
  CHECK(passed.events.size() == 2);
  CHECK(fixture.case_of(parcel).data.at("latest_investigation_conclusion") == "clean");
  CHECK(fixture.case_of(parcel).data.at("latest_evaluated_class") == 1);

  Result<CommandOutcome> supplied = fixture.fire(fire_request(parcel, "supply", "land_bureau"));
  REQUIRE(supplied);
  CHECK(fixture.case_of(parcel).state == "supplied");
  CHECK(fixture.case_of(parcel).data.at("land_status") == "supplied");
  CHECK(event_lines(fixture.store(), parcel) ==
        std::vector<std::string>{"v1 created ->registered by land_bureau",
                                 "v2 transition propose_supply registered->supply_preparation by land_bureau",
                                 "v3 transition investigation_passed supply_preparation->supply_preparation by system",
                                 "v4 transition supply supply_preparation->supplied by land_bureau"});
}

TEST_CASE("parcel land status cannot be preset", "[case_service][sqlite]") {
  // land_status is read-only: if a caller could preset it, a withdraw transition guarded on it
  // would move a parcel to supplied without the soil admission gate.
  TempDirectory files;
  ServiceFixture fixture(copy_workflows(shipped_workflows(), files.path() / "workflows"));
  CreateCaseRequest request;
  request.workflow_id = "parcel";
  request.data = {{"name", "测试地块"}, {"district", "pudong"}, {"planned_class", 1}, {"land_status", "supplied"}};
  request.actor = actor("land_bureau");
  const std::string before = fixture.dump();

  Result<CommandOutcome> created = fixture.create(request);

  REQUIRE_FALSE(created);
  CHECK(created.problem().code == ErrorCode::invalid_input);
  CHECK(pointers_of(created.problem()) == std::vector<std::string>{"/data/land_status"});
  CHECK(fixture.dump() == before);
}

TEST_CASE("parcel creation follows create_roles", "[case_service][sqlite]") {
  TempDirectory files;
  ServiceFixture fixture(copy_workflows(shipped_workflows(), files.path() / "workflows"));
  CreateCaseRequest request;
  request.workflow_id = "parcel";
  request.data = {{"name", "测试地块"}, {"district", "pudong"}, {"planned_class", 1}};
  request.actor = actor("consultant");

  Result<CommandOutcome> rejected = fixture.create(request);

  REQUIRE_FALSE(rejected);
  CHECK(rejected.problem().code == ErrorCode::role_not_allowed);
  CHECK(rejected.problem().detail.en.find("role consultant may not create a parcel case") == 0);

  // The investigation a land action opens is not subject to create_roles.
  request.actor = actor("land_reserve_centre");
  const std::string parcel = require_ok(fixture.create(request), "creating a parcel").stored.id;
  CommandOutcome proposed = require_ok(fixture.fire(fire_request(parcel, "propose_supply", "land_reserve_centre")), "propose_supply");
  CHECK(proposed.opened_cases.size() == 1);
}
