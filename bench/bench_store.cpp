#include "bench/bench_store.h"

#include "adapters/clock.h"
#include "adapters/workflow_files.h"

#include <fmt/format.h>

#include <stdexcept>

namespace sitecycle::bench {

namespace {

std::string render_diagnostics(const Diagnostics& diagnostics) {
  std::string rendered;
  for (const Diagnostic& diagnostic : diagnostics) rendered += diagnostic.to_string() + "\n";
  return rendered;
}

std::string database_path(const std::optional<testing::TempDirectory>& directory) {
  if (!directory) return ":memory:";
  return directory->file("sitecycle.db");
}

Moment fixed_moment() {
  std::optional<Instant> instant = parse_instant("2026-03-16T09:00:00");
  if (!instant) throw std::runtime_error("the benchmark instant 2026-03-16T09:00:00 does not parse");
  return make_moment(*instant);
}

}  // namespace

BenchStore::BenchStore(StoreLocation location) {
  // Step 1: a fresh database, so every benchmark starts from an empty file.
  if (location == StoreLocation::temporary_file) directory_.emplace();
  store_ = std::make_unique<SqlCaseStore>(database_path(directory_));

  // Step 2: the shipped workflows, loaded and pinned the way `sitecycle serve` does.
  LoadedWorkflows loaded = load_workflow_folder(SITECYCLE_WORKFLOWS_DIR);
  if (!loaded.diagnostics.empty()) {
    throw std::runtime_error(fmt::format("the workflows in {} are invalid:\n{}", SITECYCLE_WORKFLOWS_DIR,
                                         render_diagnostics(loaded.diagnostics)));
  }
  Diagnostics pin_problems;
  registry_ = pin_workflows(loaded, *store_, pin_problems);
  if (!pin_problems.empty()) {
    throw std::runtime_error("pinning the workflows failed:\n" + render_diagnostics(pin_problems));
  }

  // Step 3: the service under test and the clock value it runs at.
  service_ = std::make_unique<CaseService>(registry_, *store_);
  now_ = fixed_moment();
}


}  // namespace sitecycle::bench
