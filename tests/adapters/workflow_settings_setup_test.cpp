// Agency overrides of workflow settings in agencies.yaml, checked against the settings the
// workflows declare when the deadline environment loads.
#include "adapters/deadline_setup.h"
#include "adapters/workflow_files.h"
#include "temp_directory.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace sitecycle;
using sitecycle::testing::TempDirectory;

namespace {

const fs::path kSourceDir{SITECYCLE_SOURCE_DIR};

// A workflows folder with the settings fixture, the 2026 calendar and one Pudong agency whose
// parameters are `pudong_parameters`. Returns every diagnostic of loading it, one per line.
std::string load_with(const TempDirectory& directory, const std::string& pudong_parameters) {
  fs::path folder = directory.path() / "workflows";
  fs::create_directories(folder / "calendars" / "CN");
  fs::copy_file(fs::path(SITECYCLE_TEST_DATA_DIR) / "workflows" / "settings" / "works.yaml", folder / "works.yaml");
  fs::copy_file(fs::path(SITECYCLE_TEST_DATA_DIR) / "workflows" / "basic" / "roles.yaml", folder / "roles.yaml");
  fs::copy_file(kSourceDir / "workflows" / "calendars" / "CN" / "2026.yaml", folder / "calendars" / "CN" / "2026.yaml");
  fs::copy_file(fs::path(SITECYCLE_TEST_DATA_DIR) / "agencies" / "settings_base.yaml", folder / "agencies.yaml");
  std::ofstream(folder / "agencies.yaml", std::ios::app) << pudong_parameters;
  LoadedWorkflows workflows = load_workflow_folder(folder);
  REQUIRE(workflows.diagnostics.empty());
  LoadedDeadlineEnvironment loaded = load_deadline_environment(folder, workflows.workflows);
  std::string report;
  for (const Diagnostic& diagnostic : loaded.diagnostics) report += diagnostic.to_string(Language::en) + "\n";
  CHECK(loaded.environment.operator bool() == report.empty());
  return report;
}

}  // namespace

TEST_CASE("overrides of the right type load", "[settings]") {
  TempDirectory directory;
  CHECK(load_with(directory,
                  "      supervisor_required: {value: false, source: 测试数据, source_status: setting}\n"
                  "      crew_minimum: {value: 4, source: 测试数据, source_status: setting}\n")
            .empty());
}

TEST_CASE("mistyped and unknown overrides reported", "[settings]") {
  TempDirectory wrong_type;
  std::string report =
      load_with(wrong_type, "      supervisor_required: {value: 3, source: 测试数据, source_status: setting}\n");
  INFO(report);
  CHECK(report.find("agencies.pudong_eeb.parameters.supervisor_required.value: found 3, expected true or false") !=
        std::string::npos);

  TempDirectory boolean_count;
  report = load_with(boolean_count, "      crew_minimum: {value: true, source: 测试数据, source_status: setting}\n");
  CHECK(report.find("parameters.crew_minimum.value: found true, expected an integer of 0 or more") != std::string::npos);

  TempDirectory unknown;
  report = load_with(unknown, "      supervisor_needed: {value: true, source: 测试数据, source_status: setting}\n");
  CHECK(report.find("found supervisor_needed, expected a parameter a deadline rule declares, or a workflow setting: "
                    "crew_minimum, supervisor_required") != std::string::npos);
}

TEST_CASE("unread overrides are reported", "[settings]") {
  TempDirectory directory;
  // The works workflow reads its settings from the ecology bureau of the case's district, so an
  // override on a planning bureau changes nothing.
  std::string report = load_with(directory,
                                 "      crew_minimum: {value: 4, source: 测试数据, source_status: setting}\n"
                                 "  pudong_pnrb:\n"
                                 "    title: {zh-CN: 浦东规划资源局, en: Pudong planning bureau}\n"
                                 "    kind: pnrb\n"
                                 "    level: district\n"
                                 "    district: pudong\n"
                                 "    calendar: CN\n"
                                 "    time_zone: Asia/Shanghai\n"
                                 "    parameters:\n"
                                 "      supervisor_required: {value: false, source: 测试数据, source_status: setting}\n");
  INFO(report);
  CHECK(report.find("agencies.pudong_pnrb.parameters.supervisor_required: found supervisor_required (no workflow "
                    "reads it from pudong_pnrb), expected an override on an agency that reads it: city_eeb, "
                    "pudong_eeb") != std::string::npos);
  CHECK(report.find("pudong_eeb.parameters.crew_minimum") == std::string::npos);
}
