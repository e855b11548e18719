#include "adapters/demo_loader.h"

#include "adapters/clock.h"
#include "adapters/parcel_csv.h"
#include "adapters/scenario.h"
#include "adapters/scenario_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace sitecycle {

namespace {

std::optional<std::string> first_fixed_case_id(const Scenario& scenario) {
  for (const ScenarioStep& step : scenario.steps) {
    if (step.create && step.create->case_id) return step.create->case_id;
  }
  return std::nullopt;
}

std::optional<Scenario> read_scenario(const std::filesystem::path& file) {
  std::ifstream stream(file, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  Diagnostics ignored;  // replay_scenario_file reports them
  return parse_scenario(text.str(), file, ignored);
}

}  // namespace

static void import_demo_parcels(const std::filesystem::path& file, CaseService& service, Instant now, Language language,
                         DemoLoadReport& report) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) return;
  std::ostringstream text;
  text << stream.rdbuf();

  Actor importer{"land_bureau", "demo_import", "demo"};
  CsvImportReport imported = import_cases_csv(text.str(), file.string(), "parcel", service, importer, make_moment(now));
  report.imported = imported.created;
  for (const LocalizedText& error : imported.errors) report.errors.push_back(error.in(language));
  auto level = imported.errors.empty() ? spdlog::level::info : spdlog::level::warn;
  spdlog::log(level, "demo parcels imported: file={} created={} skipped={} errors={}", file.string(), imported.created.size(),
              imported.skipped.size(), imported.errors.size());
}

DemoLoadReport load_demo(const std::filesystem::path& folder, CaseService& service, Instant now, Language language) {
  CaseStore& store = service.store();
  DemoLoadReport report;
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  if (error) {
    report.errors.push_back(language == Language::en ? fmt::format("cannot read the examples folder {}: {}", folder.string(), error.message())
                                                     : fmt::format("无法读取示例目录 {}：{}", folder.string(), error.message()));
    return report;
  }
  std::sort(files.begin(), files.end());

  for (const std::filesystem::path& file : files) {
    std::optional<Scenario> scenario = read_scenario(file);
    std::optional<std::string> fixed_id = scenario ? first_fixed_case_id(*scenario) : std::nullopt;
    if (fixed_id && store.find_case(*fixed_id)) {
      report.skipped.push_back(file.string());
      spdlog::info("demo scenario skipped: file={} case={} reason=already_loaded", file.string(), *fixed_id);
      continue;
    }

    ScenarioRun run = replay_scenario_file(file, store, now, language);
    if (run.status == ScenarioRun::Status::passed) {
      report.loaded.push_back(file.string());
      spdlog::info("demo scenario loaded: file={}", file.string());
      continue;
    }
    for (const Diagnostic& diagnostic : run.diagnostics) report.errors.push_back(diagnostic.to_string(language));
    for (const auto& failure : run.report.value("failures", nlohmann::json::array())) {
      report.errors.push_back(fmt::format("{}: step {}: {}", file.string(), failure.value("step", 0),
                                          failure.value("message", std::string())));
    }
    spdlog::warn("demo scenario failed: file={}", file.string());
  }
  import_demo_parcels(folder / "parcels.csv", service, now, language, report);
  return report;
}

}  // namespace sitecycle
