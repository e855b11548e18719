// Workflow settings (agency-overridable values guards read as setting.NAME), the document
// catalogue, and deadline counts read from a case field.
#include "engine/runtime.h"
#include "engine/workflow_loader.h"
#include "engine/workflow_setting.h"
#include "engine/workflow_validator.h"

#include "engine_fixtures.h"

#include <catch2/catch.hpp>

using namespace sitecycle;
using sitecycle::testing::parse_fixture_roles;
using sitecycle::testing::read_fixture;
using sitecycle::testing::render;

namespace {

const Moment kNow{Instant{std::chrono::sys_days{std::chrono::year{2026} / 3 / 16}} + std::chrono::hours{2},
                  std::chrono::year{2026} / 3 / 16};

std::string works_text() { return read_fixture("workflows/settings/works.yaml"); }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// The rendered diagnostics of parsing and validating one workflow text.
std::string check(const std::string& text) {
  Diagnostics diagnostics;
  auto workflow = parse_workflow(text, "works.yaml", diagnostics);
  if (!workflow) return render(diagnostics);
  validate_workflows({std::make_shared<const Workflow>(std::move(*workflow))},
                     parse_fixture_roles("workflows/basic/roles.yaml"), diagnostics);
  return render(diagnostics);
}

Workflow works() {
  Diagnostics diagnostics;
  auto workflow = parse_workflow(works_text(), "works.yaml", diagnostics);
  INFO(render(diagnostics));
  REQUIRE(workflow);
  return std::move(*workflow);
}

AgencyCatalog catalog_with(const std::string& pudong_parameters) {
  std::string text = read_fixture("agencies/settings_base.yaml") + pudong_parameters;
  Diagnostics diagnostics;
  auto catalog = parse_agencies(text, "agencies.yaml", diagnostics);
  INFO(render(diagnostics));
  REQUIRE(catalog);
  return std::move(*catalog);
}

StoredCase planned_works(const std::string& district) {
  StoredCase stored;
  stored.id = "works_000001";
  stored.workflow_id = "works";
  stored.workflow_version = 1;
  stored.state = "planned";
  stored.data = {{"district", district}};
  return stored;
}

TransitionRequest start_request(nlohmann::json input) {
  return TransitionRequest{"start", Actor{"clerk", "bureau", "li"}, std::move(input), "", std::nullopt};
}

}  // namespace

TEST_CASE("settings and documents load", "[settings]") {
  Workflow workflow = works();
  REQUIRE(workflow.settings.size() == 2);
  CHECK(workflow.settings[0].id == "supervisor_required");
  CHECK(workflow.settings[0].type == SettingType::boolean);
  CHECK(workflow.settings[0].default_value == true);
  CHECK(workflow.settings[0].basis == "测试依据");
  CHECK(workflow.settings[1].default_value == 2);
  CHECK(workflow.settings[1].needs_legal_check);
  REQUIRE(workflow.documents.size() == 2);
  CHECK(workflow.documents[0].title.en == "Plan");
  CHECK(workflow.find_transition("start")->documents == std::vector<std::string>{"plan"});
  CHECK(workflow.agency.kind == "eeb");
  CHECK(workflow.find_setting("crew_minimum") != nullptr);
  CHECK(check(works_text()).empty());
}

TEST_CASE("malformed settings are reported", "[settings]") {
  CHECK(check(replaced(works_text(), "type: boolean", "type: flag"))
            .find("works.yaml:10:11: settings.supervisor_required.type: found \"flag\", expected boolean or integer") !=
        std::string::npos);
  CHECK(check(replaced(works_text(), "default: 2", "default: -1"))
            .find("settings.crew_minimum.default: found \"-1\", expected an integer of 0 or more") != std::string::npos);
  CHECK(check(replaced(works_text(), "    source_status: setting\n", ""))
            .find("settings.supervisor_required.source_status: expected the required key source_status") != std::string::npos);
  CHECK(check(replaced(works_text(), "source_status: setting", "source_status: rumour"))
            .find("settings.supervisor_required.source_status: found \"rumour\"") != std::string::npos);
}

TEST_CASE("setting and document references checked", "[settings]") {
  std::string unknown_setting = check(replaced(works_text(), "setting.crew_minimum", "setting.crew_maximum"));
  CHECK(unknown_setting.find("found \"setting.crew_maximum\", expected setting. followed by a setting this workflow "
                             "declares: supervisor_required, crew_minimum") != std::string::npos);
  std::string unknown_document = check(replaced(works_text(), "documents: [report]", "documents: [invoice]"));
  CHECK(unknown_document.find("transitions.report.documents: found \"invoice\", expected a document kind this workflow "
                              "declares under documents: plan, report") != std::string::npos);
  std::string text_field = check(replaced(works_text(), "field: report_interval_months", "field: supervisor"));
  CHECK(text_field.find("deadlines.monthly_report.duration.months.field: found \"supervisor\", expected a declared "
                        "integer field: crew, report_interval_months") != std::string::npos);
  std::string both = check(replaced(works_text(), "{field: report_interval_months, default: 6}",
                                    "{field: report_interval_months, parameter: interval, default: 6}"));
  CHECK(both.find("expected one of parameter (a name agencies may override) or field (an integer case field), with "
                  "default") != std::string::npos);
  std::string quoted_boolean = check(replaced(works_text(), "setting.supervisor_required, eq: false",
                                             "setting.supervisor_required, eq: 'false'"));
  CHECK(quoted_boolean.find("found \"false\", expected a value setting.supervisor_required can take: true, false "
                            "(without quotes)") != std::string::npos);
  std::string bad_agency = check(replaced(works_text(), "district_field: district", "district_field: crew"));
  CHECK(bad_agency.find("agency.district_field: found \"crew\", expected a declared string or enum field") !=
        std::string::npos);
}

TEST_CASE("settings take agency overrides", "[settings]") {
  Workflow workflow = works();
  AgencyCatalog catalog = catalog_with(
      "      supervisor_required: {value: false, source: 测试数据, source_status: setting}\n"
      "      crew_minimum: {value: 5, source: 测试数据, source_status: setting}\n");

  nlohmann::json pudong = resolve_settings(workflow.settings, workflow.agency, {{"district", "pudong"}}, &catalog);
  CHECK(pudong == nlohmann::json{{"supervisor_required", false}, {"crew_minimum", 5}});
  nlohmann::json xuhui = resolve_settings(workflow.settings, workflow.agency, {{"district", "xuhui"}}, &catalog);
  CHECK(xuhui == nlohmann::json{{"supervisor_required", true}, {"crew_minimum", 2}});
  nlohmann::json no_catalog = resolve_settings(workflow.settings, workflow.agency, {{"district", "pudong"}}, nullptr);
  CHECK(no_catalog == xuhui);

  // An override of the wrong type is ignored here; the environment loader reports it.
  AgencyCatalog wrong = catalog_with("      supervisor_required: {value: 3, source: 测试数据, source_status: setting}\n");
  CHECK(resolve_settings(workflow.settings, workflow.agency, {{"district", "pudong"}}, &wrong)["supervisor_required"] ==
        true);
}

TEST_CASE("guards read the case's settings", "[settings]") {
  Workflow workflow = works();
  nlohmann::json required{{"supervisor_required", true}, {"crew_minimum", 2}};
  nlohmann::json relaxed{{"supervisor_required", false}, {"crew_minimum", 2}};

  auto blocked = apply_transition(workflow, planned_works("xuhui"), {}, start_request({{"crew", 3}}), kNow, &required);
  REQUIRE_FALSE(blocked);
  CHECK(blocked.problem().code == ErrorCode::guard_failed);
  CHECK(blocked.problem().detail.en.find("Engage a supervisor first") != std::string::npos);
  CHECK(blocked.problem().extra["basis"] == "测试依据");

  CHECK(apply_transition(workflow, planned_works("pudong"), {}, start_request({{"crew", 3}}), kNow, &relaxed));
  auto small_crew = apply_transition(workflow, planned_works("pudong"), {}, start_request({{"crew", 1}}), kNow, &relaxed);
  REQUIRE_FALSE(small_crew);
  CHECK(small_crew.problem().detail.en.find("The crew is too small") != std::string::npos);

  // Without settings the path has no value, so the guard cannot hold.
  CHECK_FALSE(apply_transition(workflow, planned_works("pudong"), {}, start_request({{"crew", 3}}), kNow));
}
