#include "condition_loader.h"

#include <fmt/format.h>

#include <array>

namespace sitecycle {

namespace {

constexpr std::array<std::string_view, 8> kPathRoots{"state", "data", "input", "actor", "link", "now", "case", "setting"};

constexpr std::array<std::pair<std::string_view, Comparison>, 9> kComparisons{{
    {"eq", Comparison::eq},
    {"ne", Comparison::ne},
    {"lt", Comparison::lt},
    {"le", Comparison::le},
    {"gt", Comparison::gt},
    {"ge", Comparison::ge},
    {"in", Comparison::in},
    {"not_in", Comparison::not_in},
    {"exists", Comparison::exists},
}};

bool is_path_operand(const YAML::Node& node) {
  return node.IsMap() && node.size() == 1 && node["path"].IsDefined();
}

void read_explanation(YamlReader& reader, const YAML::Node& node, const std::string& key_path, Condition& condition) {
  if (YAML::Node reason = node["reason"]; reason.IsDefined()) {
    condition.reason = reader.read_title(reason, join_path(key_path, "reason"));
  }
  if (YAML::Node basis = node["basis"]; basis.IsDefined()) {
    condition.basis = reader.read_string(basis, join_path(key_path, "basis")).value_or("");
  }
}

std::optional<Condition> read_combination(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                                          std::string_view keyword) {
  Condition condition;
  condition.position = position_of(node);
  reader.check_keys(node, key_path, {keyword, "reason", "basis"});
  read_explanation(reader, node, key_path, condition);

  std::string child_path = join_path(key_path, keyword);
  YAML::Node operand = node[std::string(keyword)];
  if (keyword == "not") {
    condition.kind = Condition::Kind::negation;
    auto child = read_condition(reader, operand, child_path);
    if (!child) return std::nullopt;
    condition.children.push_back(std::move(*child));
    return condition;
  }

  condition.kind = keyword == "all" ? Condition::Kind::all : Condition::Kind::any;
  if (!operand.IsSequence() || operand.size() == 0) {
    reader.report(operand, child_path, describe_node(operand), {"非空的条件列表", "a non-empty list of conditions"});
    return std::nullopt;
  }
  bool valid = true;
  for (std::size_t i = 0; i < operand.size(); ++i) {
    auto child = read_condition(reader, operand[i], fmt::format("{}[{}]", child_path, i));
    if (child) {
      condition.children.push_back(std::move(*child));
    } else {
      valid = false;
    }
  }
  if (!valid) return std::nullopt;
  return condition;
}

std::optional<Condition> read_comparison(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  Condition condition;
  condition.kind = Condition::Kind::comparison;
  condition.position = position_of(node);
  reader.check_keys(node, key_path,
                    {"path", "eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "exists", "reason", "basis"});
  read_explanation(reader, node, key_path, condition);

  auto subject = read_value_path(reader, reader.require(node, "path", key_path), join_path(key_path, "path"));

  int operator_count = 0;
  bool operand_valid = true;
  for (const auto& [name, comparison] : kComparisons) {
    YAML::Node operand = node[std::string(name)];
    if (!operand.IsDefined()) continue;
    ++operator_count;
    condition.comparison = comparison;
    std::string operand_path = join_path(key_path, name);

    if (is_path_operand(operand)) {
      auto path = read_value_path(reader, operand["path"], join_path(operand_path, "path"));
      operand_valid = operand_valid && path.has_value();
      if (path) condition.operand.path = std::move(*path);
      continue;
    }
    condition.operand.literal = yaml_to_json(operand);
    if (comparison == Comparison::exists && !condition.operand.literal.is_boolean()) {
      reader.report(operand, operand_path, describe_node(operand), {"true 或 false", "true or false"});
      operand_valid = false;
    }
    if ((comparison == Comparison::in || comparison == Comparison::not_in) && !condition.operand.literal.is_array()) {
      reader.report(operand, operand_path, describe_node(operand), {"值列表", "a list of values"});
      operand_valid = false;
    }
  }
  if (operator_count != 1) {
    reader.report(node, key_path,
                  LocalizedText{fmt::format("{} 个运算符", operator_count), fmt::format("{} operators", operator_count)},
                  {"恰好一个比较运算符（eq、ne、lt、le、gt、ge、in、not_in、exists）",
                   "exactly one operator (eq, ne, lt, le, gt, ge, in, not_in, exists)"});
    return std::nullopt;
  }
  if (!subject || !operand_valid) return std::nullopt;
  condition.subject = std::move(*subject);
  return condition;
}

}  // namespace

std::optional<ValuePath> read_value_path(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  auto text = reader.read_string(node, key_path);
  if (!text) return std::nullopt;

  ValuePath path{*text, {}};
  std::size_t start = 0;
  while (start <= text->size()) {
    std::size_t end = text->find('.', start);
    if (end == std::string::npos) end = text->size();
    path.parts.push_back(text->substr(start, end - start));
    start = end + 1;
  }

  bool parts_valid = true;
  for (const std::string& part : path.parts) parts_valid = parts_valid && is_snake_case_id(part);
  bool root_known = false;
  for (std::string_view root : kPathRoots) root_known = root_known || path.parts.front() == root;
  if (!parts_valid || !root_known) {
    reader.report(node, key_path, describe_node(node),
                  {"以 state、data、input、actor、link、now、case 或 setting 开头、用点分隔的路径，例如 link.investigation.state",
                   "a dotted path starting with state, data, input, actor, link, now, case or setting, such as "
                   "link.investigation.state"});
    return std::nullopt;
  }
  return path;
}

std::optional<Condition> read_condition(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (node.IsSequence()) {
    Condition condition;
    condition.kind = Condition::Kind::all;
    condition.position = position_of(node);
    bool valid = node.size() > 0;
    if (!valid) {
      reader.report(node, key_path, LocalizedText{"空列表", "an empty list"}, {"非空的条件列表", "a non-empty list of conditions"});
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      auto child = read_condition(reader, node[i], fmt::format("{}[{}]", key_path, i));
      if (child) {
        condition.children.push_back(std::move(*child));
      } else {
        valid = false;
      }
    }
    if (!valid) return std::nullopt;
    return condition;
  }

  if (!reader.expect_map(node, key_path)) return std::nullopt;
  for (std::string_view keyword : {"all", "any", "not"}) {
    if (node[std::string(keyword)].IsDefined()) return read_combination(reader, node, key_path, keyword);
  }
  return read_comparison(reader, node, key_path);
}

std::optional<ValueSource> read_value_source(YamlReader& reader, const YAML::Node& node,
                                             const std::string& key_path) {
  ValueSource source;
  if (is_path_operand(node)) {
    auto path = read_value_path(reader, node["path"], join_path(key_path, "path"));
    if (!path) return std::nullopt;
    source.path = std::move(*path);
    return source;
  }
  source.literal = yaml_to_json(node);
  return source;
}

}  // namespace sitecycle
