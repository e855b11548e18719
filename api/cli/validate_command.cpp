#include "adapters/workflow_files.h"
#include "api/cli/cli_output.h"
#include "api/cli/commands.h"

#include <fmt/format.h>

namespace sitecycle::cli {

int run_validate(const std::vector<std::string>& paths, Language language) {
  std::vector<std::filesystem::path> inputs(paths.begin(), paths.end());
  LoadedWorkflows loaded = load_workflow_paths(inputs);
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
