#include "engine/workflow_validator.h"

#include "engine_fixtures.h"

#include <catch2/catch.hpp>

using namespace sitecycle;
using sitecycle::testing::parse_fixture_roles;
using sitecycle::testing::parse_fixture_workflow;
using sitecycle::testing::read_fixture;
using sitecycle::testing::render;

namespace {

WorkflowPtr parse_text(const std::string& text, const std::string& file_name) {
  Diagnostics diagnostics;
  auto workflow = parse_workflow(text, file_name, diagnostics);
  INFO(render(diagnostics));
  REQUIRE(workflow);
  return std::make_shared<const Workflow>(std::move(*workflow));
}

std::string validate_with_lot(const std::string& survey_text) {
  Diagnostics diagnostics;
  validate_workflows({parse_fixture_workflow("workflows/basic/lot.yaml"), parse_text(survey_text, "survey.yaml")},
                     parse_fixture_roles("workflows/basic/roles.yaml"), diagnostics);
  return render(diagnostics);
}

std::string survey_with_text(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

std::string survey_with(const std::string& from, const std::string& to) {
  return survey_with_text(read_fixture("workflows/basic/survey.yaml"), from, to);
}

// Validates a changed lot fixture beside the basic survey.
std::string validate_lot(const std::string& lot_text) {
  Diagnostics diagnostics;
  validate_workflows({parse_text(lot_text, "lot.yaml"), parse_fixture_workflow("workflows/basic/survey.yaml")},
                     parse_fixture_roles("workflows/basic/roles.yaml"), diagnostics);
  return render(diagnostics);
}

}  // namespace

TEST_CASE("validator accepts the basic fixture", "[validator]") {
  CHECK(validate_with_lot(read_fixture("workflows/basic/survey.yaml")).empty());
}

TEST_CASE("validator rejects unknown states", "[validator]") {
  std::string report = validate_with_lot(survey_with("    to: passed\n", "    to: pased\n"));
  INFO(report);
  CHECK(report.find("survey.yaml:26:9: transitions.pass.to: found \"pased\", expected a defined state") != std::string::npos);
  CHECK(report.find("states.passed: found a state no transition leads to") != std::string::npos);
}

TEST_CASE("validator rejects unknown roles", "[validator]") {
  std::string report = validate_with_lot(survey_with("roles: [reviewer]", "roles: [mayor]"));
  CHECK(report.find("transitions.pass.roles: found \"mayor\", expected a role defined in roles.yaml") != std::string::npos);
}

TEST_CASE("validator rejects unknown fields in input, set and guards", "[validator]") {
  std::string report = validate_with_lot(survey_with("optional: [findings]", "optional: [finding]"));
  CHECK(report.find("transitions.submit.input: found \"finding\"") != std::string::npos);

  report = validate_with_lot(survey_with("set: {passed_on:", "set: {passed_at:"));
  CHECK(report.find("transitions.pass.effects[0].set.passed_at") != std::string::npos);
}

TEST_CASE("validator rejects signals to missing transitions and unknown links", "[validator]") {
  std::string report = validate_with_lot(survey_with("transition: survey_passed", "transition: survey_done"));
  CHECK(report.find("transitions.pass.effects[1].signal.transition: found \"survey_done\"") != std::string::npos);
  // Without the signal, lot's system-only transition can no longer be fired by anyone.
  CHECK(report.find("lot.yaml") != std::string::npos);
  CHECK(report.find("transitions.survey_passed.roles") != std::string::npos);

  report = validate_with_lot(survey_with("{link: lot,", "{link: parcel,"));
  CHECK(report.find("transitions.pass.effects[1].signal.link: found \"parcel\"") != std::string::npos);
}

TEST_CASE("validator rejects dead ends and duplicate workflow ids", "[validator]") {
  std::string report = validate_with_lot(survey_with("  passed: {title: {zh-CN: 通过, en: Passed}, final: true}",
                                                     "  passed: {title: {zh-CN: 通过, en: Passed}}"));
  CHECK(report.find("states.passed: found a non-final state with no transition out") != std::string::npos);

  Diagnostics diagnostics;
  WorkflowPtr lot = parse_fixture_workflow("workflows/basic/lot.yaml");
  WorkflowPtr survey = parse_fixture_workflow("workflows/basic/survey.yaml");
  validate_workflows({lot, survey, survey}, parse_fixture_roles("workflows/basic/roles.yaml"), diagnostics);
  CHECK(render(diagnostics).find("id: found \"survey\", also defined in") != std::string::npos);
}

TEST_CASE("validator rejects a transition no role may fire", "[validator]") {
  std::string report = validate_with_lot(survey_with("roles: [surveyor]", "roles: [system]"));
  CHECK(report.find("transitions.submit.roles: found only system, and no signal fires it") != std::string::npos);
}

TEST_CASE("validator rejects open_case without the opened workflow's required fields", "[validator]") {
  Diagnostics diagnostics;
  std::string lot_text = read_fixture("workflows/basic/lot.yaml");
  auto at = lot_text.find("data: {planned_class: {path: data.planned_class}, ");
  REQUIRE(at != std::string::npos);
  lot_text.replace(at, std::string("data: {planned_class: {path: data.planned_class}, ").size(), "data: {");
  validate_workflows({parse_text(lot_text, "lot.yaml"), parse_fixture_workflow("workflows/basic/survey.yaml")},
                     parse_fixture_roles("workflows/basic/roles.yaml"), diagnostics);
  CHECK(render(diagnostics).find("expected a value for planned_class, which workflow survey requires") != std::string::npos);
}

TEST_CASE("validator rejects deadline rules naming unknown states", "[validator]") {
  std::string report = validate_with_lot(survey_with("start: {on_enter: submitted}", "start: {on_enter: sent}"));
  CHECK(report.find("deadlines.review.start.on_enter: found \"sent\"") != std::string::npos);
}

TEST_CASE("validator rejects signal cycles", "[validator]") {
  std::string lot_text = read_fixture("workflows/basic/lot.yaml");
  std::string loop_effect = R"(    roles: [system]
    effects:
      - set: {survey_result: passed}
      - signal: {link: survey, transition: pass})";
  auto at = lot_text.find("    roles: [system]\n    effects:\n      - set: {survey_result: passed}");
  REQUIRE(at != std::string::npos);
  lot_text.replace(at, std::string("    roles: [system]\n    effects:\n      - set: {survey_result: passed}").size(), loop_effect);
  std::string survey_text = survey_with("roles: [reviewer]", "roles: [reviewer, system]");

  Diagnostics diagnostics;
  validate_workflows({parse_text(lot_text, "lot.yaml"), parse_text(survey_text, "survey.yaml")},
                     parse_fixture_roles("workflows/basic/roles.yaml"), diagnostics);
  std::string report = render(diagnostics);
  INFO(report);
  CHECK(report.find("lot.survey_passed -> survey.pass -> lot.survey_passed") != std::string::npos);
  CHECK(report.find("expected signals without a cycle") != std::string::npos);
}

TEST_CASE("validator rejects read-only input and unknown creators", "[validator]") {
  std::string survey_text = survey_with("  passed_on: {type: date, title: {zh-CN: 通过日期, en: Passed on}}",
                                        "  passed_on: {type: date, title: {zh-CN: 通过日期, en: Passed on}, read_only: true}");
  survey_text = survey_with_text(survey_text, "optional: [findings]", "optional: [findings, passed_on]");
  survey_text = survey_with_text(survey_text, "title: {zh-CN: 调查, en: Survey}\n", "title: {zh-CN: 调查, en: Survey}\ncreate_roles: [clerk, mayor]\n");
  std::string report = validate_with_lot(survey_text);
  CHECK(report.find("transitions.submit.input: found \"passed_on\" (read_only)") != std::string::npos);
  CHECK(report.find("create_roles: found \"mayor\"") != std::string::npos);
}

TEST_CASE("validator checks literals written by set", "[validator]") {
  std::string wrong_type = validate_with_lot(survey_with("set: {passed_on: {path: now.date}}", "set: {passed_on: yesterday}"));
  INFO(wrong_type);
  CHECK(wrong_type.find("transitions.pass.effects[0].set.passed_on: found \"yesterday\", expected a value that fits the "
                        "field") != std::string::npos);

  std::string cleared = validate_with_lot(survey_with("set: {passed_on: {path: now.date}}", "set: {planned_class: null}"));
  CHECK(cleared.find("transitions.pass.effects[0].set.planned_class: found null, expected a value: a required field "
                     "cannot be cleared") != std::string::npos);

  CHECK(validate_with_lot(survey_with("set: {passed_on: {path: now.date}}", "set: {passed_on: null}")).empty());
}

TEST_CASE("validator rejects misspelt states and values in guards", "[validator]") {
  std::string lot = read_fixture("workflows/basic/lot.yaml");
  std::string misspelt = lot;
  misspelt.replace(misspelt.find("eq: passed"), std::string("eq: passed").size(), "eq: pased");
  std::string report = validate_lot(misspelt);
  INFO(report);
  CHECK(report.find("transitions.sell.guard.eq: found \"pased\", expected a value link.survey.state can take: "
                    "commissioned, passed, submitted") != std::string::npos);

  std::string listed = lot;
  listed.replace(listed.find("eq: passed"), std::string("eq: passed").size(), "in: [passed, submited]");
  CHECK(validate_lot(listed).find("found \"submited\"") != std::string::npos);
  CHECK(validate_lot(lot).empty());
}

TEST_CASE("validator rejects misspelt roles", "[validator]") {
  std::string lot = read_fixture("workflows/basic/lot.yaml");
  std::string role = lot;
  role.replace(role.find("        - path: link.survey.state\n          eq: passed\n"),
               std::string("        - path: link.survey.state\n          eq: passed\n").size(),
               "        - path: actor.role\n          eq: clrek\n");
  std::string report = validate_lot(role);
  INFO(report);
  CHECK(report.find("found \"clrek\", expected a value actor.role can take: clerk, reviewer, surveyor, system") !=
        std::string::npos);
}
