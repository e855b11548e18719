// Every loaded workflow version, by id. Immutable after construction; safe to share across
// threads.
#pragma once

#include "workflow.h"

#include <map>
#include <string>
#include <vector>

namespace sitecycle {

class WorkflowRegistry {
 public:
  WorkflowRegistry() = default;
  WorkflowRegistry(std::vector<WorkflowPtr> workflows, RoleCatalog roles);

  // The newest version of a workflow; new cases start on it.
  WorkflowPtr latest(std::string_view id) const;
  // A given version; running cases use the version they started on.
  WorkflowPtr find(std::string_view id, int version) const;
  // The newest version of each workflow, ordered by id.
  std::vector<WorkflowPtr> latest_all() const;
  const RoleCatalog& roles() const { return roles_; }

 private:
  std::map<std::string, std::map<int, WorkflowPtr>, std::less<>> by_id_;
  RoleCatalog roles_;
};

}  // namespace sitecycle
