// Cross-checks a set of parsed workflows against each other and the role catalogue.
#pragma once

#include "diagnostic.h"
#include "workflow.h"

#include <vector>

namespace sitecycle {

// Appends one Diagnostic per problem found. It rejects:
// - unknown states, roles, fields, workflows and link roles, and duplicate workflow ids;
// - states unreachable from the initial state, and non-final states with no way out;
// - transitions that no role may fire (a `system`-only transition that no signal targets);
// - read-only fields listed as transition input, and unknown roles in create_roles;
// - signals to transitions the target workflow lacks, and cycles of signals;
// - deadline rules naming unknown states or transitions.
void validate_workflows(const std::vector<WorkflowPtr>& workflows, const RoleCatalog& roles,
                        Diagnostics& diagnostics);

}  // namespace sitecycle
