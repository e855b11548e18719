#include "workflow_validator.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace sitecycle {

namespace {

// The workflows each (workflow, link role) pair can reach, collected from open_case effects.
using LinkTargets = std::map<std::pair<std::string, std::string>, std::set<std::string>>;

struct ValidationContext {
  const std::map<std::string, WorkflowPtr>& workflows;
  const RoleCatalog& roles;
  const LinkTargets& links;
  Diagnostics& diagnostics;
};

void report(ValidationContext& context, const Workflow& workflow, Position position, const std::string& key_path,
            LocalizedText found, LocalizedText expected);

// `found` is a value quoted from the file.
void report(ValidationContext& context, const Workflow& workflow, Position position, const std::string& key_path,
            std::string found, LocalizedText expected) {
  report(context, workflow, position, key_path, verbatim(std::move(found)), std::move(expected));
}

void report(ValidationContext& context, const Workflow& workflow, Position position, const std::string& key_path,
            LocalizedText found, LocalizedText expected) {
  Diagnostic diagnostic;
  diagnostic.file = workflow.source_file;
  diagnostic.line = position.line;
  diagnostic.column = position.column;
  diagnostic.key_path = key_path;
  diagnostic.found = std::move(found);
  diagnostic.expected = std::move(expected);
  context.diagnostics.push_back(std::move(diagnostic));
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

std::string list_of_states(const Workflow& workflow) {
  std::vector<std::string> ids;
  for (const State& state : workflow.states) ids.push_back(state.id);
  return fmt::format("{}", fmt::join(ids, ", "));
}

std::string list_of_fields(const Workflow& workflow) {
  std::vector<std::string> ids;
  for (const auto& [id, spec] : workflow.fields) ids.push_back(id);
  return ids.empty() ? std::string("none declared") : fmt::format("{}", fmt::join(ids, ", "));
}

LinkTargets collect_link_targets(const std::map<std::string, WorkflowPtr>& workflows) {
  LinkTargets links;
  for (const auto& [id, workflow] : workflows) {
    for (const Transition& transition : workflow->transitions) {
      for (const Effect& effect : transition.effects) {
        if (effect.kind != Effect::Kind::open_case) continue;
        links[{id, effect.open_case.link_role}].insert(effect.open_case.workflow);
        links[{effect.open_case.workflow, effect.open_case.back_role}].insert(id);
      }
    }
  }
  return links;
}

std::set<std::string> link_roles_of(const ValidationContext& context, const std::string& workflow_id) {
  std::set<std::string> roles;
  for (const auto& [key, targets] : context.links) {
    if (key.first == workflow_id) roles.insert(key.second);
  }
  return roles;
}

// Checks one path used in a guard or an effect value. `inputs` is null outside a transition.
void check_path(ValidationContext& context, const Workflow& workflow, const ValuePath& path, Position position,
                const std::string& key_path, const std::set<std::string>* inputs) {
  const std::vector<std::string>& parts = path.parts;
  const std::string& root = parts.front();
  auto bad = [&](LocalizedText expected) { report(context, workflow, position, key_path, quoted(path.text), std::move(expected)); };

  if (root == "state" && parts.size() != 1) {
    bad({"state（没有下级路径）", "state (with no sub-path)"});
  } else if (root == "data") {
    if (parts.size() < 2 || workflow.fields.find(parts[1]) == workflow.fields.end()) {
      bad({"已声明字段的 data 路径：" + list_of_fields(workflow), "data. followed by a declared field: " + list_of_fields(workflow)});
    }
  } else if (root == "input") {
    if (parts.size() < 2 || inputs == nullptr || inputs->find(parts[1]) == inputs->end()) {
      bad({"本转换 input 中声明的字段", "input. followed by a field declared under this transition's input"});
    }
  } else if (root == "actor") {
    if (parts.size() != 2 || (parts[1] != "role" && parts[1] != "org" && parts[1] != "user")) {
      bad({"actor.role、actor.org 或 actor.user", "actor.role, actor.org or actor.user"});
    }
  } else if (root == "now") {
    if (parts.size() != 2 || (parts[1] != "date" && parts[1] != "instant")) bad({"now.date 或 now.instant", "now.date or now.instant"});
  } else if (root == "case") {
    if (parts.size() != 2 || parts[1] != "id") bad({"case.id", "case.id"});
  } else if (root == "setting") {
    if (parts.size() != 2 || workflow.find_setting(parts[1]) == nullptr) {
      std::vector<std::string> ids;
      for (const WorkflowSetting& setting : workflow.settings) ids.push_back(setting.id);
      std::string names = ids.empty() ? std::string("none") : fmt::format("{}", fmt::join(ids, ", "));
      bad({"setting. 后接本流程 settings 中声明的设置：" + names, "setting. followed by a setting this workflow declares: " + names});
    }
  } else if (root == "link") {
    std::set<std::string> known = link_roles_of(context, workflow.id);
    if (parts.size() < 2 || known.find(parts[1]) == known.end()) {
      std::string names = known.empty() ? std::string("none") : fmt::format("{}", fmt::join(known, ", "));
      bad({"本流程已知的关联角色（由 open_case 建立）：" + names, "a link role this workflow has through open_case: " + names});
    } else if (parts.size() > 2 && parts[2] != "state" && parts[2] != "id" && parts[2] != "data") {
      bad({"link.角色、link.角色.state、link.角色.id 或 link.角色.data.字段", "link.ROLE, link.ROLE.state, link.ROLE.id or link.ROLE.data.FIELD"});
    } else if ((parts.size() > 2 && parts[2] == "data" && parts.size() < 4) ||
               (parts.size() > 3 && parts[2] != "data")) {
      bad({"link.角色.data.字段", "link.ROLE.data.FIELD"});
    }
  }
}

// The values a path may take when they form a closed set. These are the state ids of this or a
// linked workflow, the values of an enum field (also of a linked case), the roles, or true and
// false for a boolean field or setting. Empty when the set is open.
struct ClosedValues {
  std::set<std::string> values;
  bool boolean = false;  // the literal must be a JSON true or false, not a string
};

void add_field_values(const FieldSchema& fields, const std::string& field_id, ClosedValues& closed) {
  auto field = fields.find(field_id);
  if (field == fields.end()) return;
  if (field->second.type == FieldType::enumeration) {
    closed.values.insert(field->second.values.begin(), field->second.values.end());
  } else if (field->second.type == FieldType::boolean) {
    closed.values = {"true", "false"};
    closed.boolean = true;
  }
}

// The workflows a link role of `workflow` reaches, or none when one is unknown.
std::vector<const Workflow*> linked_workflows(const ValidationContext& context, const Workflow& workflow,
                                              const std::string& role) {
  std::vector<const Workflow*> targets;
  auto found = context.links.find({workflow.id, role});
  if (found == context.links.end()) return {};
  for (const std::string& target : found->second) {
    auto linked = context.workflows.find(target);
    if (linked == context.workflows.end()) return {};
    targets.push_back(linked->second.get());
  }
  return targets;
}

ClosedValues closed_values(const ValidationContext& context, const Workflow& workflow, const ValuePath& path) {
  const std::vector<std::string>& parts = path.parts;
  ClosedValues closed;
  if (parts.size() == 1 && parts[0] == "state") {
    for (const State& state : workflow.states) closed.values.insert(state.id);
  } else if (parts.size() == 3 && parts[0] == "link" && parts[2] == "state") {
    for (const Workflow* target : linked_workflows(context, workflow, parts[1])) {
      for (const State& state : target->states) closed.values.insert(state.id);
    }
  } else if (parts.size() == 4 && parts[0] == "link" && parts[2] == "data") {
    std::vector<const Workflow*> targets = linked_workflows(context, workflow, parts[1]);
    if (targets.size() == 1) add_field_values(targets.front()->fields, parts[3], closed);
  } else if (parts.size() == 2 && (parts[0] == "data" || parts[0] == "input")) {
    add_field_values(workflow.fields, parts[1], closed);
  } else if (parts.size() == 2 && parts[0] == "setting") {
    const WorkflowSetting* setting = workflow.find_setting(parts[1]);
    if (setting != nullptr && setting->type == SettingType::boolean) closed = {{"true", "false"}, true};
  } else if (parts.size() == 2 && parts[0] == "actor" && parts[1] == "role") {
    for (const auto& [role, title] : context.roles.roles) closed.values.insert(role);
    closed.values.insert(kSystemRole);
  }
  return closed;
}

// A literal compared with a path of closed values must be one of them, so a misspelt state or
// enum value cannot make a guard silently never (or always) hold.
void check_compared_literal(ValidationContext& context, const Workflow& workflow, const Condition& condition,
                            const std::string& key_path) {
  if (condition.operand.path || condition.comparison == Comparison::exists) return;
  ClosedValues allowed = closed_values(context, workflow, condition.subject);
  if (allowed.values.empty()) return;
  const nlohmann::json& literal = condition.operand.literal;
  std::vector<nlohmann::json> items = literal.is_array() ? literal.get<std::vector<nlohmann::json>>()
                                                         : std::vector<nlohmann::json>{literal};
  for (const nlohmann::json& item : items) {
    const std::string text = item.is_string() ? item.get<std::string>() : item.dump();
    bool fits = allowed.boolean ? item.is_boolean() : item.is_string() && allowed.values.count(text) != 0;
    if (fits) continue;
    std::string names = allowed.boolean ? std::string("true, false (without quotes)")
                                        : fmt::format("{}", fmt::join(allowed.values, ", "));
    report(context, workflow, condition.position, key_path + "." + std::string(to_string(condition.comparison)),
           item.is_string() ? quoted(text) : text,
           {condition.subject.text + " 可能的取值：" + names, "a value " + condition.subject.text + " can take: " + names});
  }
}

void check_condition(ValidationContext& context, const Workflow& workflow, const Condition& condition,
                     const std::string& key_path, const std::set<std::string>* inputs) {
  if (condition.kind != Condition::Kind::comparison) {
    for (const Condition& child : condition.children) check_condition(context, workflow, child, key_path, inputs);
    return;
  }
  check_path(context, workflow, condition.subject, condition.position, key_path + ".path", inputs);
  if (condition.operand.path) {
    check_path(context, workflow, *condition.operand.path, condition.position, key_path, inputs);
  }
  check_compared_literal(context, workflow, condition, key_path);
}

void check_values(ValidationContext& context, const Workflow& workflow, const std::map<std::string, ValueSource>& values,
                  Position position, const std::string& key_path, const std::set<std::string>* inputs) {
  for (const auto& [field, source] : values) {
    if (source.path) check_path(context, workflow, *source.path, position, key_path + "." + field, inputs);
  }
}

// Checks a literal written by `set` against its field. Null clears the field, which a required field
// may not be.
void check_literal(ValidationContext& context, const Workflow& workflow, const FieldSpec& spec, const nlohmann::json& literal,
                   Position position, const std::string& key_path) {
  std::string found = literal.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (literal.is_null()) {
    if (spec.required) {
      report(context, workflow, position, key_path, "null",
             {"一个值：必填字段不能被清空", "a value: a required field cannot be cleared"});
    }
    return;
  }
  std::vector<FieldError> errors;
  check_value(spec, literal, "/data", errors);
  if (errors.empty()) return;
  report(context, workflow, position, key_path, LocalizedText{found, found},
         {"符合字段定义的值：" + errors.front().message.zh_cn, "a value that fits the field: " + errors.front().message.en});
}

void check_effect(ValidationContext& context, const Workflow& workflow, const Effect& effect, const std::string& key_path,
                  const std::set<std::string>& inputs) {
  if (effect.when) check_condition(context, workflow, *effect.when, key_path + ".when", &inputs);

  switch (effect.kind) {
    case Effect::Kind::set_fields:
      for (const auto& [field, source] : effect.set_fields.fields) {
        auto spec = workflow.fields.find(field);
        if (spec == workflow.fields.end()) {
          report(context, workflow, effect.position, key_path + ".set." + field, quoted(field),
                 {"已声明的字段：" + list_of_fields(workflow), "a declared field: " + list_of_fields(workflow)});
        } else if (!source.path) {
          check_literal(context, workflow, spec->second, source.literal, effect.position, key_path + ".set." + field);
        }
      }
      check_values(context, workflow, effect.set_fields.fields, effect.position, key_path + ".set", &inputs);
      break;

    case Effect::Kind::open_case: {
      const OpenCaseEffect& open = effect.open_case;
      auto target = context.workflows.find(open.workflow);
      if (target == context.workflows.end()) {
        report(context, workflow, effect.position, key_path + ".open_case.workflow", quoted(open.workflow),
               {"同一目录中已定义的流程标识", "the id of a workflow in the same folder"});
        break;
      }
      const Workflow& opened = *target->second;
      for (const auto& [field, source] : open.data) {
        if (opened.fields.find(field) == opened.fields.end()) {
          report(context, workflow, effect.position, key_path + ".open_case.data." + field, quoted(field),
                 {fmt::format("流程 {} 已声明的字段：{}", opened.id, list_of_fields(opened)),
                  fmt::format("a field declared by workflow {}: {}", opened.id, list_of_fields(opened))});
        }
      }
      for (const auto& [field, spec] : opened.fields) {
        if (spec.required && open.data.find(field) == open.data.end()) {
          report(context, workflow, effect.position, key_path + ".open_case.data", "",
                 {fmt::format("流程 {} 的必填字段 {}", opened.id, field),
                  fmt::format("a value for {}, which workflow {} requires", field, opened.id)});
        }
      }
      check_values(context, workflow, open.data, effect.position, key_path + ".open_case.data", &inputs);
      break;
    }

    case Effect::Kind::signal: {
      auto targets = context.links.find({workflow.id, effect.signal.link});
      if (targets == context.links.end()) {
        std::set<std::string> known = link_roles_of(context, workflow.id);
        std::string names = known.empty() ? std::string("none") : fmt::format("{}", fmt::join(known, ", "));
        report(context, workflow, effect.position, key_path + ".signal.link", quoted(effect.signal.link),
               {"本流程已知的关联角色：" + names, "a link role this workflow has: " + names});
        break;
      }
      for (const std::string& target_id : targets->second) {
        auto target = context.workflows.find(target_id);
        if (target == context.workflows.end()) continue;
        const Transition* signalled = target->second->find_transition(effect.signal.transition);
        bool system_may_fire = signalled != nullptr && std::find(signalled->roles.begin(), signalled->roles.end(),
                                                                  kSystemRole) != signalled->roles.end();
        if (!system_may_fire) {
          report(context, workflow, effect.position, key_path + ".signal.transition", quoted(effect.signal.transition),
                 {fmt::format("流程 {} 中角色含 system 的转换", target_id),
                  fmt::format("a transition of workflow {} whose roles include system", target_id)});
        }
      }
      break;
    }

    case Effect::Kind::close_case: break;
  }
}

void check_create_roles(ValidationContext& context, const Workflow& workflow) {
  for (const std::string& role : workflow.create_roles) {
    if (!context.roles.contains(role) || role == kSystemRole) {
      report(context, workflow, workflow.create_roles_position, "create_roles", quoted(role),
             {"roles.yaml 中定义的角色（不含 system）", "a role defined in roles.yaml (not system)"});
    }
  }
}

void check_states(ValidationContext& context, const Workflow& workflow) {
  std::vector<const State*> initial;
  for (const State& state : workflow.states) {
    if (state.initial) initial.push_back(&state);
    if (state.initial && state.final) {
      report(context, workflow, state.position, "states." + state.id, LocalizedText{"同时为初始状态和终态", "initial and final"},
             {"初始状态不能同时是终态", "an initial state that is not final"});
    }
  }
  if (initial.size() != 1) {
    Position where = initial.size() > 1 ? initial[1]->position : workflow.states_position;
    report(context, workflow, where, "states",
           {fmt::format("{} 个初始状态", initial.size()), fmt::format("{} initial states", initial.size())},
           {"恰好一个 initial: true 的状态", "exactly one state with initial: true"});
  }
}

// Each document kind in `documents` listed once and declared in the workflow's catalogue.
void check_document_list(ValidationContext& context, const Workflow& workflow, const std::vector<std::string>& documents,
                         const Position& position, const std::string& key_path) {
  std::set<std::string> listed_documents;
  for (const std::string& document : documents) {
    if (!listed_documents.insert(document).second) {
      report(context, workflow, position, key_path, {quoted(document) + " 出现两次", quoted(document) + " twice"},
             {"每种文件只列一次", "each document kind listed once"});
    }
    if (workflow.find_document(document) != nullptr) continue;
    std::vector<std::string> ids;
    for (const DocumentKind& kind : workflow.documents) ids.push_back(kind.id);
    std::string names = ids.empty() ? std::string("none") : fmt::format("{}", fmt::join(ids, ", "));
    report(context, workflow, position, key_path, quoted(document),
           {"本流程 documents 中声明的文件类型：" + names, "a document kind this workflow declares under documents: " + names});
  }
}

void check_transition(ValidationContext& context, const Workflow& workflow, const Transition& transition,
                      const std::set<std::string>& signalled) {
  std::string key_path = "transitions." + transition.id;
  for (const std::string& from : transition.from) {
    const State* state = workflow.find_state(from);
    if (state == nullptr) {
      report(context, workflow, transition.from_position, key_path + ".from", quoted(from),
             {"已定义的状态：" + list_of_states(workflow), "a defined state: " + list_of_states(workflow)});
    } else if (state->final) {
      report(context, workflow, transition.from_position, key_path + ".from", quoted(from),
             {"非终态（终态不能再转换）", "a state that is not final (final states accept no transitions)"});
    }
  }
  if (transition.to && workflow.find_state(*transition.to) == nullptr) {
    report(context, workflow, transition.to_position, key_path + ".to", quoted(*transition.to),
           {"已定义的状态：" + list_of_states(workflow), "a defined state: " + list_of_states(workflow)});
  }

  bool person_may_fire = false;
  for (const std::string& role : transition.roles) {
    if (!context.roles.contains(role)) {
      report(context, workflow, transition.roles_position, key_path + ".roles", quoted(role),
             {"roles.yaml 中定义的角色", "a role defined in roles.yaml"});
    }
    person_may_fire = person_may_fire || role != kSystemRole;
  }
  if (!person_may_fire && signalled.find(transition.id) == signalled.end()) {
    report(context, workflow, transition.roles_position, key_path + ".roles",
           transition.roles.empty() ? LocalizedText{"没有角色", "no roles"}
                                    : LocalizedText{"只有 system，且没有信号触发它", "only system, and no signal fires it"},
           {"至少一个可以触发此转换的角色", "at least one role that can fire this transition"});
  }

  std::set<std::string> inputs;
  for (const auto* list : {&transition.input.required, &transition.input.optional}) {
    for (const std::string& field : *list) {
      auto spec = workflow.fields.find(field);
      if (spec == workflow.fields.end()) {
        report(context, workflow, transition.position, key_path + ".input", quoted(field),
               {"已声明的字段：" + list_of_fields(workflow), "a declared field: " + list_of_fields(workflow)});
      } else if (spec->second.read_only) {
        report(context, workflow, transition.position, key_path + ".input",
               {quoted(field) + "（只读）", quoted(field) + " (read_only)"},
               {"非只读字段：只读字段只能由 set 效果写入", "a field that is not read_only: read-only fields are written by set effects only"});
      }
      if (!inputs.insert(field).second) {
        report(context, workflow, transition.position, key_path + ".input",
               {quoted(field) + " 出现两次", quoted(field) + " twice"},
               {"每个输入字段只列一次", "each input field listed once"});
      }
    }
  }

  check_document_list(context, workflow, transition.documents, transition.documents_position, key_path + ".documents");
  check_document_list(context, workflow, transition.required_documents, transition.required_documents_position,
                      key_path + ".required_documents");

  if (transition.guard) check_condition(context, workflow, *transition.guard, key_path + ".guard", &inputs);
  for (std::size_t i = 0; i < transition.effects.size(); ++i) {
    check_effect(context, workflow, transition.effects[i], fmt::format("{}.effects[{}]", key_path, i), inputs);
  }
}

void check_reachability(ValidationContext& context, const Workflow& workflow) {
  const State* initial = workflow.initial_state();
  if (initial == nullptr) return;

  std::set<std::string> reached{initial->id};
  bool grew = true;
  while (grew) {
    grew = false;
    for (const Transition& transition : workflow.transitions) {
      if (!transition.to || reached.count(*transition.to)) continue;
      for (const std::string& from : transition.from) {
        if (reached.count(from)) {
          reached.insert(*transition.to);
          grew = true;
          break;
        }
      }
    }
  }

  for (const State& state : workflow.states) {
    if (!reached.count(state.id)) {
      report(context, workflow, state.position, "states." + state.id,
             LocalizedText{"没有任何转换能到达的状态", "a state no transition leads to"},
             {"从初始状态可到达的状态", "a state reachable from the initial state"});
    }
    if (state.final) continue;
    bool has_exit = false;
    for (const Transition& transition : workflow.transitions) {
      bool leaves = transition.to && *transition.to != state.id;
      for (const std::string& from : transition.from) has_exit = has_exit || (leaves && from == state.id);
    }
    if (!has_exit) {
      report(context, workflow, state.position, "states." + state.id,
             LocalizedText{"没有离开转换的非终态", "a non-final state with no transition out"},
             {"final: true，或一个离开该状态的转换", "final: true, or a transition that leaves this state"});
    }
  }
}

void check_trigger_names(ValidationContext& context, const Workflow& workflow, const DeadlineTriggers& triggers,
                         const std::string& key_path) {
  for (const std::string& state : triggers.on_enter) {
    if (workflow.find_state(state) != nullptr) continue;
    report(context, workflow, triggers.position, key_path + ".on_enter", quoted(state),
           LocalizedText{"已定义的状态：" + list_of_states(workflow), "a defined state: " + list_of_states(workflow)});
  }
  for (const std::string& state : triggers.on_leave) {
    if (workflow.find_state(state) != nullptr) continue;
    report(context, workflow, triggers.position, key_path + ".on_leave", quoted(state),
           LocalizedText{"已定义的状态：" + list_of_states(workflow), "a defined state: " + list_of_states(workflow)});
  }
  for (const std::string& transition : triggers.on_transition) {
    if (workflow.find_transition(transition) != nullptr) continue;
    std::vector<std::string> ids;
    for (const Transition& defined : workflow.transitions) ids.push_back(defined.id);
    std::string listed = fmt::format("{}", fmt::join(ids, ", "));
    report(context, workflow, triggers.position, key_path + ".on_transition", quoted(transition),
           LocalizedText{"已定义的转换：" + listed, "a defined transition: " + listed});
  }
}

void check_date_field(ValidationContext& context, const Workflow& workflow, const std::string& field,
                      Position position, const std::string& key_path) {
  auto spec = workflow.fields.find(field);
  if (spec != workflow.fields.end() && spec->second.type == FieldType::date) return;
  std::vector<std::string> date_fields;
  for (const auto& [id, declared] : workflow.fields) {
    if (declared.type == FieldType::date) date_fields.push_back(id);
  }
  std::string listed = date_fields.empty() ? std::string("none declared") : fmt::format("{}", fmt::join(date_fields, ", "));
  report(context, workflow, position, key_path, quoted(field),
         LocalizedText{"date 类型的已定义字段：" + listed, "a declared field of type date: " + listed});
}

void check_notify_roles(ValidationContext& context, const Workflow& workflow, const std::vector<std::string>& roles,
                        Position position, const std::string& key_path) {
  for (const std::string& role : roles) {
    if (context.roles.contains(role) && role != kSystemRole) continue;
    report(context, workflow, position, key_path, quoted(role),
           {"roles.yaml 中定义的角色（不含 system）", "a role defined in roles.yaml (not system)"});
  }
}

void check_district_field(ValidationContext& context, const Workflow& workflow, const AgencySelector& selector,
                          Position position, const std::string& key_path) {
  if (!selector.district_field) return;
  auto field = workflow.fields.find(*selector.district_field);
  bool names_district = field != workflow.fields.end() &&
                        (field->second.type == FieldType::string || field->second.type == FieldType::enumeration);
  if (!names_district) {
    report(context, workflow, position, key_path, quoted(*selector.district_field),
           LocalizedText{"string 或 enum 类型的已定义字段，其值为区标识", "a declared string or enum field holding a district id"});
  }
}

// A count read from a case field needs an integer field.
void check_count_field(ValidationContext& context, const Workflow& workflow, const DeadlineAmount& amount,
                       const std::string& key_path) {
  auto field = workflow.fields.find(*amount.field);
  if (field != workflow.fields.end() && field->second.type == FieldType::integer) return;
  std::vector<std::string> integers;
  for (const auto& [id, spec] : workflow.fields) {
    if (spec.type == FieldType::integer) integers.push_back(id);
  }
  std::string names = integers.empty() ? std::string("none") : fmt::format("{}", fmt::join(integers, ", "));
  report(context, workflow, amount.position, key_path, quoted(*amount.field),
         {"integer 类型的已定义字段：" + names, "a declared integer field: " + names});
}

void check_settings(ValidationContext& context, const Workflow& workflow) {
  check_district_field(context, workflow, workflow.agency, workflow.agency_position, "agency.district_field");
}

void check_deadline(ValidationContext& context, const Workflow& workflow, const DeadlineRule& rule) {
  std::string key_path = "deadlines." + rule.id;
  const std::pair<const DeadlineTriggers*, const char*> phases[] = {
      {&rule.start, "start"},   {&rule.stop, "stop"},     {&rule.complete, "complete"}, {&rule.cancel, "cancel"},
      {&rule.pause, "pause"},   {&rule.resume, "resume"}, {&rule.restart, "restart"}};
  for (const auto& [triggers, phase] : phases) check_trigger_names(context, workflow, *triggers, key_path + "." + phase);
  for (const std::string& field : rule.start.on_field) {
    check_date_field(context, workflow, field, rule.start.position, key_path + ".start.on_field");
  }
  if (rule.duration.kind == DurationKind::before_date) {
    check_date_field(context, workflow, rule.duration.date_field, rule.duration.position, key_path + ".duration.before.field");
  }
  check_district_field(context, workflow, rule.agency, rule.position, key_path + ".agency.district_field");
  const char* unit = rule.duration.kind == DurationKind::months          ? "months"
                     : rule.duration.kind == DurationKind::calendar_days ? "calendar_days"
                                                                         : "working_days";
  if (rule.duration.amount.field) {
    check_count_field(context, workflow, rule.duration.amount, fmt::format("{}.duration.{}.field", key_path, unit));
  }
  if (rule.warning_working_days.field) {
    check_count_field(context, workflow, rule.warning_working_days, key_path + ".warning.working_days.field");
  }
  check_notify_roles(context, workflow, {rule.responsible}, rule.position, key_path + ".responsible");
  check_notify_roles(context, workflow, rule.warning_notify, rule.position, key_path + ".warning.notify");
  check_notify_roles(context, workflow, rule.breach_notify, rule.position, key_path + ".breach.notify");
  for (std::size_t i = 0; i < rule.escalation.size(); ++i) {
    check_notify_roles(context, workflow, rule.escalation[i].notify, rule.escalation[i].position,
                       fmt::format("{}.escalation[{}].notify", key_path, i));
  }
}

std::set<std::string> signalled_transitions(const std::map<std::string, WorkflowPtr>& workflows, const LinkTargets& links,
                                            const std::string& target_id) {
  std::set<std::string> signalled;
  for (const auto& [id, workflow] : workflows) {
    for (const Transition& transition : workflow->transitions) {
      for (const Effect& effect : transition.effects) {
        if (effect.kind != Effect::Kind::signal) continue;
        auto targets = links.find({id, effect.signal.link});
        if (targets != links.end() && targets->second.count(target_id)) signalled.insert(effect.signal.transition);
      }
    }
  }
  return signalled;
}

// A transition and the signalled transitions it leads to, for finding signal cycles.
using TransitionKey = std::pair<std::string, std::string>;  // (workflow id, transition id)

struct SignalEdge {
  TransitionKey target;
  Position position;
};

std::map<TransitionKey, std::vector<SignalEdge>> signal_graph(const std::map<std::string, WorkflowPtr>& workflows,
                                                              const LinkTargets& links) {
  std::map<TransitionKey, std::vector<SignalEdge>> graph;
  for (const auto& [id, workflow] : workflows) {
    for (const Transition& transition : workflow->transitions) {
      for (const Effect& effect : transition.effects) {
        if (effect.kind != Effect::Kind::signal) continue;
        auto targets = links.find({id, effect.signal.link});
        if (targets == links.end()) continue;
        for (const std::string& target : targets->second) {
          graph[{id, transition.id}].push_back({{target, effect.signal.transition}, effect.position});
        }
      }
    }
  }
  return graph;
}

// Depth-first search that reports each cycle once, at the signal that closes it. A cycle would
// cascade until the runtime's depth limit rejects the command.
class SignalCycleFinder {
 public:
  SignalCycleFinder(const std::map<TransitionKey, std::vector<SignalEdge>>& graph, ValidationContext& context)
      : graph_(graph), context_(context) {}

  void run() {
    for (const auto& [node, edges] : graph_) {
      if (!done_.count(node)) visit(node);
    }
  }

 private:
  void visit(const TransitionKey& node) {
    path_.push_back(node);
    on_path_.insert(node);
    auto edges = graph_.find(node);
    if (edges != graph_.end()) {
      for (const SignalEdge& edge : edges->second) {
        if (on_path_.count(edge.target)) {
          report_cycle(node, edge);
        } else if (!done_.count(edge.target)) {
          visit(edge.target);
        }
      }
    }
    on_path_.erase(node);
    path_.pop_back();
    done_.insert(node);
  }

  void report_cycle(const TransitionKey& from, const SignalEdge& edge) {
    std::string cycle;
    bool in_cycle = false;
    for (const TransitionKey& step : path_) {
      in_cycle = in_cycle || step == edge.target;
      if (in_cycle) cycle += step.first + "." + step.second + " -> ";
    }
    cycle += edge.target.first + "." + edge.target.second;
    auto workflow = context_.workflows.find(from.first);
    if (workflow == context_.workflows.end()) return;
    report(context_, *workflow->second, edge.position, "transitions." + from.second + ".signal", verbatim(cycle),
           {"无循环的信号链：信号循环会一直级联，直到命令因超过深度限制被拒绝",
            "signals without a cycle: a cycle cascades until the command is rejected at the depth limit"});
  }

  const std::map<TransitionKey, std::vector<SignalEdge>>& graph_;
  ValidationContext& context_;
  std::vector<TransitionKey> path_;
  std::set<TransitionKey> on_path_;
  std::set<TransitionKey> done_;
};

}  // namespace

void validate_workflows(const std::vector<WorkflowPtr>& workflows, const RoleCatalog& roles, Diagnostics& diagnostics) {
  std::map<std::string, WorkflowPtr> by_id;
  for (const WorkflowPtr& workflow : workflows) {
    auto [existing, inserted] = by_id.emplace(workflow->id, workflow);
    if (!inserted) {
      Diagnostic diagnostic;
      diagnostic.file = workflow->source_file;
      diagnostic.line = workflow->position.line;
      diagnostic.column = workflow->position.column;
      diagnostic.key_path = "id";
      diagnostic.found = {fmt::format("\"{}\"，也定义于 {}", workflow->id, existing->second->source_file),
                          fmt::format("\"{}\", also defined in {}", workflow->id, existing->second->source_file)};
      diagnostic.expected = {"在目录中唯一的流程标识", "a workflow id that is unique in the folder"};
      diagnostics.push_back(std::move(diagnostic));
    }
  }

  LinkTargets links = collect_link_targets(by_id);
  ValidationContext context{by_id, roles, links, diagnostics};
  for (const auto& [id, workflow] : by_id) {
    std::set<std::string> signalled = signalled_transitions(by_id, links, id);
    check_create_roles(context, *workflow);
    check_states(context, *workflow);
    for (const Transition& transition : workflow->transitions) check_transition(context, *workflow, transition, signalled);
    check_reachability(context, *workflow);
    check_settings(context, *workflow);
    for (const DeadlineRule& rule : workflow->deadlines) check_deadline(context, *workflow, rule);
  }
  SignalCycleFinder(signal_graph(by_id, links), context).run();
}

}  // namespace sitecycle
