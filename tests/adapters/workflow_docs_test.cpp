// Every shipped workflow has a page in English and in Chinese under docs/workflows/, and the
// diagrams committed beside them are what `sitecycle graph` renders from the YAML today.
// docs/workflows/render-diagrams.sh regenerates the diagrams.
#include "adapters/text_file.h"
#include "adapters/workflow_files.h"
#include "engine/workflow_graph.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using namespace sitecycle;

namespace {

const fs::path kSourceDir{SITECYCLE_SOURCE_DIR};
const fs::path kDocs = kSourceDir / "docs" / "workflows";

LoadedWorkflows shipped_workflows() {
  LoadedWorkflows loaded = load_workflow_folder(kSourceDir / "workflows");
  REQUIRE(loaded.diagnostics.empty());
  REQUIRE_FALSE(loaded.workflows.empty());
  return loaded;
}

std::string committed(const fs::path& path) {
  auto text = read_text_file(path);
  INFO(path.string() << " is missing; run docs/workflows/render-diagrams.sh");
  REQUIRE(text.has_value());
  return *text;
}

}  // namespace

TEST_CASE("committed workflow diagrams match the YAML") {
  for (const WorkflowPtr& workflow : shipped_workflows().workflows) {
    INFO("workflow " << workflow->id << ": the committed diagram is stale; run docs/workflows/render-diagrams.sh");
    CHECK(committed(kDocs / "diagrams" / (workflow->id + ".dot")) == render_dot(*workflow));
    CHECK(committed(kDocs / "diagrams" / (workflow->id + ".mmd")) == render_mermaid(*workflow));
    CHECK(fs::exists(kDocs / "diagrams" / (workflow->id + ".svg")));
  }
}

TEST_CASE("workflow pages name every state and step") {
  for (const WorkflowPtr& workflow : shipped_workflows().workflows) {
    for (const char* suffix : {".md", ".zh-CN.md"}) {
      fs::path page = kDocs / (workflow->id + suffix);
      std::string text = committed(page);
      INFO(page.string());
      CHECK(text.find("diagrams/" + workflow->id + ".svg") != std::string::npos);
      for (const State& state : workflow->states) {
        INFO("state " << state.id);
        CHECK(text.find(state.id) != std::string::npos);
      }
      for (const Transition& transition : workflow->transitions) {
        INFO("transition " << transition.id);
        CHECK(text.find(transition.id) != std::string::npos);
      }
      for (const DeadlineRule& rule : workflow->deadlines) {
        INFO("deadline " << rule.id);
        CHECK(text.find(rule.id) != std::string::npos);
      }
    }
  }
}
