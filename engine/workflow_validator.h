// Cross-checks a set of parsed workflows against each other and the role catalogue.
#pragma once

#include "diagnostic.h"
#include "workflow.h"

#include <vector>

namespace sitecycle {

// Rejects unknown states, roles, fields, workflows and links; duplicate ids across workflows;
// states that cannot be reached from the initial state; non-final states with no way out;
// transitions that no role may fire (a `system`-only transition that no signal targets);
// signals to transitions the target workflow lacks; deadline rules naming unknown states or
// transitions. Appends one Diagnostic per problem.
void validate_workflows(const std::vector<WorkflowPtr>& workflows, const RoleCatalog& roles,
                        Diagnostics& diagnostics);

}  // namespace sitecycle
