#include "yaml_reader.h"

#include <fmt/format.h>

#include <charconv>
#include <set>

namespace sitecycle {

namespace {

bool is_plain_scalar(const YAML::Node& node) { return node.Tag() == "?"; }

std::optional<long long> to_integer(const std::string& text) {
  long long value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (!text.empty() && *begin == '+') ++begin;
  auto [pointer, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || pointer != end || begin == end) return std::nullopt;
  return value;
}

std::optional<double> to_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [pointer, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || pointer != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

bool is_snake_case_id(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  if (text[0] < 'a' || text[0] > 'z') return false;
  for (char c : text) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!allowed) return false;
  }
  return true;
}

std::optional<YAML::Node> load_yaml(std::string_view text, const std::string& file_name,
                                    Diagnostics& diagnostics) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    Diagnostic diagnostic;
    diagnostic.file = file_name;
    diagnostic.line = error.mark.is_null() ? 0 : error.mark.line + 1;
    diagnostic.column = error.mark.is_null() ? 0 : error.mark.column + 1;
    diagnostic.found = verbatim(error.msg);
    diagnostic.expected = LocalizedText{"有效的 YAML 语法", "valid YAML syntax"};
    diagnostics.push_back(std::move(diagnostic));
    return std::nullopt;
  }
}

std::optional<YAML::Node> load_yaml_mapping(std::string_view text, const std::string& file_name,
                                            Diagnostics& diagnostics,
                                            std::initializer_list<std::string_view> allowed) {
  std::optional<YAML::Node> root = load_yaml(text, file_name, diagnostics);
  if (!root) return std::nullopt;
  YamlReader reader(file_name, diagnostics);
  if (!reader.expect_map(*root, "")) return std::nullopt;
  reader.check_keys(*root, "", allowed);
  return root;
}

Position position_of(const YAML::Node& node) {
  if (!node.IsDefined()) return {};
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {};
  return Position{mark.line + 1, mark.column + 1};
}

namespace {

nlohmann::json bounded_yaml_to_json(const YAML::Node& node, std::size_t& nodes_left, int depth) {
  if (nodes_left == 0 || depth > kMaxYamlValueDepth) {
    throw YamlTooLarge(fmt::format("a value with more than {} nodes or {} levels (aliases count as expanded)",
                                   kMaxYamlValueNodes, kMaxYamlValueDepth));
  }
  --nodes_left;
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return nullptr;
    case YAML::NodeType::Sequence: {
      nlohmann::json list = nlohmann::json::array();
      for (const YAML::Node& item : node) list.push_back(bounded_yaml_to_json(item, nodes_left, depth + 1));
      return list;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& pair : node) {
        object[pair.first.IsScalar() ? pair.first.Scalar() : describe_node(pair.first).en] =
            bounded_yaml_to_json(pair.second, nodes_left, depth + 1);
      }
      return object;
    }
    case YAML::NodeType::Scalar: break;
  }
  return scalar_to_json(node);
}

}  // namespace

LocalizedText too_large_text() {
  return {fmt::format("超过 {} 个节点或 {} 层的值（别名按展开后计算）", kMaxYamlValueNodes, kMaxYamlValueDepth),
          fmt::format("a value with more than {} nodes or {} levels (aliases count as expanded)", kMaxYamlValueNodes,
                      kMaxYamlValueDepth)};
}

nlohmann::json yaml_to_json(const YAML::Node& node) {
  std::size_t nodes_left = kMaxYamlValueNodes;
  return bounded_yaml_to_json(node, nodes_left, 0);
}

nlohmann::json scalar_to_json(const YAML::Node& node) {

  const std::string& text = node.Scalar();
  if (!is_plain_scalar(node)) return text;
  if (text == "true" || text == "True") return true;
  if (text == "false" || text == "False") return false;
  if (text == "null" || text == "~" || text == "Null") return nullptr;
  if (auto integer = to_integer(text)) return *integer;
  if (auto number = to_number(text)) return *number;
  return text;
}

LocalizedText describe_node(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined: return {"空缺", "nothing"};
    case YAML::NodeType::Null: return {"空值", "an empty value"};
    case YAML::NodeType::Sequence: return {"列表", "a list"};
    case YAML::NodeType::Map: return {"映射", "a mapping"};
    case YAML::NodeType::Scalar: break;
  }
  std::string text = node.Scalar();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return verbatim("\"" + text + "\"");
}

std::string join_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

void YamlReader::report(const YAML::Node& node, const std::string& key_path, LocalizedText found,
                        LocalizedText expected) {
  report_at(position_of(node), key_path, std::move(found), std::move(expected));
}

void YamlReader::report_at(Position position, const std::string& key_path, LocalizedText found,
                           LocalizedText expected) {
  Diagnostic diagnostic;
  diagnostic.file = file_name_;
  diagnostic.line = position.line;
  diagnostic.column = position.column;
  diagnostic.key_path = key_path;
  diagnostic.found = std::move(found);
  diagnostic.expected = std::move(expected);
  diagnostics_.push_back(std::move(diagnostic));
}

bool YamlReader::expect_map(const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined()) return false;
  if (node.IsMap()) {
    check_duplicate_keys(node, key_path);
    return true;
  }
  report(node, key_path, describe_node(node), {"映射（键: 值）", "a mapping (key: value)"});
  return false;
}

bool YamlReader::expect_sequence(const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined()) return false;
  if (node.IsSequence()) return true;
  report(node, key_path, describe_node(node), {"列表", "a list"});
  return false;
}

std::optional<std::string> YamlReader::read_string(const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined()) return std::nullopt;
  if (node.IsScalar()) return node.Scalar();
  report(node, key_path, describe_node(node), {"字符串", "a string"});
  return std::nullopt;
}

std::optional<std::string> YamlReader::read_id(const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined()) return std::nullopt;
  if (node.IsScalar() && is_snake_case_id(node.Scalar())) return node.Scalar();
  report(node, key_path, describe_node(node),
         {"snake_case 标识（小写字母开头，仅含小写字母、数字和下划线，最多 64 个字符）",
          "a snake_case id (a lowercase letter, then lowercase letters, digits or underscores; at most 64 characters)"});
  return std::nullopt;
}

std::optional<long long> YamlReader::read_integer(const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined()) return std::nullopt;
  if (node.IsScalar() && is_plain_scalar(node)) {
    if (auto value = to_integer(node.Scalar())) return value;
  }
  report(node, key_path, describe_node(node), {"整数", "an integer"});
  return std::nullopt;
}

std::optional<double> YamlReader::read_number(const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined()) return std::nullopt;
  if (node.IsScalar() && is_plain_scalar(node)) {
    if (auto value = to_number(node.Scalar())) return value;
  }
  report(node, key_path, describe_node(node), {"数值", "a number"});
  return std::nullopt;
}

std::optional<bool> YamlReader::read_bool(const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined()) return std::nullopt;
  if (node.IsScalar() && is_plain_scalar(node)) {
    if (node.Scalar() == "true") return true;
    if (node.Scalar() == "false") return false;
  }
  report(node, key_path, describe_node(node), {"true 或 false", "true or false"});
  return std::nullopt;
}

std::optional<LocalizedText> YamlReader::read_title(const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined()) return std::nullopt;
  LocalizedText expected{"含 zh-CN 和 en 两种语言的标题，例如 {zh-CN: 地块, en: Parcel}",
                         "a title in both languages, such as {zh-CN: 地块, en: Parcel}"};
  if (!node.IsMap()) {
    report(node, key_path, describe_node(node), expected);
    return std::nullopt;
  }
  check_keys(node, key_path, {"zh-CN", "en"});
  LocalizedText title;
  bool complete = true;
  for (auto [key, target] : {std::pair{"zh-CN", &title.zh_cn}, std::pair{"en", &title.en}}) {
    YAML::Node text = node[key];
    if (!text.IsDefined() || !text.IsScalar() || text.Scalar().empty()) {
      report(text.IsDefined() ? text : node, join_path(key_path, key), text.IsDefined() ? describe_node(text) : LocalizedText{},
             {fmt::format("非空的 {} 标题", key), fmt::format("a non-empty {} title", key)});
      complete = false;
      continue;
    }
    *target = text.Scalar();
  }
  if (!complete) return std::nullopt;
  return title;
}

std::optional<Date> YamlReader::read_date(const YAML::Node& node, const std::string& key_path) {
  auto text = read_string(node, key_path);
  if (!text) return std::nullopt;
  auto date = parse_date(*text);
  if (!date) report(node, key_path, describe_node(node), {"YYYY-MM-DD 格式的日期", "a YYYY-MM-DD date"});
  return date;
}

std::optional<std::vector<std::string>> YamlReader::read_id_list(const YAML::Node& node,
                                                                 const std::string& key_path) {
  if (!node.IsDefined()) return std::nullopt;
  std::vector<std::string> ids;
  if (node.IsScalar()) {
    auto id = read_id(node, key_path);
    if (!id) return std::nullopt;
    ids.push_back(*id);
    return ids;
  }
  if (!node.IsSequence()) {
    report(node, key_path, describe_node(node), {"一个标识或标识列表", "an id or a list of ids"});
    return std::nullopt;
  }
  bool valid = true;
  for (std::size_t i = 0; i < node.size(); ++i) {
    auto id = read_id(node[i], fmt::format("{}[{}]", key_path, i));
    if (id) {
      ids.push_back(*id);
    } else {
      valid = false;
    }
  }
  if (!valid) return std::nullopt;
  return ids;
}

void YamlReader::check_duplicate_keys(const YAML::Node& map, const std::string& key_path) {
  std::set<std::string> seen;
  for (const auto& pair : map) {
    if (!pair.first.IsScalar()) continue;
    if (!seen.insert(pair.first.Scalar()).second) {
      report(pair.first, join_path(key_path, pair.first.Scalar()),
             LocalizedText{"\"" + pair.first.Scalar() + "\" 出现两次", "\"" + pair.first.Scalar() + "\" twice"},
             {"每个键只出现一次", "each key only once"});
    }
  }
}

void YamlReader::check_keys(const YAML::Node& map, const std::string& key_path,
                            std::initializer_list<std::string_view> allowed) {
  std::string allowed_list;
  for (std::string_view key : allowed) {
    if (!allowed_list.empty()) allowed_list += ", ";
    allowed_list += key;
  }
  for (const auto& pair : map) {
    std::string key = pair.first.IsScalar() ? pair.first.Scalar() : describe_node(pair.first).en;
    bool known = false;
    for (std::string_view candidate : allowed) known = known || candidate == key;
    if (!known) {
      report(pair.first, join_path(key_path, key), LocalizedText{"未知的键 \"" + key + "\"", "unknown key \"" + key + "\""},
             {"以下键之一：" + allowed_list, "one of the keys: " + allowed_list});
    }
  }
}

std::string YamlReader::read_required_id(const YAML::Node& map, std::string_view key, const std::string& key_path) {
  return read_id(require(map, key, key_path), join_path(key_path, key)).value_or("");
}

YAML::Node YamlReader::require(const YAML::Node& map, std::string_view key, const std::string& key_path) {
  YAML::Node child = map[std::string(key)];
  if (child.IsDefined()) return child;
  report(map, join_path(key_path, key), "", {fmt::format("必填键 {}", key), fmt::format("the required key {}", key)});
  // A missing key yields an invalid node that throws on use. Return a valid undefined node
  // instead: every read_* function skips it, since the problem is already reported.
  return YAML::Node(YAML::NodeType::Undefined);
}

}  // namespace sitecycle
