#include "engine/runtime.h"

#include "engine_fixtures.h"

#include <catch2/catch.hpp>

using namespace sitecycle;

namespace {

const Moment kNow{Instant{std::chrono::sys_days{std::chrono::year{2026} / 3 / 16}} + std::chrono::hours{2},
                  std::chrono::year{2026} / 3 / 16};

StoredCase lot_case(const std::string& state) {
  StoredCase stored;
  stored.id = "lot_000001";
  stored.workflow_id = "lot";
  stored.workflow_version = 1;
  stored.state = state;
  stored.data = {{"name", "A-1"}, {"planned_class", 2}};
  stored.version = 3;
  return stored;
}

StoredCase survey_case(const std::string& state, int evaluated_class) {
  StoredCase stored;
  stored.id = "survey_000001";
  stored.workflow_id = "survey";
  stored.workflow_version = 1;
  stored.state = state;
  stored.data = {{"planned_class", 2}, {"evaluated_class", evaluated_class}};
  return stored;
}

TransitionRequest request(const std::string& transition, const std::string& role, nlohmann::json input = nlohmann::json::object()) {
  return TransitionRequest{transition, Actor{role, "bureau", "li"}, std::move(input), "", std::nullopt};
}

// The basic survey whose pass transition runs `effect` in place of its first set effect.
std::optional<Workflow> survey_passing_with(const std::string& effect) {
  std::string text = testing::read_fixture("workflows/basic/survey.yaml");
  const std::string original = "set: {passed_on: {path: now.date}}";
  text.replace(text.find(original), original.size(), effect);
  Diagnostics diagnostics;
  return parse_workflow(text, "survey.yaml", diagnostics);
}

}  // namespace

TEST_CASE("runtime opens a linked case on a land action", "[runtime]") {
  auto registry = testing::basic_registry();
  auto applied = apply_transition(*registry->latest("lot"), lot_case("open"), {}, request("propose_sale", "clerk"), kNow);
  REQUIRE(applied);
  CHECK(applied->from_state == "open");
  CHECK(applied->to_state == "sale_proposed");
  REQUIRE(applied->open_cases.size() == 1);
  CHECK(applied->open_cases[0].workflow == "survey");
  CHECK(applied->open_cases[0].link_role == "survey");
  CHECK(applied->open_cases[0].back_role == "lot");
  CHECK(applied->open_cases[0].data == nlohmann::json{{"planned_class", 2}, {"lot_name", "A-1"}});
}

TEST_CASE("runtime rejects with a stable code and reason", "[runtime]") {
  auto registry = testing::basic_registry();
  const Workflow& lot = *registry->latest("lot");

  SECTION("unknown transition") {
    auto applied = apply_transition(lot, lot_case("open"), {}, request("demolish", "clerk"), kNow);
    REQUIRE_FALSE(applied);
    CHECK(applied.problem().code == ErrorCode::not_found);
    CHECK(applied.problem().detail.en == "workflow lot has no transition demolish; transitions from state open: propose_sale");
  }
  SECTION("transition from another state") {
    auto applied = apply_transition(lot, lot_case("open"), {}, request("sell", "clerk"), kNow);
    REQUIRE_FALSE(applied);
    CHECK(applied.problem().code == ErrorCode::no_such_transition);
    CHECK(applied.problem().detail.en.find("applies only from sale_proposed, but case lot_000001 is in state open") != std::string::npos);
  }
  SECTION("role not allowed") {
    auto applied = apply_transition(lot, lot_case("open"), {}, request("propose_sale", "surveyor"), kNow);
    REQUIRE_FALSE(applied);
    CHECK(applied.problem().code == ErrorCode::role_not_allowed);
    CHECK(applied.problem().detail.zh_cn == "角色 surveyor 无权执行转换 propose_sale；允许的角色：clerk");
  }
  SECTION("closed case") {
    auto applied = apply_transition(lot, lot_case("sold"), {}, request("withdraw_sale", "clerk"), kNow);
    REQUIRE_FALSE(applied);
    CHECK(applied.problem().code == ErrorCode::case_closed);
  }
}

TEST_CASE("runtime guard names the condition and the blocking case", "[runtime]") {
  auto registry = testing::basic_registry();
  const Workflow& lot = *registry->latest("lot");

  LinkedCases open_survey{{"survey", survey_case("submitted", 2)}};
  auto blocked = apply_transition(lot, lot_case("sale_proposed"), open_survey, request("sell", "clerk"), kNow);
  REQUIRE_FALSE(blocked);
  CHECK(blocked.problem().code == ErrorCode::guard_failed);
  CHECK(blocked.problem().extra["blocking_case"] == "survey_000001");
  CHECK(blocked.problem().extra["condition"] == "link.survey.state");
  CHECK(blocked.problem().extra["basis"] == "Test rule 1");
  CHECK(blocked.problem().detail.en.find("The survey has not passed") != std::string::npos);

  LinkedCases lax_survey{{"survey", survey_case("passed", 2)}};
  StoredCase strict_lot = lot_case("sale_proposed");
  strict_lot.data["planned_class"] = 1;
  auto wrong_class = apply_transition(lot, strict_lot, lax_survey, request("sell", "clerk"), kNow);
  REQUIRE_FALSE(wrong_class);
  CHECK(wrong_class.problem().extra["condition"] == "link.survey.data.evaluated_class");

  auto sold = apply_transition(lot, lot_case("sale_proposed"), lax_survey, request("sell", "clerk"), kNow);
  REQUIRE(sold);
  CHECK(sold->to_state == "sold");
}

TEST_CASE("runtime checks input against the schema", "[runtime]") {
  auto registry = testing::basic_registry();
  const Workflow& survey = *registry->latest("survey");
  StoredCase current = survey_case("commissioned", 1);
  current.data.erase("evaluated_class");

  auto missing = apply_transition(survey, current, {}, request("submit", "surveyor"), kNow);
  REQUIRE_FALSE(missing);
  CHECK(missing.problem().code == ErrorCode::invalid_input);
  REQUIRE(missing.problem().errors.size() == 1);
  CHECK(missing.problem().errors[0].pointer == "/input/evaluated_class");

  auto wrong = apply_transition(survey, current, {},
                                request("submit", "surveyor", {{"evaluated_class", 3}, {"findings", {}}, {"colour", 1}}), kNow);
  REQUIRE_FALSE(wrong);
  std::vector<std::string> pointers;
  for (const FieldError& error : wrong.problem().errors) pointers.push_back(error.pointer);
  CHECK(pointers == std::vector<std::string>{"/input/colour", "/input/evaluated_class", "/input/findings"});

  auto accepted = apply_transition(survey, current, {}, request("submit", "surveyor", {{"evaluated_class", 1}}), kNow);
  REQUIRE(accepted);
  CHECK(accepted->data["evaluated_class"] == 1);
}

TEST_CASE("runtime effects set fields and signal the linked case", "[runtime]") {
  auto registry = testing::basic_registry();
  LinkedCases linked{{"lot", lot_case("sale_proposed")}};
  auto applied = apply_transition(*registry->latest("survey"), survey_case("submitted", 2), linked,
                                  request("pass", "reviewer"), kNow);
  REQUIRE(applied);
  CHECK(applied->data["passed_on"] == "2026-03-16");
  REQUIRE(applied->signals.size() == 1);
  CHECK(applied->signals[0].target_case_id == "lot_000001");
  CHECK(applied->signals[0].transition == "survey_passed");
  CHECK(applied->effects_record.size() == 2);

  auto unlinked = apply_transition(*registry->latest("survey"), survey_case("submitted", 2), {}, request("pass", "reviewer"), kNow);
  REQUIRE(unlinked);
  CHECK(unlinked->signals.empty());
  CHECK(unlinked->effects_record[1]["signal"]["skipped"] == "no linked case");
}

TEST_CASE("available transitions follow state, role and guard", "[runtime]") {
  auto registry = testing::basic_registry();
  const Workflow& lot = *registry->latest("lot");
  LinkedCases open_survey{{"survey", survey_case("submitted", 2)}};

  auto available = available_transitions(lot, lot_case("sale_proposed"), open_survey, Actor{"clerk", "bureau", "li"});
  REQUIRE(available.size() == 2);
  CHECK(available[0].transition->id == "sell");
  CHECK_FALSE(available[0].guard_holds);
  CHECK(available[0].blocking_case == "survey_000001");
  CHECK(available[1].transition->id == "withdraw_sale");
  CHECK(available[1].guard_holds);

  CHECK(available_transitions(lot, lot_case("sale_proposed"), open_survey, Actor{"surveyor", "", ""}).empty());
  CHECK(available_transitions(lot, lot_case("sale_proposed"), open_survey, Actor{"system", "", ""}).empty());
  CHECK(available_transitions(lot, lot_case("sold"), open_survey, Actor{"clerk", "", ""}).empty());
}

TEST_CASE("runtime shortens huge names in messages", "[runtime]") {
  auto registry = testing::basic_registry();
  std::string name(5000, 'x');
  auto applied = apply_transition(*registry->latest("lot"), lot_case("sold"), {}, request(name, "clerk"), kNow);
  REQUIRE_FALSE(applied);
  CHECK(applied.problem().code == ErrorCode::not_found);
  CHECK(applied.problem().detail.en.size() < 300);
  CHECK(applied.problem().detail.en.find("…") != std::string::npos);
}

TEST_CASE("runtime clears a field set to null", "[runtime]") {
  std::optional<Workflow> survey = survey_passing_with("set: {findings: null}");
  REQUIRE(survey);
  StoredCase current = survey_case("submitted", 2);
  current.data["findings"] = nlohmann::json{"oil stains"};

  auto applied = apply_transition(*survey, current, {}, request("pass", "reviewer"), kNow);
  REQUIRE(applied);
  CHECK_FALSE(applied->data.contains("findings"));
  CHECK(applied->effects_record[0]["set"]["findings"].is_null());
}

TEST_CASE("guard failures carry the rule alone", "[runtime]") {
  auto registry = testing::basic_registry();
  const Workflow& lot = *registry->latest("lot");
  LinkedCases open_survey{{"survey", survey_case("commissioned", 2)}};
  auto blocked = apply_transition(lot, lot_case("sale_proposed"), open_survey, request("sell", "clerk"), kNow);
  REQUIRE_FALSE(blocked);
  INFO(blocked.problem().extra.dump());
  REQUIRE(blocked.problem().extra.contains("rule"));
  CHECK(blocked.problem().detail.en.find(blocked.problem().extra["rule"]["en"].get<std::string>()) != std::string::npos);
}

TEST_CASE("runtime keeps required fields set from an empty path", "[runtime]") {
  std::optional<Workflow> survey = survey_passing_with("set: {planned_class: {path: data.lot_name}}");
  REQUIRE(survey);

  auto applied = apply_transition(*survey, survey_case("submitted", 2), {}, request("pass", "reviewer"), kNow);
  REQUIRE_FALSE(applied);
  CHECK(applied.problem().code == ErrorCode::invalid_definition);
  CHECK(applied.problem().detail.en.find("set would clear the required field planned_class") != std::string::npos);
}
