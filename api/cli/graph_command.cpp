#include "adapters/workflow_files.h"
#include "api/cli/cli_output.h"
#include "api/cli/commands.h"
#include "engine/workflow_graph.h"

#include <fmt/format.h>

#include <iostream>

namespace sitecycle::cli {

int run_graph(const std::string& workflow_id, const std::string& workflows_folder, const std::string& format,
              Language language) {
  if (format != "dot" && format != "mermaid") {
    print_error(language, fmt::format("不支持的格式 {}；请使用 --format dot 或 --format mermaid", format),
                fmt::format("unsupported format {}; use --format dot or --format mermaid", format));
    return kExitUsage;
  }
  LoadedWorkflows loaded = load_workflow_folder(workflows_folder);
  if (!loaded.diagnostics.empty()) {
    print_diagnostics(language, loaded.diagnostics);
    print_error(language, fmt::format("流程目录 {} 无效；请先运行 sitecycle validate {}", workflows_folder, workflows_folder),
                fmt::format("the workflows folder {} is invalid; run sitecycle validate {} first", workflows_folder,
                            workflows_folder));
    return kExitUsage;
  }
  for (const WorkflowPtr& workflow : loaded.workflows) {
    if (workflow->id != workflow_id) continue;
    std::cout << (format == "dot" ? render_dot(*workflow) : render_mermaid(*workflow));
    return kExitSuccess;
  }
  std::vector<std::string> ids;
  for (const WorkflowPtr& workflow : loaded.workflows) ids.push_back(workflow->id);
  print_error(language, fmt::format("目录 {} 中没有流程 {}；已有：{}", workflows_folder, workflow_id, fmt::join(ids, ", ")),
              fmt::format("no workflow {} in {}; available: {}", workflow_id, workflows_folder, fmt::join(ids, ", ")));
  return kExitUsage;
}

}  // namespace sitecycle::cli
