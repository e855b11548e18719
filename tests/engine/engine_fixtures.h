// Loads the workflow fixtures under tests/data/workflows for engine tests.
#pragma once

#include "engine/diagnostic.h"
#include "engine/workflow.h"
#include "engine/workflow_loader.h"
#include "engine/workflow_registry.h"
#include "engine/workflow_validator.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace sitecycle::testing {

inline std::string read_fixture(const std::string& relative_path) {
  std::ifstream stream(std::string(SITECYCLE_TEST_DATA_DIR) + "/" + relative_path);
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}

inline WorkflowPtr parse_fixture_workflow(const std::string& relative_path) {
  Diagnostics diagnostics;
  auto workflow = parse_workflow(read_fixture(relative_path), relative_path, diagnostics);
  if (!workflow) {
    std::string all;
    for (const Diagnostic& diagnostic : diagnostics) all += diagnostic.to_string() + "\n";
    throw std::runtime_error("fixture does not parse:\n" + all);
  }
  return std::make_shared<const Workflow>(std::move(*workflow));
}

inline RoleCatalog parse_fixture_roles(const std::string& relative_path) {
  Diagnostics diagnostics;
  auto roles = parse_roles(read_fixture(relative_path), relative_path, diagnostics);
  if (!roles) throw std::runtime_error("roles fixture does not parse");
  return *roles;
}

// The "basic" fixture: workflows lot and survey.
inline std::shared_ptr<const WorkflowRegistry> basic_registry() {
  std::vector<WorkflowPtr> workflows{parse_fixture_workflow("workflows/basic/lot.yaml"),
                                     parse_fixture_workflow("workflows/basic/survey.yaml")};
  return std::make_shared<const WorkflowRegistry>(workflows, parse_fixture_roles("workflows/basic/roles.yaml"));
}

// All diagnostics of a set of workflow texts, rendered one per line.
inline std::string render(const Diagnostics& diagnostics) {
  std::string all;
  for (const Diagnostic& diagnostic : diagnostics) all += diagnostic.to_string() + "\n";
  return all;
}

}  // namespace sitecycle::testing
