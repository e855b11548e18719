#include "engine/field_schema.h"

#include "engine/credit_code.h"
#include "engine/workflow_loader.h"

#include <catch2/catch.hpp>

using namespace sitecycle;

namespace {

FieldSchema schema() {
  Diagnostics diagnostics;
  auto workflow = parse_workflow(R"(id: sample
version: 1
title: {zh-CN: 样例, en: Sample}
fields:
  name: {type: string, title: {zh-CN: 名称, en: Name}, required: true, min: 1, max: 4}
  code: {type: string, title: {zh-CN: 编号, en: Code}, pattern: "[A-Z]{2}-[0-9]{2}"}
  firm_code: {type: string, title: {zh-CN: 统一社会信用代码, en: Credit code}, format: unified_social_credit_code}
  count: {type: integer, title: {zh-CN: 数量, en: Count}, min: 0, max: 10}
  area: {type: number, title: {zh-CN: 面积, en: Area}, min: 0}
  flag: {type: boolean, title: {zh-CN: 标记, en: Flag}}
  day: {type: date, title: {zh-CN: 日期, en: Day}, min: 2017-01-01}
  kind: {type: enum, title: {zh-CN: 类型, en: Kind}, values: [clean, exceeds_screening]}
  items: {type: list, title: {zh-CN: 条目, en: Items}, max: 2, items: {type: string}}
  site:
    type: object
    title: {zh-CN: 场地, en: Site}
    fields:
      area_m2: {type: number, required: true, min: 0}
states:
  open: {title: {zh-CN: 开, en: Open}, initial: true, final: false}
transitions: {}
)", "sample.yaml", diagnostics);
  REQUIRE(workflow);
  return workflow->fields;
}

std::vector<std::string> pointers(const std::vector<FieldError>& errors) {
  std::vector<std::string> result;
  for (const FieldError& error : errors) result.push_back(error.pointer);
  return result;
}

}  // namespace

TEST_CASE("schema accepts valid data", "[schema]") {
  nlohmann::json data = {{"name", "地块一"}, {"code", "AB-12"}, {"count", 3}, {"area", 1.5}, {"flag", true},
                         {"day", "2024-02-29"}, {"kind", "clean"}, {"items", {"a", "b"}}, {"site", {{"area_m2", 12}}}};
  auto errors = check_object(schema(), data, "/data", true);
  CHECK(errors.empty());
}

TEST_CASE("schema reports each invalid field with its pointer", "[schema]") {
  nlohmann::json data = {{"name", "五个汉字名"}, {"code", "ab-12"}, {"count", 1.5}, {"area", -1}, {"flag", "yes"},
                         {"day", "2016-12-31"}, {"kind", "dirty"}, {"items", {"a", "b", "c"}}, {"site", {{"extra", 1}}},
                         {"colour", "red"}};
  auto errors = check_object(schema(), data, "/data", true);
  auto found = pointers(errors);
  for (const char* pointer : {"/data/name", "/data/code", "/data/count", "/data/area", "/data/flag", "/data/day",
                              "/data/kind", "/data/items", "/data/site/extra", "/data/site/area_m2", "/data/colour"}) {
    INFO(pointer);
    CHECK(std::find(found.begin(), found.end(), pointer) != found.end());
  }
}

TEST_CASE("schema requires required fields only when asked", "[schema]") {
  CHECK(pointers(check_object(schema(), nlohmann::json::object(), "/data", true)) == std::vector<std::string>{"/data/name"});
  CHECK(check_object(schema(), nlohmann::json::object(), "/data", false).empty());
}

TEST_CASE("schema rejects impossible dates and counts characters not bytes", "[schema]") {
  std::vector<FieldError> errors;
  FieldSchema fields = schema();
  check_value(fields.at("day"), "2026-02-29", "/d", errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.en.find("invalid date") != std::string::npos);

  errors.clear();
  check_value(fields.at("day"), "9999-12-30", "/d", errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.en == "date \"9999-12-30\" is out of range: expected a year from 1900 to 2999");

  errors.clear();
  check_value(fields.at("name"), "浦东新区", "/n", errors);
  CHECK(errors.empty());
}

TEST_CASE("schema messages come in both languages", "[schema]") {
  std::vector<FieldError> errors;
  check_value(schema().at("kind"), "dirty", "/k", errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.en == "value \"dirty\" is not allowed; expected one of: clean, exceeds_screening");
  CHECK(errors[0].message.zh_cn == "值 \"dirty\" 不在允许范围内，应为以下之一：clean, exceeds_screening");
}

TEST_CASE("schema rejects over-long strings before matching a pattern", "[schema]") {
  std::vector<FieldError> errors;
  check_value(schema().at("code"), std::string(kMaxPatternCheckedLength + 1, 'A'), "/c", errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.en.find("too long") != std::string::npos);
}

TEST_CASE("schema checks the check character of credit codes", "[schema]") {
  // 91350100M000100Y43 is the specimen code printed in explanations of GB 32100-2015.
  CHECK(check_object(schema(), {{"name", "a"}, {"firm_code", "91350100M000100Y43"}}, "/data", true).empty());

  auto wrong_check = check_object(schema(), {{"name", "a"}, {"firm_code", "91350100M000100Y44"}}, "/data", true);
  REQUIRE(wrong_check.size() == 1);
  CHECK(wrong_check[0].pointer == "/data/firm_code");
  CHECK(wrong_check[0].message.en == "unified social credit code \"91350100M000100Y44\": the check character should be 3; "
                                     "check the code");

  auto wrong_set = check_object(schema(), {{"name", "a"}, {"firm_code", "91350100m000100Y43"}}, "/data", true);
  REQUIRE(wrong_set.size() == 1);
  CHECK(wrong_set[0].message.en.find("is not a unified social credit code") != std::string::npos);
}

TEST_CASE("credit code check characters", "[schema]") {
  CHECK(credit_code_check_character("91350100M000100Y4") == '3');
  CHECK(credit_code_check_character("91310112000000001") == 'G');
  CHECK_FALSE(credit_code_check_character("9135010OM000100Y4"));  // O is not in the set
  CHECK_FALSE(credit_code_check_character("9135"));
  CHECK(is_valid_credit_code("91350100M000100Y43"));
  CHECK_FALSE(is_valid_credit_code("91350100M000100Y43 "));
}

TEST_CASE("credit codes need digits for the division code", "[schema]") {
  CHECK_FALSE(is_valid_credit_code("91A50100M000100Y43"));
}
