#include "workflow_loader.h"

#include "condition_loader.h"
#include "deadline_rule_loader.h"
#include "geojson_geometry.h"
#include "instant.h"
#include "workflow_catalog_loader.h"
#include "yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace sitecycle {

namespace {

std::optional<FieldSpec> read_field(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                                    const std::string& id, bool title_required);

void read_bounds(YamlReader& reader, const YAML::Node& node, const std::string& key_path, FieldSpec& spec) {
  for (auto [key, is_minimum] : {std::pair{"min", true}, std::pair{"max", false}}) {
    YAML::Node bound = node[key];
    if (!bound.IsDefined()) continue;
    std::string bound_path = join_path(key_path, key);
    if (spec.type == FieldType::date) {
      auto text = reader.read_string(bound, bound_path);
      if (text && !parse_date(*text)) {
        reader.report(bound, bound_path, describe_node(bound), {"YYYY-MM-DD 格式的日期", "a YYYY-MM-DD date"});
      } else if (text) {
        (is_minimum ? spec.minimum_date : spec.maximum_date) = *text;
      }
      continue;
    }
    if (spec.type == FieldType::boolean || spec.type == FieldType::enumeration || spec.type == FieldType::object) {
      reader.report(bound, bound_path, describe_node(bound),
                    {"无此键：min 和 max 只适用于 integer、number、string、list 和 date 字段",
                     "no such key: min and max apply to integer, number, string, list and date fields"});
      continue;
    }
    if (auto value = reader.read_number(bound, bound_path)) (is_minimum ? spec.minimum : spec.maximum) = *value;
  }
}

void read_format(YamlReader& reader, const YAML::Node& node, const std::string& key_path, FieldSpec& spec) {
  YAML::Node format = node["format"];
  if (!format.IsDefined()) return;
  std::string format_path = join_path(key_path, "format");
  if (spec.type != FieldType::string && spec.type != FieldType::object) {
    reader.report(format, format_path, describe_node(format),
                  {"无此键：format 只适用于 string 和 object 字段", "no such key: format applies to string and object fields only"});
    return;
  }
  auto text = reader.read_string(format, format_path);
  if (!text) return;
  if (spec.type == FieldType::string && *text != "unified_social_credit_code") {
    reader.report(format, format_path, describe_node(format),
                  {"string 字段的格式 unified_social_credit_code（统一社会信用代码）",
                   "the string format unified_social_credit_code"});
    return;
  }
  if (spec.type == FieldType::object && *text != kGeoJsonMultiPolygonFormat) {
    reader.report(format, format_path, describe_node(format),
                  {"object 字段的格式 geojson_multipolygon（GeoJSON 多多边形）", "the object format geojson_multipolygon"});
    return;
  }
  spec.format = *text;
}

void read_pattern(YamlReader& reader, const YAML::Node& node, const std::string& key_path, FieldSpec& spec) {
  YAML::Node pattern = node["pattern"];
  if (!pattern.IsDefined()) return;
  std::string pattern_path = join_path(key_path, "pattern");
  if (spec.type != FieldType::string) {
    reader.report(pattern, pattern_path, describe_node(pattern),
                  {"无此键：pattern 只适用于 string 字段", "no such key: pattern applies to string fields only"});
    return;
  }
  auto text = reader.read_string(pattern, pattern_path);
  if (!text) return;
  try {
    spec.compiled_pattern = std::make_shared<const std::regex>(*text, std::regex::ECMAScript);
    spec.pattern = *text;
  } catch (const std::regex_error& error) {
    reader.report(pattern, pattern_path, fmt::format("\"{}\" ({})", *text, error.what()),
                  {"有效的正则表达式（ECMAScript）", "a valid regular expression (ECMAScript)"});
  }
}

void read_enumeration(YamlReader& reader, const YAML::Node& node, const std::string& key_path, FieldSpec& spec) {
  YAML::Node values = reader.require(node, "values", key_path);
  std::string values_path = join_path(key_path, "values");
  if (values.IsDefined()) {
    if (!values.IsSequence() || values.size() == 0) {
      reader.report(values, values_path, describe_node(values), {"非空的取值列表", "a non-empty list of values"});
    } else if (auto ids = reader.read_id_list(values, values_path)) {
      spec.values = *ids;
    }
  }
  YAML::Node titles = node["value_titles"];
  if (!titles.IsDefined()) return;
  std::string titles_path = join_path(key_path, "value_titles");
  if (!reader.expect_map(titles, titles_path)) return;
  for (const auto& pair : titles) {
    std::string value = pair.first.Scalar();
    std::string value_path = join_path(titles_path, value);
    if (std::find(spec.values.begin(), spec.values.end(), value) == spec.values.end()) {
      reader.report(pair.first, value_path, "\"" + value + "\"",
                    {"values 中列出的取值", "a value listed under values"});
      continue;
    }
    if (auto title = reader.read_title(pair.second, value_path)) spec.value_titles[value] = *title;
  }
}

std::optional<FieldSchema> read_fields(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                                       bool title_required) {
  FieldSchema schema;
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  bool valid = true;
  for (const auto& pair : node) {
    std::string field_path = join_path(key_path, pair.first.Scalar());
    auto id = reader.read_id(pair.first, field_path);
    if (!id) {
      valid = false;
      continue;
    }
    auto spec = read_field(reader, pair.second, field_path, *id, title_required);
    if (spec) {
      schema[*id] = std::move(*spec);
    } else {
      valid = false;
    }
  }
  if (!valid) return std::nullopt;
  return schema;
}

std::optional<FieldSpec> read_field(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                                    const std::string& id, bool title_required) {
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path,
                    {"type", "title", "required", "read_only", "min", "max", "pattern", "format", "values",
                     "value_titles", "items", "fields"});
  std::size_t problems_before = reader.problem_count();

  FieldSpec spec;
  spec.id = id;
  spec.position = position_of(node);

  YAML::Node type_node = reader.require(node, "type", key_path);
  if (type_node.IsDefined()) {
    auto type = type_node.IsScalar() ? parse_field_type(type_node.Scalar()) : std::nullopt;
    if (!type) {
      reader.report(type_node, join_path(key_path, "type"), describe_node(type_node),
                    {"string、integer、number、boolean、date、enum、list 或 object",
                     "string, integer, number, boolean, date, enum, list or object"});
      return std::nullopt;
    }
    spec.type = *type;
  } else {
    return std::nullopt;
  }

  if (YAML::Node title = node["title"]; title.IsDefined()) {
    if (auto text = reader.read_title(title, join_path(key_path, "title"))) spec.title = *text;
  } else if (title_required) {
    reader.require(node, "title", key_path);
  }
  if (YAML::Node required = node["required"]; required.IsDefined()) {
    spec.required = reader.read_bool(required, join_path(key_path, "required")).value_or(false);
  }
  if (YAML::Node read_only = node["read_only"]; read_only.IsDefined()) {
    spec.read_only = reader.read_bool(read_only, join_path(key_path, "read_only")).value_or(false);
    if (spec.read_only && spec.required) {
      reader.report(read_only, join_path(key_path, "read_only"),
                    LocalizedText{"true，且同时 required: true", "true together with required: true"},
                    {"只读字段不能是创建时必填字段", "a read-only field that is not required at creation"});
    }
  }

  read_bounds(reader, node, key_path, spec);
  read_pattern(reader, node, key_path, spec);
  read_format(reader, node, key_path, spec);

  auto reject_key = [&](std::string_view key, LocalizedText why) {
    if (node[std::string(key)].IsDefined()) {
      reader.report(node[std::string(key)], join_path(key_path, key), describe_node(node[std::string(key)]), why);
    }
  };
  if (spec.type == FieldType::enumeration) {
    read_enumeration(reader, node, key_path, spec);
  } else {
    reject_key("values", {"无此键：values 只适用于 enum 字段", "no such key: values applies to enum fields only"});
    reject_key("value_titles", {"无此键：value_titles 只适用于 enum 字段", "no such key: value_titles applies to enum fields only"});
  }
  if (spec.type == FieldType::list) {
    YAML::Node items = reader.require(node, "items", key_path);
    if (items.IsDefined()) {
      auto item = read_field(reader, items, join_path(key_path, "items"), id, false);
      if (item) spec.items = std::make_shared<const FieldSpec>(std::move(*item));
    }
  } else {
    reject_key("items", {"无此键：items 只适用于 list 字段", "no such key: items applies to list fields only"});
  }
  if (spec.type == FieldType::object) {
    YAML::Node fields = reader.require(node, "fields", key_path);
    if (fields.IsDefined()) {
      if (auto nested = read_fields(reader, fields, join_path(key_path, "fields"), false)) spec.fields = std::move(*nested);
    }
  } else {
    reject_key("fields", {"无此键：fields 只适用于 object 字段", "no such key: fields applies to object fields only"});
  }

  if (reader.problem_count() != problems_before) return std::nullopt;
  return spec;
}

void read_states(YamlReader& reader, const YAML::Node& node, Workflow& workflow) {
  if (!reader.expect_map(node, "states")) return;
  for (const auto& pair : node) {
    std::string state_path = join_path("states", pair.first.Scalar());
    auto id = reader.read_id(pair.first, state_path);
    if (!id || !reader.expect_map(pair.second, state_path)) continue;
    reader.check_keys(pair.second, state_path, {"title", "initial", "final"});

    State state;
    state.id = *id;
    state.position = position_of(pair.first);
    if (auto title = reader.read_title(reader.require(pair.second, "title", state_path), join_path(state_path, "title"))) {
      state.title = *title;
    }
    if (YAML::Node initial = pair.second["initial"]; initial.IsDefined()) {
      state.initial = reader.read_bool(initial, join_path(state_path, "initial")).value_or(false);
    }
    if (YAML::Node final_flag = pair.second["final"]; final_flag.IsDefined()) {
      state.final = reader.read_bool(final_flag, join_path(state_path, "final")).value_or(false);
    }
    workflow.states.push_back(std::move(state));
  }
}

std::map<std::string, ValueSource> read_value_map(YamlReader& reader, const YAML::Node& node,
                                                  const std::string& key_path) {
  std::map<std::string, ValueSource> values;
  if (!reader.expect_map(node, key_path)) return values;
  for (const auto& pair : node) {
    std::string value_path = join_path(key_path, pair.first.Scalar());
    auto field = reader.read_id(pair.first, value_path);
    auto source = read_value_source(reader, pair.second, value_path);
    if (field && source) values[*field] = std::move(*source);
  }
  return values;
}

std::optional<Effect> read_effect(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"set", "open_case", "signal", "close", "when"});

  Effect effect;
  effect.position = position_of(node);
  int kinds = 0;
  if (YAML::Node set = node["set"]; set.IsDefined()) {
    ++kinds;
    effect.kind = Effect::Kind::set_fields;
    effect.set_fields.fields = read_value_map(reader, set, join_path(key_path, "set"));
  }
  if (YAML::Node open = node["open_case"]; open.IsDefined()) {
    ++kinds;
    effect.kind = Effect::Kind::open_case;
    std::string open_path = join_path(key_path, "open_case");
    if (reader.expect_map(open, open_path)) {
      reader.check_keys(open, open_path, {"workflow", "link_role", "back_role", "data"});
      effect.open_case.workflow = reader.read_required_id(open, "workflow", open_path);
      effect.open_case.link_role = reader.read_required_id(open, "link_role", open_path);
      effect.open_case.back_role = reader.read_required_id(open, "back_role", open_path);
      if (YAML::Node data = open["data"]; data.IsDefined()) {
        effect.open_case.data = read_value_map(reader, data, join_path(open_path, "data"));
      }
    }
  }
  if (YAML::Node signal = node["signal"]; signal.IsDefined()) {
    ++kinds;
    effect.kind = Effect::Kind::signal;
    std::string signal_path = join_path(key_path, "signal");
    if (reader.expect_map(signal, signal_path)) {
      reader.check_keys(signal, signal_path, {"link", "transition"});
      effect.signal.link = reader.read_required_id(signal, "link", signal_path);
      effect.signal.transition = reader.read_required_id(signal, "transition", signal_path);
    }
  }
  if (YAML::Node close = node["close"]; close.IsDefined()) {
    ++kinds;
    effect.kind = Effect::Kind::close_case;
    auto flag = reader.read_bool(close, join_path(key_path, "close"));
    if (flag && !*flag) {
      reader.report(close, join_path(key_path, "close"), "false", {"true（不需要关闭时删除此效果）", "true (remove the effect instead)"});
    }
  }
  if (kinds != 1) {
    reader.report(node, key_path, LocalizedText{fmt::format("{} 种效果", kinds), fmt::format("{} effect kinds", kinds)},
                  {"恰好一种效果：set、open_case、signal 或 close", "exactly one of set, open_case, signal or close"});
    return std::nullopt;
  }
  if (YAML::Node when = node["when"]; when.IsDefined()) {
    effect.when = read_condition(reader, when, join_path(key_path, "when"));
  }
  return effect;
}

void read_transition_input(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                           Transition& transition) {
  if (!reader.expect_map(node, key_path)) return;
  reader.check_keys(node, key_path, {"required", "optional"});
  if (YAML::Node required = node["required"]; required.IsDefined()) {
    transition.input.required = reader.read_id_list(required, join_path(key_path, "required")).value_or(std::vector<std::string>{});
  }
  if (YAML::Node optional = node["optional"]; optional.IsDefined()) {
    transition.input.optional = reader.read_id_list(optional, join_path(key_path, "optional")).value_or(std::vector<std::string>{});
  }
}

void read_transition(YamlReader& reader, const std::string& id, const YAML::Node& node, const std::string& key_path,
                     Workflow& workflow) {
  if (!reader.expect_map(node, key_path)) return;
  reader.check_keys(node, key_path, {"title", "from", "to", "roles", "input", "guard", "effects", "documents",
                                           "required_documents"});

  Transition transition;
  transition.id = id;
  transition.position = position_of(node);
  if (auto title = reader.read_title(reader.require(node, "title", key_path), join_path(key_path, "title"))) {
    transition.title = *title;
  }

  YAML::Node from = reader.require(node, "from", key_path);
  transition.from_position = position_of(from);
  if (from.IsDefined()) transition.from = reader.read_id_list(from, join_path(key_path, "from")).value_or(std::vector<std::string>{});

  if (YAML::Node to = node["to"]; to.IsDefined()) {
    transition.to_position = position_of(to);
    transition.to = reader.read_id(to, join_path(key_path, "to"));
  }

  YAML::Node roles = reader.require(node, "roles", key_path);
  transition.roles_position = position_of(roles);
  if (roles.IsDefined()) transition.roles = reader.read_id_list(roles, join_path(key_path, "roles")).value_or(std::vector<std::string>{});

  if (YAML::Node input = node["input"]; input.IsDefined()) read_transition_input(reader, input, join_path(key_path, "input"), transition);
  if (YAML::Node guard = node["guard"]; guard.IsDefined()) transition.guard = read_condition(reader, guard, join_path(key_path, "guard"));

  if (YAML::Node documents = node["documents"]; documents.IsDefined()) {
    transition.documents_position = position_of(documents);
    transition.documents = reader.read_id_list(documents, join_path(key_path, "documents")).value_or(std::vector<std::string>{});
  }
  if (YAML::Node required = node["required_documents"]; required.IsDefined()) {
    transition.required_documents_position = position_of(required);
    transition.required_documents =
        reader.read_id_list(required, join_path(key_path, "required_documents")).value_or(std::vector<std::string>{});
  }
  if (YAML::Node effects = node["effects"]; effects.IsDefined()) {
    std::string effects_path = join_path(key_path, "effects");
    if (reader.expect_sequence(effects, effects_path)) {
      for (std::size_t i = 0; i < effects.size(); ++i) {
        if (auto effect = read_effect(reader, effects[i], fmt::format("{}[{}]", effects_path, i))) {
          transition.effects.push_back(std::move(*effect));
        }
      }
    }
  }
  workflow.transitions.push_back(std::move(transition));
}

void read_deadlines(YamlReader& reader, const YAML::Node& node, Workflow& workflow) {
  if (!reader.expect_map(node, "deadlines")) return;
  for (const auto& pair : node) {
    std::string rule_path = join_path("deadlines", pair.first.Scalar());
    auto id = reader.read_id(pair.first, rule_path);
    if (!id || !reader.expect_map(pair.second, rule_path)) continue;

    auto rule = read_deadline_rule(reader, *id, pair.second, rule_path);
    if (!rule) continue;
    rule->position = position_of(pair.first);
    try {
      rule->definition = yaml_to_json(pair.second);
    } catch (const YamlTooLarge&) {
      reader.report(pair.second, rule_path, too_large_text(), {"一条较小的期限规则", "a smaller deadline rule"});
      continue;
    }
    workflow.deadlines.push_back(std::move(*rule));
  }
}

}  // namespace

static std::optional<Workflow> parse_workflow_document(std::string_view yaml_text, const std::string& file_name,
                                                Diagnostics& diagnostics);

std::optional<Workflow> parse_workflow(std::string_view yaml_text, const std::string& file_name,
                                       Diagnostics& diagnostics) {
  try {
    return parse_workflow_document(yaml_text, file_name, diagnostics);
  } catch (const YamlTooLarge& error) {
    diagnostics.push_back(Diagnostic{file_name, 0, 0, "", too_large_text(),
                                     {"更小的文件：请减少别名（alias）展开或嵌套层数", "a smaller document: fewer expanded aliases or levels of nesting"}});
    return std::nullopt;
  }
}

static std::optional<Workflow> parse_workflow_document(std::string_view yaml_text, const std::string& file_name,
                                                Diagnostics& diagnostics) {
  std::size_t problems_before = diagnostics.size();
  auto root = load_yaml_mapping(yaml_text, file_name, diagnostics,
                                {"id", "version", "title", "create_roles", "agency", "settings", "documents", "fields", "states",
                                 "transitions", "deadlines"});
  if (!root) return std::nullopt;
  YamlReader reader(file_name, diagnostics);

  Workflow workflow;
  workflow.source_file = file_name;
  workflow.source_text = std::string(yaml_text);
  workflow.position = position_of((*root)["id"]);
  workflow.id = reader.read_required_id(*root, "id", "");
  if (workflow.id.size() > kMaxWorkflowIdLength) {
    reader.report((*root)["id"], "id", "\"" + workflow.id + "\"",
                  {fmt::format("最多 {} 个字符的流程标识，以便生成的案件标识（流程标识_序号）不超过 64 个字符", kMaxWorkflowIdLength),
                   fmt::format("a workflow id of at most {} characters, so that generated case ids (WORKFLOW_NNNNNN) fit in 64",
                               kMaxWorkflowIdLength)});
  }
  if (YAML::Node version = reader.require(*root, "version", ""); version.IsDefined()) {
    auto number = reader.read_integer(version, "version");
    if (number && (*number < 1 || *number > 1000000)) {
      reader.report(version, "version", std::to_string(*number), {"1 到 1000000 之间的整数", "an integer from 1 to 1000000"});
    } else if (number) {
      workflow.version = static_cast<int>(*number);
    }
  }
  if (auto title = reader.read_title(reader.require(*root, "title", ""), "title")) workflow.title = *title;
  if (YAML::Node create_roles = (*root)["create_roles"]; create_roles.IsDefined()) {
    workflow.create_roles_position = position_of(create_roles);
    workflow.create_roles = reader.read_id_list(create_roles, "create_roles").value_or(std::vector<std::string>{});
  }

  if (YAML::Node agency = (*root)["agency"]; agency.IsDefined()) {
    workflow.agency_position = position_of(agency);
    if (auto selector = read_agency_selector(reader, agency, "agency")) workflow.agency = *selector;
  }
  if (YAML::Node settings = (*root)["settings"]; settings.IsDefined()) read_settings(reader, settings, workflow);
  if (YAML::Node documents = (*root)["documents"]; documents.IsDefined()) read_document_kinds(reader, documents, workflow);
  if (YAML::Node fields = (*root)["fields"]; fields.IsDefined()) {
    workflow.fields = read_fields(reader, fields, "fields", true).value_or(FieldSchema{});
  }
  if (YAML::Node states = reader.require(*root, "states", ""); states.IsDefined()) {
    workflow.states_position = position_of(states);
    read_states(reader, states, workflow);
  }
  if (YAML::Node transitions = reader.require(*root, "transitions", ""); transitions.IsDefined()) {
    if (reader.expect_map(transitions, "transitions")) {
      for (const auto& pair : transitions) {
        std::string transition_path = join_path("transitions", pair.first.Scalar());
        if (auto id = reader.read_id(pair.first, transition_path)) read_transition(reader, *id, pair.second, transition_path, workflow);
      }
    }
  }
  if (YAML::Node deadlines = (*root)["deadlines"]; deadlines.IsDefined()) read_deadlines(reader, deadlines, workflow);

  if (diagnostics.size() != problems_before) return std::nullopt;
  return workflow;
}

std::optional<RoleCatalog> parse_roles(std::string_view yaml_text, const std::string& file_name,
                                       Diagnostics& diagnostics) {
  std::size_t problems_before = diagnostics.size();
  auto root = load_yaml_mapping(yaml_text, file_name, diagnostics, {"roles"});
  if (!root) return std::nullopt;
  YamlReader reader(file_name, diagnostics);
  YAML::Node roles = reader.require(*root, "roles", "");
  RoleCatalog catalog;
  if (roles.IsDefined() && reader.expect_map(roles, "roles")) {
    for (const auto& pair : roles) {
      std::string role_path = join_path("roles", pair.first.Scalar());
      auto id = reader.read_id(pair.first, role_path);
      if (id && *id == kSystemRole) {
        reader.report(pair.first, role_path, "\"system\"", {"其他角色标识：system 为内置角色", "another id: system is built in"});
        continue;
      }
      auto title = reader.read_title(pair.second, role_path);
      if (id && title) catalog.roles[*id] = *title;
    }
  }
  if (diagnostics.size() != problems_before) return std::nullopt;
  return catalog;
}

}  // namespace sitecycle
