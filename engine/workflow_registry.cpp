#include "workflow_registry.h"

namespace sitecycle {

WorkflowRegistry::WorkflowRegistry(std::vector<WorkflowPtr> workflows, RoleCatalog roles) : roles_(std::move(roles)) {
  for (WorkflowPtr& workflow : workflows) {
    by_id_[workflow->id][workflow->version] = std::move(workflow);
  }
}

WorkflowPtr WorkflowRegistry::latest(std::string_view id) const {
  auto versions = by_id_.find(id);
  if (versions == by_id_.end() || versions->second.empty()) return nullptr;
  return versions->second.rbegin()->second;
}

WorkflowPtr WorkflowRegistry::find(std::string_view id, int version) const {
  auto versions = by_id_.find(id);
  if (versions == by_id_.end()) return nullptr;
  auto found = versions->second.find(version);
  return found == versions->second.end() ? nullptr : found->second;
}

std::vector<WorkflowPtr> WorkflowRegistry::latest_all() const {
  std::vector<WorkflowPtr> result;
  for (const auto& [id, versions] : by_id_) {
    if (!versions.empty()) result.push_back(versions.rbegin()->second);
  }
  return result;
}

}  // namespace sitecycle
