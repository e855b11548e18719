#include "workflow_graph.h"

#include <fmt/format.h>

namespace sitecycle {

namespace {

std::string dot_escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return escaped;
}

// Mermaid ends a label at ':' or ';' and breaks on quotes, so they become spaces.
std::string mermaid_escape(const std::string& text) {
  std::string escaped;
  for (char c : text) escaped.push_back(c == ':' || c == ';' || c == '"' || c == '#' ? ' ' : c);
  return escaped;
}

}  // namespace

std::string render_dot(const Workflow& workflow) {
  std::string out = fmt::format("digraph \"{}\" {{\n", dot_escape(workflow.id));
  out += fmt::format("  graph [rankdir=LR, label=\"{} / {} (v{})\", fontname=\"Noto Sans CJK SC\"];\n",
                     dot_escape(workflow.title.zh_cn), dot_escape(workflow.title.en), workflow.version);
  out += "  node [shape=box, style=rounded, fontname=\"Noto Sans CJK SC\"];\n";
  out += "  edge [fontname=\"Noto Sans CJK SC\", fontsize=10];\n";
  out += "  \"__start\" [shape=point, label=\"\"];\n";

  for (const State& state : workflow.states) {
    out += fmt::format("  \"{}\" [label=\"{}\\n{}\"{}];\n", dot_escape(state.id), dot_escape(state.title.zh_cn),
                       dot_escape(state.id), state.final ? ", peripheries=2" : "");
  }
  if (const State* initial = workflow.initial_state()) {
    out += fmt::format("  \"__start\" -> \"{}\";\n", dot_escape(initial->id));
  }
  for (const Transition& transition : workflow.transitions) {
    for (const std::string& from : transition.from) {
      std::string to = transition.to.value_or(from);
      out += fmt::format("  \"{}\" -> \"{}\" [label=\"{}\\n{}\"{}];\n", dot_escape(from), dot_escape(to),
                         dot_escape(transition.title.zh_cn), dot_escape(transition.id),
                         transition.to ? "" : ", style=dashed");
    }
  }
  out += "}\n";
  return out;
}

std::string render_mermaid(const Workflow& workflow) {
  std::string out = "stateDiagram-v2\n";
  out += fmt::format("  %% {} / {} (v{})\n", mermaid_escape(workflow.title.zh_cn), mermaid_escape(workflow.title.en),
                     workflow.version);
  for (const State& state : workflow.states) {
    out += fmt::format("  {} : {} {}\n", state.id, mermaid_escape(state.title.zh_cn), state.id);
  }
  if (const State* initial = workflow.initial_state()) out += fmt::format("  [*] --> {}\n", initial->id);
  for (const Transition& transition : workflow.transitions) {
    for (const std::string& from : transition.from) {
      out += fmt::format("  {} --> {} : {} {}\n", from, transition.to.value_or(from),
                         mermaid_escape(transition.title.zh_cn), transition.id);
    }
  }
  for (const State& state : workflow.states) {
    if (state.final) out += fmt::format("  {} --> [*]\n", state.id);
  }
  return out;
}

}  // namespace sitecycle
