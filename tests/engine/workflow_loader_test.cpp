#include "engine/workflow_loader.h"

#include "engine_fixtures.h"

#include <catch2/catch.hpp>

using namespace sitecycle;
using sitecycle::testing::read_fixture;
using sitecycle::testing::render;

namespace {

Diagnostics problems_of(const std::string& yaml_text) {
  Diagnostics diagnostics;
  auto workflow = parse_workflow(yaml_text, "broken.yaml", diagnostics);
  CHECK_FALSE(workflow.has_value());
  return diagnostics;
}

bool mentions(const Diagnostics& diagnostics, const std::string& text) {
  return render(diagnostics).find(text) != std::string::npos;
}

const char* kMinimalHeader = R"(id: sample
version: 1
title: {zh-CN: 样例, en: Sample}
)";

}  // namespace

TEST_CASE("loader reads the basic lot workflow", "[loader]") {
  Diagnostics diagnostics;
  auto workflow = parse_workflow(read_fixture("workflows/basic/lot.yaml"), "lot.yaml", diagnostics);
  INFO(render(diagnostics));
  REQUIRE(workflow);
  CHECK(workflow->id == "lot");
  CHECK(workflow->version == 1);
  CHECK(workflow->title.zh_cn == "地块");
  CHECK(workflow->states.size() == 3);
  CHECK(workflow->initial_state()->id == "open");
  CHECK(workflow->find_state("sold")->final);

  const Transition* sell = workflow->find_transition("sell");
  REQUIRE(sell);
  CHECK(sell->from == std::vector<std::string>{"sale_proposed"});
  CHECK(sell->to == "sold");
  REQUIRE(sell->guard);
  CHECK(sell->guard->children.size() == 2);
  CHECK(sell->guard->children[0].basis == "Test rule 1");
  CHECK(sell->guard->children[1].operand.path->text == "data.planned_class");

  const Transition* internal = workflow->find_transition("survey_passed");
  REQUIRE(internal);
  CHECK_FALSE(internal->to.has_value());
  CHECK(workflow->fields.at("code").compiled_pattern != nullptr);
}

TEST_CASE("loader keeps deadline rules as written", "[loader]") {
  Diagnostics diagnostics;
  auto workflow = parse_workflow(read_fixture("workflows/basic/survey.yaml"), "survey.yaml", diagnostics);
  REQUIRE(workflow);
  REQUIRE(workflow->deadlines.size() == 1);
  CHECK(workflow->deadlines[0].id == "review");
  CHECK(workflow->deadlines[0].definition["duration"]["working_days"] == 20);
}

TEST_CASE("loader reports a YAML syntax error with its position", "[loader]") {
  Diagnostics diagnostics = problems_of("id: sample\nstates: [open\n");
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].file == "broken.yaml");
  CHECK(diagnostics[0].line >= 2);
  CHECK(diagnostics[0].column >= 1);
  CHECK(diagnostics[0].expected.en == "valid YAML syntax");
}

TEST_CASE("loader reports every problem of a file at once", "[loader]") {
  std::string text = R"(id: Bad-Id
version: zero
title: {zh-CN: 样例}
colour: blue
states:
  open: {title: {zh-CN: 开, en: Open}, initial: yes}
transitions:
  go:
    from: open
    to: closed
    roles: clerk
)";
  Diagnostics diagnostics = problems_of(text);
  INFO(render(diagnostics));
  CHECK(mentions(diagnostics, "broken.yaml:1:5: id: found \"Bad-Id\""));
  CHECK(mentions(diagnostics, "broken.yaml:2:10: version: found \"zero\", expected an integer"));
  CHECK(mentions(diagnostics, "title.en"));
  CHECK(mentions(diagnostics, "broken.yaml:4:1: colour: found unknown key \"colour\""));
  CHECK(mentions(diagnostics, "states.open.initial: found \"yes\", expected true or false"));
  CHECK(mentions(diagnostics, "transitions.go.title"));
  CHECK(diagnostics.size() >= 6);
}

TEST_CASE("loader reports a key given twice", "[loader]") {
  std::string text = std::string(kMinimalHeader) + R"(states:
  open: {title: {zh-CN: 开, en: Open}, initial: true}
  open: {title: {zh-CN: 开, en: Open}}
transitions: {}
)";
  Diagnostics diagnostics = problems_of(text);
  INFO(render(diagnostics));
  CHECK(mentions(diagnostics, "broken.yaml:6:3: states.open: found \"open\" twice"));
}

TEST_CASE("loader rejects malformed conditions", "[loader]") {
  std::string text = std::string(kMinimalHeader) + R"(states:
  open: {title: {zh-CN: 开, en: Open}, initial: true}
transitions:
  go:
    title: {zh-CN: 走, en: Go}
    from: open
    roles: [clerk]
    guard:
      all:
        - path: data.x
          eq: 1
          ne: 2
        - path: nowhere.x
          eq: 1
        - path: data.y
          in: 3
        - any: []
)";
  Diagnostics diagnostics = problems_of(text);
  INFO(render(diagnostics));
  CHECK(mentions(diagnostics, "transitions.go.guard.all[0]: found 2 operators"));
  CHECK(mentions(diagnostics, "transitions.go.guard.all[1].path: found \"nowhere.x\""));
  CHECK(mentions(diagnostics, "transitions.go.guard.all[2].in: found \"3\", expected a list of values"));
  CHECK(mentions(diagnostics, "transitions.go.guard.all[3].any"));
}

TEST_CASE("loader rejects malformed fields and effects", "[loader]") {
  std::string text = std::string(kMinimalHeader) + R"(fields:
  area: {type: decimal, title: {zh-CN: 面积, en: Area}}
  kind: {type: enum, title: {zh-CN: 类型, en: Kind}}
  code: {type: string, title: {zh-CN: 编号, en: Code}, pattern: "([a-z"}
  flag: {type: boolean, title: {zh-CN: 标记, en: Flag}, max: 3}
states:
  open: {title: {zh-CN: 开, en: Open}, initial: true}
transitions:
  go:
    title: {zh-CN: 走, en: Go}
    from: open
    roles: [clerk]
    effects:
      - set: {area: 1}
        signal: {link: parent, transition: x}
      - close: false
      - open_case: {workflow: other}
)";
  Diagnostics diagnostics = problems_of(text);
  INFO(render(diagnostics));
  CHECK(mentions(diagnostics, "fields.area.type: found \"decimal\""));
  CHECK(mentions(diagnostics, "fields.kind.values"));
  CHECK(mentions(diagnostics, "fields.code.pattern"));
  CHECK(mentions(diagnostics, "fields.flag.max"));
  CHECK(mentions(diagnostics, "transitions.go.effects[0]: found 2 effect kinds"));
  CHECK(mentions(diagnostics, "transitions.go.effects[1].close: found false"));
  CHECK(mentions(diagnostics, "transitions.go.effects[2].open_case.link_role"));
}

TEST_CASE("loader reads roles and rejects the built-in system role", "[loader]") {
  Diagnostics diagnostics;
  auto roles = parse_roles(read_fixture("workflows/basic/roles.yaml"), "roles.yaml", diagnostics);
  REQUIRE(roles);
  CHECK(roles->contains("clerk"));
  CHECK(roles->contains("system"));
  CHECK_FALSE(roles->contains("mayor"));

  Diagnostics broken;
  CHECK_FALSE(parse_roles("roles:\n  system: {zh-CN: 系统, en: System}\n", "roles.yaml", broken));
  CHECK(render(broken).find("roles.system") != std::string::npos);
}

TEST_CASE("diagnostics render in Chinese and English", "[loader]") {
  Diagnostic diagnostic{"parcel.yaml", 12, 5, "transitions.store.to", verbatim("\"stord\""), {"已定义的状态", "a defined state"}};
  CHECK(diagnostic.to_string(Language::en) == "parcel.yaml:12:5: transitions.store.to: found \"stord\", expected a defined state");
  CHECK(diagnostic.to_string(Language::zh_cn) == "parcel.yaml:12:5: transitions.store.to: 发现 \"stord\"，应为已定义的状态");
}

TEST_CASE("loader bounds alias expansion", "[loader]") {
  // Seven levels of ten aliases stand for ten million nodes in a few hundred bytes. A guard's
  // literal operand is converted to JSON, so that is where the expansion would happen.
  std::string bomb = "          a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 7; ++level) {
    std::string previous = "*a" + std::to_string(level - 1);
    bomb += "          a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) bomb += (i ? ", " : "") + previous;
    bomb += "]\n";
  }
  std::string text = std::string(kMinimalHeader) + R"(states:
  open: {title: {zh-CN: 开, en: Open}, initial: true, final: true}
transitions:
  check:
    title: {zh-CN: 查, en: Check}
    from: open
    roles: [clerk]
    guard:
      path: data.x
      in:
        - )" + bomb.substr(10);
  Diagnostics diagnostics = problems_of(text);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].found.en.find("more than 100000 nodes") != std::string::npos);
}
