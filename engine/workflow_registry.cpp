#include "workflow_registry.h"

namespace sitecycle {

WorkflowRegistry::WorkflowRegistry(std::vector<WorkflowPtr> workflows, RoleCatalog roles) : roles_(std::move(roles)) {
  for (WorkflowPtr& workflow : workflows) {
    by_id_[workflow->id][workflow->version] = std::move(workflow);
  }
}

WorkflowRegistry::WorkflowRegistry(std::vector<WorkflowPtr> workflows, RoleCatalog roles,
                                   std::map<std::string, int> current)
    : WorkflowRegistry(std::move(workflows), std::move(roles)) {
  current_.insert(current.begin(), current.end());
}

WorkflowPtr WorkflowRegistry::latest(std::string_view id) const {
  auto versions = by_id_.find(id);
  if (versions == by_id_.end() || versions->second.empty()) return nullptr;
  auto current = current_.find(id);
  if (current != current_.end()) {
    auto pinned = versions->second.find(current->second);
    if (pinned != versions->second.end()) return pinned->second;
  }
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
    if (WorkflowPtr workflow = latest(id)) result.push_back(workflow);
  }
  return result;
}

}  // namespace sitecycle
