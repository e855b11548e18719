#include "engine/condition.h"

#include "engine/condition_loader.h"

#include <catch2/catch.hpp>

using namespace sitecycle;

namespace {

class FakeContext final : public ConditionContext {
 public:
  std::string state_value = "sale_proposed";
  nlohmann::json data_value = {{"planned_class", 2}, {"name", "A-1"}, {"tags", {"x", "y"}}, {"site", {{"area", 10.5}}}};
  nlohmann::json input_value = {{"evaluated_class", 1}};
  nlohmann::json actor_value = {{"role", "clerk"}, {"org", "bureau"}, {"user", "li"}};
  nlohmann::json survey_data = {{"evaluated_class", 1}};

  std::string state() const override { return state_value; }
  const nlohmann::json& data() const override { return data_value; }
  const nlohmann::json& input() const override { return input_value; }
  const nlohmann::json& actor() const override { return actor_value; }
  std::optional<LinkedCaseView> linked(const std::string& role) const override {
    if (role != "survey") return std::nullopt;
    return LinkedCaseView{"survey_000001", "submitted", &survey_data};
  }
};

Condition parse(const std::string& yaml_text) {
  Diagnostics diagnostics;
  YamlReader reader("inline.yaml", diagnostics);
  auto condition = read_condition(reader, YAML::Load(yaml_text), "guard");
  INFO((diagnostics.empty() ? std::string() : diagnostics.front().to_string()));
  REQUIRE(condition);
  return *condition;
}

bool holds(const std::string& yaml_text, const ConditionContext& context) {
  Condition condition = parse(yaml_text);
  return !evaluate(condition, context).has_value();
}

}  // namespace

TEST_CASE("comparisons on data, input, state and actor", "[condition]") {
  FakeContext context;
  CHECK(holds("{path: data.planned_class, eq: 2}", context));
  CHECK(holds("{path: data.planned_class, eq: 2.0}", context));
  CHECK_FALSE(holds("{path: data.planned_class, eq: \"2\"}", context));
  CHECK(holds("{path: data.planned_class, ge: 1}", context));
  CHECK_FALSE(holds("{path: data.planned_class, lt: 2}", context));
  CHECK(holds("{path: input.evaluated_class, le: {path: data.planned_class}}", context));
  CHECK(holds("{path: state, in: [open, sale_proposed]}", context));
  CHECK(holds("{path: state, not_in: [sold]}", context));
  CHECK(holds("{path: actor.role, eq: clerk}", context));
  CHECK(holds("{path: data.site.area, gt: 10}", context));
  CHECK(holds("{path: data.name, lt: B}", context));
}

TEST_CASE("a missing value fails every comparison but exists false and ne", "[condition]") {
  FakeContext context;
  CHECK_FALSE(holds("{path: data.absent, eq: 1}", context));
  CHECK_FALSE(holds("{path: data.absent, lt: 1}", context));
  CHECK_FALSE(holds("{path: data.absent, in: [1]}", context));
  CHECK_FALSE(holds("{path: data.absent, not_in: [1]}", context));
  CHECK(holds("{path: data.absent, ne: 1}", context));
  CHECK(holds("{path: data.absent, exists: false}", context));
  CHECK_FALSE(holds("{path: data.absent, exists: true}", context));
  CHECK_FALSE(holds("{path: link.parcel.state, eq: open}", context));
}

TEST_CASE("numbers and strings do not order against each other", "[condition]") {
  FakeContext context;
  CHECK_FALSE(holds("{path: data.name, lt: 5}", context));
  CHECK_FALSE(holds("{path: data.name, ge: 5}", context));
}

TEST_CASE("all, any and not combine conditions", "[condition]") {
  FakeContext context;
  CHECK(holds("{all: [{path: state, eq: sale_proposed}, {path: data.planned_class, eq: 2}]}", context));
  CHECK_FALSE(holds("{all: [{path: state, eq: sale_proposed}, {path: data.planned_class, eq: 1}]}", context));
  CHECK(holds("{any: [{path: state, eq: open}, {path: data.planned_class, eq: 2}]}", context));
  CHECK_FALSE(holds("{any: [{path: state, eq: open}, {path: data.planned_class, eq: 1}]}", context));
  CHECK(holds("{not: {path: state, eq: open}}", context));
  CHECK_FALSE(holds("{not: {path: state, eq: sale_proposed}}", context));
  CHECK(holds("[{path: state, eq: sale_proposed}, {path: actor.org, eq: bureau}]", context));
}

TEST_CASE("a failing link condition names the blocking case", "[condition]") {
  FakeContext context;
  Condition condition = parse(R"({all: [
      {path: link.survey, exists: true},
      {path: link.survey.state, eq: passed, reason: {zh-CN: 调查尚未通过, en: The survey has not passed}, basis: Rule 7}]})");
  auto failure = evaluate(condition, context);
  REQUIRE(failure);
  CHECK(failure->subject_path == "link.survey.state");
  CHECK(failure->found == "submitted");
  CHECK(failure->blocking_case == "survey_000001");
  CHECK(failure->expected == "eq \"passed\"");

  LocalizedText text = describe(*failure);
  CHECK(text.en == "The survey has not passed (condition not met: link.survey.state eq \"passed\"; found \"submitted\"). Basis: Rule 7");
  CHECK(text.zh_cn.find("调查尚未通过") == 0);
  CHECK(text.zh_cn.find("依据：Rule 7") != std::string::npos);
}

TEST_CASE("link paths read the linked case's id, state and data", "[condition]") {
  FakeContext context;
  CHECK(holds("{path: link.survey, eq: survey_000001}", context));
  CHECK(holds("{path: link.survey.id, eq: survey_000001}", context));
  CHECK(holds("{path: link.survey.data.evaluated_class, le: {path: data.planned_class}}", context));
  auto failure = evaluate(parse("{path: data.planned_class, lt: {path: link.survey.data.evaluated_class}}"), context);
  REQUIRE(failure);
  CHECK(failure->blocking_case == "survey_000001");
  CHECK(failure->expected == "lt link.survey.data.evaluated_class (1)");
}
