#include "adapters/deadline_setup.h"
#include "adapters/workflow_files.h"
#include "api/cli/cli_output.h"
#include "api/cli/commands.h"

#include <fmt/format.h>

#include <set>

namespace sitecycle::cli {

namespace {

// The calendars and agencies beside the named workflows: in each named folder, and in the
// folder of each named file.
void check_deadline_environments(const std::vector<std::filesystem::path>& inputs, LoadedWorkflows& loaded) {
  std::set<std::filesystem::path> folders;
  for (const std::filesystem::path& input : inputs) {
    std::error_code error;
    folders.insert(std::filesystem::is_directory(input, error) ? input : input.parent_path());
  }
  for (const std::filesystem::path& folder : folders) {
    LoadedDeadlineEnvironment environment =
        load_deadline_environment(folder.empty() ? std::filesystem::path(".") : folder, loaded.workflows);
    loaded.unreadable = loaded.unreadable || environment.unreadable;
    for (Diagnostic& diagnostic : environment.diagnostics) loaded.diagnostics.push_back(std::move(diagnostic));
  }
}

}  // namespace

int run_validate(const std::vector<std::string>& paths, Language language) {
  std::vector<std::filesystem::path> inputs(paths.begin(), paths.end());
  LoadedWorkflows loaded = load_workflow_paths(inputs);
  if (!loaded.unreadable && loaded.diagnostics.empty()) check_deadline_environments(inputs, loaded);
  print_diagnostics(language, loaded.diagnostics);
  if (loaded.unreadable) return kExitUsage;
  if (!loaded.diagnostics.empty()) {
    print_error(language, fmt::format("发现 {} 处问题", loaded.diagnostics.size()),
                fmt::format("{} problem(s) found", loaded.diagnostics.size()));
    return kExitCheckFailed;
  }
  print_line(language, fmt::format("已检查 {} 个流程，未发现问题", loaded.workflows.size()),
             fmt::format("checked {} workflow(s): no problems found", loaded.workflows.size()));
  return kExitSuccess;
}

}  // namespace sitecycle::cli
