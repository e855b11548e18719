// Parses workflow and role files from YAML text. Reading files is the caller's job.
#pragma once

#include "diagnostic.h"
#include "workflow.h"

#include <optional>
#include <string>
#include <string_view>

namespace sitecycle {

// Parses one workflow file. Every problem found is appended to `diagnostics` (with file:line:
// column, key path, what was found and what was expected). The workflow is returned only when
// there were none. Cross-references to other workflows and roles are checked by the validator.
std::optional<Workflow> parse_workflow(std::string_view yaml_text, const std::string& file_name,
                                       Diagnostics& diagnostics);

// Parses roles.yaml: a mapping `roles: {ROLE_ID: {zh-CN: ..., en: ...}}`.
std::optional<RoleCatalog> parse_roles(std::string_view yaml_text, const std::string& file_name,
                                       Diagnostics& diagnostics);

}  // namespace sitecycle
