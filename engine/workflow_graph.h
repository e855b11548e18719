// Renders a workflow as a Graphviz DOT or Mermaid state diagram. The output depends only on the
// definition (states and transitions in file order), so committed diagrams can be compared.
#pragma once

#include "workflow.h"

#include <string>

namespace sitecycle {

std::string render_dot(const Workflow& workflow);
std::string render_mermaid(const Workflow& workflow);

}  // namespace sitecycle
