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
  // `current` names the version new cases start on for each id, which is the one loaded from the
  // files. Other versions are kept only for the cases that started on them.
  WorkflowRegistry(std::vector<WorkflowPtr> workflows, RoleCatalog roles, std::map<std::string, int> current);

  // The version new cases start on: the current one where given, else the newest.
  WorkflowPtr latest(std::string_view id) const;
  // A given version; running cases use the version they started on.
  WorkflowPtr find(std::string_view id, int version) const;
  // The version new cases start on for each workflow, ordered by id.
  std::vector<WorkflowPtr> latest_all() const;
  const RoleCatalog& roles() const { return roles_; }

 private:
  std::map<std::string, std::map<int, WorkflowPtr>, std::less<>> by_id_;
  std::map<std::string, int, std::less<>> current_;
  RoleCatalog roles_;
};

}  // namespace sitecycle
