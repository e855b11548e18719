// Reading workflow folders from disk, and pinning loaded definitions in the case store.
#pragma once

#include "engine/case_store.h"
#include "engine/diagnostic.h"
#include "engine/workflow.h"
#include "engine/workflow_registry.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sitecycle {

struct LoadedWorkflows {
  std::vector<WorkflowPtr> workflows;
  RoleCatalog roles;
  Diagnostics diagnostics;
  bool unreadable = false;  // a path could not be read at all (usage error, not invalid content)
};

// Files in a workflows folder that are not workflows.
bool is_reserved_workflow_file(const std::filesystem::path& path);

// Loads and validates every workflow in `folder` against the folder's roles.yaml.
LoadedWorkflows load_workflow_folder(const std::filesystem::path& folder);

// Loads files and folders for `sitecycle validate`. A named file is checked together with the
// workflows beside it, because workflows refer to each other. Problems are reported for the
// named files and for every file of a named folder.
LoadedWorkflows load_workflow_paths(const std::vector<std::filesystem::path>& paths);

// Stores each loaded definition (so cases keep their version after the files change) and builds
// the registry from the files plus every older version found in the store. Appends a diagnostic
// when a stored (id, version) has different content from its file.
std::shared_ptr<const WorkflowRegistry> pin_workflows(const LoadedWorkflows& loaded, CaseStore& store,
                                                      Diagnostics& diagnostics);

// Lower-case hex SHA-256 of `text`.
std::string sha256_hex(std::string_view text);

}  // namespace sitecycle
