#include "adapters/parcel_csv.h"

#include "adapters/clock.h"
#include "adapters/scenario.h"
#include "adapters/sql_case_store.h"
#include "adapters/workflow_files.h"
#include "temp_directory.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace sitecycle;

namespace {

std::string read_source_file(const std::string& relative_path) {
  std::ifstream stream(std::string(SITECYCLE_SOURCE_DIR) + "/" + relative_path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

struct ShippedService {
  SqlCaseStore store{":memory:"};
  std::unique_ptr<CaseService> service;

  ShippedService() {
    LoadedWorkflows loaded = load_workflow_folder(std::string(SITECYCLE_SOURCE_DIR) + "/workflows");
    REQUIRE(loaded.diagnostics.empty());
    Diagnostics problems;
    service = std::make_unique<CaseService>(pin_workflows(loaded, store, problems), store);
    REQUIRE(problems.empty());
  }
};

const Actor kImporter{"land_bureau", "test_import", "tester"};
const Moment kNow = make_moment(Instant{std::chrono::sys_days{std::chrono::year{2026} / 3 / 16}});

std::string first_error(const std::vector<LocalizedText>& errors) { return errors.empty() ? std::string() : errors.front().en; }

}  // namespace

TEST_CASE("csv parser handles quotes, CRLF and BOM", "[csv]") {
  std::vector<LocalizedText> errors;
  auto table = parse_csv("\xEF\xBB\xBFid,name\r\na,\"x, \"\"y\"\"\"\r\nb,\"two\nlines\"\n\n", errors);
  REQUIRE(table);
  CHECK(table->header == std::vector<std::string>{"id", "name"});
  REQUIRE(table->rows.size() == 2);
  CHECK(table->rows[0][1] == "x, \"y\"");
  CHECK(table->rows[1][1] == "two\nlines");
  CHECK(table->row_lines == std::vector<int>{2, 3});
}

TEST_CASE("csv parser rejects malformed text with its line", "[csv]") {
  std::vector<LocalizedText> errors;
  CHECK_FALSE(parse_csv("id,name\na,\"open\n", errors));
  CHECK(first_error(errors) == "line 2: unterminated quoted field");

  errors.clear();
  CHECK_FALSE(parse_csv("id,name\na\n", errors));
  CHECK(first_error(errors) == "line 2: 1 fields, but the header has 2");

  errors.clear();
  CHECK_FALSE(parse_csv("id,name\na,\"x\"y\n", errors));
  CHECK(first_error(errors).find("line 2: unexpected character y") == 0);

  errors.clear();
  CHECK_FALSE(parse_csv("", errors));
  CHECK(first_error(errors) == "empty file: the header row is missing");
}

TEST_CASE("csv import creates typed parcels and skips existing ids", "[csv][sqlite]") {
  ShippedService shipped;
  std::string text = "id,name,district,area_m2,planned_use_codes,planned_class,is_yizhu_ligong\n"
                     "test_plot_a,测试地块A,xuhui,120.5,R2;G1,1,true\n"
                     "test_plot_b,测试地块B,pudong,,C2,2,false\n";
  CsvImportReport first = import_cases_csv(text, "plots.csv", "parcel", *shipped.service, kImporter, kNow);
  INFO(first_error(first.errors));
  CHECK(first.errors.empty());
  CHECK(first.created == std::vector<std::string>{"test_plot_a", "test_plot_b"});

  std::optional<StoredCase> plot = shipped.store.find_case("test_plot_a");
  REQUIRE(plot);
  CHECK(plot->data["area_m2"] == 120.5);
  CHECK(plot->data["planned_use_codes"] == nlohmann::json::array({"R2", "G1"}));
  CHECK(plot->data["planned_class"] == 1);
  CHECK(plot->data["is_yizhu_ligong"] == true);
  CHECK_FALSE(shipped.store.find_case("test_plot_b")->data.contains("area_m2"));

  CsvImportReport second = import_cases_csv(text, "plots.csv", "parcel", *shipped.service, kImporter, kNow);
  CHECK(second.created.empty());
  CHECK(second.skipped.size() == 2);
}

TEST_CASE("csv import reports bad cells and imports nothing", "[csv][sqlite]") {
  ShippedService shipped;
  std::string text = "id,name,district,planned_class,colour\nbad_plot,坏地块,xuhui,one,red\n";
  CsvImportReport unknown_column = import_cases_csv(text, "plots.csv", "parcel", *shipped.service, kImporter, kNow);
  CHECK(first_error(unknown_column.errors) == "plots.csv:1: unknown column colour: expected id or a field of workflow parcel");

  std::string bad_cell = "id,name,district,planned_class\nbad_plot,坏地块,xuhui,one\ngood_plot,好地块,xuhui,2\n";
  CsvImportReport report = import_cases_csv(bad_cell, "plots.csv", "parcel", *shipped.service, kImporter, kNow);
  CHECK(first_error(report.errors) == "plots.csv:2: column planned_class: \"one\" is not a valid integer");
  CHECK(report.created.empty());
  CHECK_FALSE(shipped.store.find_case("good_plot"));

  std::string invalid_row = "id,name,district,planned_class\nbad_plot,坏地块,atlantis,2\n";
  CsvImportReport rejected = import_cases_csv(invalid_row, "plots.csv", "parcel", *shipped.service, kImporter, kNow);
  CHECK(first_error(rejected.errors).find("plots.csv:2: invalid case data for workflow parcel") == 0);
  CHECK(first_error(rejected.errors).find("/data/district") != std::string::npos);
}

TEST_CASE("example parcels csv matches the scenarios", "[csv][sqlite]") {
  ShippedService shipped;
  CsvImportReport report = import_cases_csv(read_source_file("examples/parcels.csv"), "parcels.csv", "parcel",
                                            *shipped.service, kImporter, kNow);
  INFO(first_error(report.errors));
  REQUIRE(report.errors.empty());
  CHECK(report.created.size() == 6);

  int compared = 0;
  for (const char* file : {"case_01_qingpu_44_01.yaml", "case_02_pudong_dongfang_hub.yaml", "case_07_jiading_84_01b.yaml",
                           "case_11_pudong_caolu_a3_a7.yaml", "case_15_songjiang_dingsheng_road.yaml"}) {
    Diagnostics diagnostics;
    auto scenario = parse_scenario(read_source_file(std::string("examples/") + file), file, diagnostics);
    REQUIRE(scenario);
    for (const ScenarioStep& step : scenario->steps) {
      if (!step.create || step.create->workflow != "parcel" || !step.create->case_id) continue;
      std::optional<StoredCase> imported = shipped.store.find_case(*step.create->case_id);
      INFO(*step.create->case_id);
      REQUIRE(imported);
      CHECK(imported->data == step.create->data);
      ++compared;
    }
  }
  CHECK(compared == 6);
}
