#include "cli_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace sitecycle::testing;

namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream stream(path, std::ios::binary);
  stream << text;
}

// A copy of the shipped workflows in which parcel.yaml names a state that does not exist.
std::filesystem::path broken_workflows(const TemporaryDirectory& directory) {
  std::filesystem::path folder = directory.path() / "workflows";
  // The workflows link to one another and name agencies and calendars, so the whole folder is
  // copied.
  std::filesystem::copy(std::filesystem::path(SITECYCLE_SOURCE_DIR) / "workflows", folder,
                        std::filesystem::copy_options::recursive);
  std::string parcel = read_file(folder / "parcel.yaml");
  auto at = parcel.find("to: supplied");
  REQUIRE(at != std::string::npos);
  parcel.replace(at, std::string("to: supplied").size(), "to: suplied");
  write_file(folder / "parcel.yaml", parcel);
  return folder;
}

}  // namespace

TEST_CASE("validate accepts the shipped workflows", "[cli]") {
  CommandResult result = run_sitecycle("validate workflows/");
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("未发现问题") != std::string::npos);

  CommandResult english = run_sitecycle("validate workflows/ --lang en");
  CHECK(english.exit_code == 0);
  CHECK(english.out.find("no problems found") != std::string::npos);
}

TEST_CASE("validate names file and line of a broken workflow", "[cli]") {
  TemporaryDirectory directory;
  std::filesystem::path folder = broken_workflows(directory);
  CommandResult result = run_sitecycle(fmt::format("validate '{}' --lang en", folder.string()));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("parcel.yaml:") != std::string::npos);
  CHECK(result.err.find(": found \"suplied\", expected a defined state") != std::string::npos);

  CommandResult single_file = run_sitecycle(fmt::format("validate '{}'", (folder / "parcel.yaml").string()));
  CHECK(single_file.exit_code == 1);
  CHECK(single_file.err.find("发现 \"suplied\"") != std::string::npos);

  CommandResult other_file = run_sitecycle(fmt::format("validate '{}'", (folder / "investigation.yaml").string()));
  CHECK(other_file.exit_code == 0);
}

TEST_CASE("validate reports a broken agency file once", "[cli]") {
  TemporaryDirectory directory;
  std::filesystem::path folder = directory.path() / "workflows";
  std::filesystem::copy(std::filesystem::path(SITECYCLE_SOURCE_DIR) / "workflows", folder,
                        std::filesystem::copy_options::recursive);
  std::string agencies = read_file(folder / "agencies.yaml");
  std::string city_zone = "    time_zone: Asia/Shanghai\n";
  auto at = agencies.find(city_zone);
  REQUIRE(at != std::string::npos);
  agencies.insert(at + city_zone.size(),
                  "    parameters:\n      review_sla_wd: {value: -3, source: 测试数据, source_status: setting}\n");
  write_file(folder / "agencies.yaml", agencies);

  CommandResult result = run_sitecycle(fmt::format("validate '{}' --lang en", folder.string()));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("agencies.yaml:") != std::string::npos);
  CHECK(result.err.find("parameters.review_sla_wd.value: found \"-3\"") != std::string::npos);
  // The rules that name city_eeb are not reported again because the catalog did not load.
  CHECK(result.err.find("expected an agency defined in agencies.yaml") == std::string::npos);
  CHECK(result.err.find("1 problem(s) found") != std::string::npos);
}

TEST_CASE("validate reports malformed YAML with its position", "[cli]") {
  TemporaryDirectory directory;
  std::filesystem::path folder = broken_workflows(directory);
  write_file(folder / "parcel.yaml", "id: parcel\nstates: [open\n");
  CommandResult result = run_sitecycle(fmt::format("validate '{}' --lang en", folder.string()));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("parcel.yaml:3:1: found") != std::string::npos);
  // The broken file's errors are not repeated as follow-on errors in the files that refer to it.
  CHECK(result.err.find("investigation.yaml") == std::string::npos);
}

TEST_CASE("validate exits 2 for a missing path", "[cli]") {
  CommandResult result = run_sitecycle("validate /nonexistent/workflows");
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("/nonexistent/workflows") != std::string::npos);
}

TEST_CASE("usage errors exit 2 in the chosen language", "[cli]") {
  CommandResult no_command = run_sitecycle("");
  CHECK(no_command.exit_code == 2);
  CHECK(no_command.err.find("用法错误") != std::string::npos);

  CommandResult unknown = run_sitecycle("frobnicate --lang en");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown command frobnicate") != std::string::npos);

  CommandResult missing_option = run_sitecycle("graph parcel --lang en");
  CHECK(missing_option.exit_code == 2);
  CHECK(missing_option.err.find("usage error") != std::string::npos);

  CommandResult missing_zh = run_sitecycle("graph parcel");
  CHECK(missing_zh.exit_code == 2);
  CHECK(missing_zh.err.find("用法错误：缺少必填的参数或子命令（--format is required）") != std::string::npos);

  CommandResult extra_zh = run_sitecycle("validate workflows --bogus");
  CHECK(extra_zh.exit_code == 2);
  CHECK(extra_zh.err.find("用法错误：有无法识别的参数") != std::string::npos);

  CommandResult bad_language = run_sitecycle("validate workflows --lang fr");
  CHECK(bad_language.exit_code == 2);
  CHECK(bad_language.err.find("用法错误：参数的取值无效") != std::string::npos);

  CommandResult help = run_sitecycle("--help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("replay") != std::string::npos);
}

TEST_CASE("graph prints deterministic DOT and Mermaid", "[cli]") {
  CommandResult dot = run_sitecycle("graph investigation --format dot");
  REQUIRE(dot.exit_code == 0);
  CHECK(dot.out.rfind("digraph \"investigation\" {", 0) == 0);
  CHECK(dot.out.find("\"under_review\" -> \"passed\"") != std::string::npos);
  CHECK(run_sitecycle("graph investigation --format dot").out == dot.out);

  CommandResult mermaid = run_sitecycle("graph parcel --format mermaid");
  REQUIRE(mermaid.exit_code == 0);
  CHECK(mermaid.out.rfind("stateDiagram-v2\n", 0) == 0);
  CHECK(mermaid.out.find("[*] --> registered") != std::string::npos);

  CHECK(run_sitecycle("graph parcel --format png").exit_code == 2);
  CHECK(run_sitecycle("graph nowhere --format dot").exit_code == 2);
}

TEST_CASE("replay passes every example", "[cli][replay]") {
  CommandResult result = run_sitecycle("replay examples/*.yaml tests/scenarios/supply_gate.yaml --now 2026-12-04T10:00:00+08:00");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  nlohmann::json report = nlohmann::json::parse(result.out);
  CHECK(report["passed"] == true);
  CHECK(report["scenarios"].size() == 6);
  for (const auto& scenario : report["scenarios"]) {
    INFO(scenario["file"]);
    CHECK(scenario["passed"] == true);
    CHECK(scenario["failures"].empty());
  }
}

TEST_CASE("replay marks undated events", "[cli][replay]") {
  CommandResult result = run_sitecycle("replay examples/case_07_jiading_84_01b.yaml --now 2026-12-04T10:00:00+08:00");
  REQUIRE(result.exit_code == 0);
  nlohmann::json report = nlohmann::json::parse(result.out);
  bool saw_dated = false;
  bool saw_undated = false;
  for (const auto& reported_case : report["scenarios"][0]["cases"]) {
    for (const auto& event : reported_case["events"]) {
      if (event["dated"] == true) {
        saw_dated = true;
        CHECK(event["at"].get<std::string>() >= "2021-10-31T16:00:00Z");
      } else {
        saw_undated = true;
      }
    }
  }
  CHECK(saw_dated);
  CHECK(saw_undated);
}

TEST_CASE("replay exits 1 on a failed expectation and 2 on a malformed scenario", "[cli][replay]") {
  CommandResult failed = run_sitecycle("replay tests/scenarios/failing_expectation.yaml --lang en");
  CHECK(failed.exit_code == 1);
  CHECK(failed.err.find("step 2: case plot should be in state supplied, but is in registered") != std::string::npos);
  CHECK(nlohmann::json::parse(failed.out)["passed"] == false);

  CommandResult wrong_reason = run_sitecycle("replay tests/scenarios/failing_rejection_reason.yaml --lang en");
  CHECK(wrong_reason.exit_code == 1);
  CHECK(wrong_reason.err.find("step 3: the rejection reason does not contain \"名录\"") != std::string::npos);
  CHECK(wrong_reason.err.find("step 3: the rejection basis does not contain \"第六十一条\": 沪环保防〔2016〕226号") !=
        std::string::npos);
  CHECK(wrong_reason.err.find("step 4") == std::string::npos);
  // An unexpected rejection names the input at fault.
  CHECK(wrong_reason.err.find("step 5: the action was rejected (invalid_input): invalid input for transition "
                              "update_details: 1 problem(s); /input/area_m2:") != std::string::npos);

  CommandResult malformed = run_sitecycle("replay tests/scenarios/malformed.yaml --lang en");
  CHECK(malformed.exit_code == 2);
  CHECK(malformed.err.find("malformed.yaml:6:9: steps[0].at") != std::string::npos);

  CHECK(run_sitecycle("replay /nonexistent.yaml").exit_code == 2);
  CHECK(run_sitecycle("replay examples/case_07_jiading_84_01b.yaml --db postgres://x").exit_code == 2);
  CHECK(run_sitecycle("replay examples/case_07_jiading_84_01b.yaml --now yesterday").exit_code == 2);
}

TEST_CASE("replay into an SQLite file keeps the cases", "[cli][replay][sqlite]") {
  TemporaryDirectory directory;
  std::string database = (directory.path() / "replay.db").string();
  CommandResult first = run_sitecycle(fmt::format("replay examples/case_07_jiading_84_01b.yaml --db 'sqlite:{}'", database));
  REQUIRE(first.exit_code == 0);
  CHECK(std::filesystem::file_size(database) > 0);

  // The example gives its parcel a fixed id, so a second replay into the same file conflicts.
  CommandResult second = run_sitecycle(fmt::format("replay examples/case_07_jiading_84_01b.yaml --db 'sqlite:{}'", database));
  CHECK(second.exit_code == 1);
  CHECK(second.err.find("jiading_beihongqiao_84_01b") != std::string::npos);
}

namespace {

// The report entry of one deadline cycle of the scenario's first case.
nlohmann::json reported_deadline(const nlohmann::json& report, const std::string& rule, int cycle) {
  for (const auto& reported : report["scenarios"][0]["cases"][0]["deadlines"]) {
    if (reported["deadline"] == rule && reported["cycle"] == cycle) return reported;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("replay pauses the review clock for correction", "[cli][replay][deadline]") {
  CommandResult result = run_sitecycle("replay tests/scenarios/review_pause_resume.yaml --lang en");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  nlohmann::json report = nlohmann::json::parse(result.out);
  nlohmann::json review = reported_deadline(report, "review", 1);
  REQUIRE(review.is_object());
  CHECK(review["started_on"] == "2026-02-10");
  CHECK(review["due_on"] == "2026-04-02");
  CHECK(review["status"] == "met");
  CHECK(review["met_at"] == "2026-04-01T07:00:00Z");
  CHECK(review["provisional"] == false);
  CHECK_FALSE(review.contains("breached_at"));
}

TEST_CASE("replay fires warning, breach, escalation once", "[cli][replay][deadline]") {
  CommandResult result = run_sitecycle("replay tests/scenarios/review_escalation_restart.yaml --lang en");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  nlohmann::json report = nlohmann::json::parse(result.out);
  nlohmann::json review = reported_deadline(report, "review", 1);
  REQUIRE(review.is_object());
  CHECK(review["due_on"] == "2026-10-16");
  CHECK(review["warned_at"] == "2026-10-12T16:00:00Z");    // start of 10-13, Asia/Shanghai
  CHECK(review["breached_at"] == "2026-10-16T16:00:00Z");  // end of 10-16
  CHECK(review["escalated_at"] == nlohmann::json::array({"2026-10-23T16:00:00Z"}));

  std::vector<std::string> kinds;
  for (const auto& event : report["scenarios"][0]["cases"][0]["events"]) {
    std::string kind = event["kind"];
    if (kind.rfind("deadline_", 0) == 0) kinds.push_back(kind);
  }
  CHECK(kinds == std::vector<std::string>{"deadline_warning", "deadline_breached", "deadline_escalated"});
}

TEST_CASE("undated steps start no deadline clock", "[cli][replay][deadline]") {
  CommandResult result = run_sitecycle("replay examples/case_07_jiading_84_01b.yaml examples/case_11_pudong_caolu_a3_a7.yaml");
  REQUIRE(result.exit_code == 0);
  nlohmann::json report = nlohmann::json::parse(result.out);
  for (const auto& scenario : report["scenarios"]) {
    for (const auto& reported_case : scenario["cases"]) {
      INFO(reported_case["name"]);
      CHECK(reported_case["deadlines"].empty());
    }
  }
}
