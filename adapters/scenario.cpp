#include "adapters/scenario.h"

#include "adapters/clock.h"
#include "engine/yaml_reader.h"

#include <fmt/format.h>

#include <set>

namespace sitecycle {

namespace {

namespace fs = std::filesystem;

// "2021-11": the first instant of that month in Asia/Shanghai.
std::optional<Instant> parse_month(const std::string& text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  return parse_instant(text + "-01");
}

std::optional<Actor> read_actor(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined() || !reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"role", "org", "user"});
  Actor actor;
  actor.role = reader.read_required_id(node, "role", key_path);
  if (YAML::Node org = node["org"]; org.IsDefined()) actor.org = reader.read_id(org, join_path(key_path, "org")).value_or("");
  if (YAML::Node user = node["user"]; user.IsDefined()) actor.user = reader.read_id(user, join_path(key_path, "user")).value_or("");
  return actor;
}

std::optional<std::string> read_case_name(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  auto text = reader.read_string(node, key_path);
  if (!text) return std::nullopt;
  bool valid = !text->empty();
  std::size_t start = 0;
  while (valid && start <= text->size()) {
    std::size_t end = text->find('.', start);
    if (end == std::string::npos) end = text->size();
    valid = is_snake_case_id(text->substr(start, end - start));
    start = end + 1;
  }
  if (!valid) {
    reader.report(node, key_path, describe_node(node),
                  {"场景内的案件名，或 名称.关联角色，例如 parcel.investigation",
                   "a scenario case name, or NAME.LINK_ROLE such as parcel.investigation"});
    return std::nullopt;
  }
  return text;
}

nlohmann::json read_object(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined()) return nlohmann::json::object();
  if (node.IsNull()) return nlohmann::json::object();
  if (!reader.expect_map(node, key_path)) return nlohmann::json::object();
  return yaml_to_json(node);
}

StepTime read_time(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  StepTime time;
  auto text = reader.read_string(node, key_path);
  if (!text) return time;
  time.text = *text;
  if (*text == "not_published") {
    time.kind = StepTime::Kind::not_published;
    return time;
  }
  std::optional<Instant> instant = text->size() == 7 ? parse_month(*text) : parse_instant(*text);
  if (!instant) {
    reader.report(node, key_path, describe_node(node),
                  {fmt::format("{} 至 {} 年间的时间：2022-01-13T10:00:00+08:00、2022-01-13T10:00:00（上海时间）、"
                               "2022-01-13、2021-11，或 not_published",
                               kMinSupportedYear, kMaxSupportedYear),
                   fmt::format("a time in the years {} to {}: 2022-01-13T10:00:00+08:00, 2022-01-13T10:00:00 "
                               "(Asia/Shanghai), 2022-01-13, 2021-11, or not_published",
                               kMinSupportedYear, kMaxSupportedYear)});
    return time;
  }
  time.kind = StepTime::Kind::instant;
  time.instant = *instant;
  return time;
}

std::optional<std::chrono::seconds> read_advance(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"days", "hours", "minutes"});
  std::chrono::seconds total{0};
  for (auto [key, unit] : {std::pair{"days", 86400}, std::pair{"hours", 3600}, std::pair{"minutes", 60}}) {
    YAML::Node amount = node[key];
    if (!amount.IsDefined()) continue;
    auto value = reader.read_integer(amount, join_path(key_path, key));
    if (value && (*value < 0 || *value > 36500LL * 86400 / unit)) {
      reader.report(amount, join_path(key_path, key), std::to_string(*value),
                    {"不为负、且不超过一百年的数量", "a non-negative amount of at most a hundred years"});
    } else if (value) {
      total += std::chrono::seconds{*value * unit};
    }
  }
  return total;
}

std::optional<CreateAction> read_create(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"name", "workflow", "id", "actor", "data", "comment"});
  CreateAction create;
  create.name = reader.read_required_id(node, "name", key_path);
  create.workflow = reader.read_required_id(node, "workflow", key_path);
  if (YAML::Node id = node["id"]; id.IsDefined()) create.case_id = reader.read_id(id, join_path(key_path, "id"));
  create.actor = read_actor(reader, reader.require(node, "actor", key_path), join_path(key_path, "actor")).value_or(Actor{});
  create.data = read_object(reader, node["data"], join_path(key_path, "data"));
  if (YAML::Node comment = node["comment"]; comment.IsDefined()) create.comment = reader.read_string(comment, join_path(key_path, "comment")).value_or("");
  return create;
}

std::optional<FireAction> read_fire(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"case", "transition", "actor", "input", "comment"});
  FireAction fire;
  fire.case_name = read_case_name(reader, reader.require(node, "case", key_path), join_path(key_path, "case")).value_or("");
  fire.transition = reader.read_required_id(node, "transition", key_path);
  fire.actor = read_actor(reader, reader.require(node, "actor", key_path), join_path(key_path, "actor")).value_or(Actor{});
  fire.input = read_object(reader, node["input"], join_path(key_path, "input"));
  if (YAML::Node comment = node["comment"]; comment.IsDefined()) fire.comment = reader.read_string(comment, join_path(key_path, "comment")).value_or("");
  return fire;
}

std::optional<DeadlineExpectation> read_deadline_expectation(YamlReader& reader, const std::string& rule,
                                                             const YAML::Node& node, const std::string& key_path) {
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"cycle", "status", "due_on", "light", "provisional"});
  DeadlineExpectation expect;
  expect.rule = rule;
  expect.position = position_of(node);
  if (YAML::Node cycle = node["cycle"]; cycle.IsDefined()) {
    auto value = reader.read_integer(cycle, join_path(key_path, "cycle"));
    if (value && (*value < 1 || *value > 1000000)) {
      reader.report(cycle, join_path(key_path, "cycle"), describe_node(cycle), {"从 1 开始的周期序号", "a cycle number from 1"});
    } else if (value) {
      expect.cycle = static_cast<int>(*value);
    }
  }
  if (YAML::Node status = node["status"]; status.IsDefined()) {
    static const std::set<std::string> kStatuses{"armed", "warned", "breached", "escalated", "paused", "met", "cancelled"};
    auto text = reader.read_id(status, join_path(key_path, "status"));
    if (text && !kStatuses.contains(*text)) {
      reader.report(status, join_path(key_path, "status"), *text,
                    {"armed、warned、breached、escalated、paused、met 或 cancelled",
                     "armed, warned, breached, escalated, paused, met or cancelled"});
    } else if (text) {
      expect.status = *text;
    }
  }
  if (YAML::Node due = node["due_on"]; due.IsDefined()) {
    auto text = reader.read_string(due, join_path(key_path, "due_on"));
    if (text && !parse_date(*text)) {
      reader.report(due, join_path(key_path, "due_on"), describe_node(due), {"YYYY-MM-DD 格式的日期", "a YYYY-MM-DD date"});
    } else if (text) {
      expect.due_on = *text;
    }
  }
  if (YAML::Node light = node["light"]; light.IsDefined()) {
    static const std::set<std::string> kLights{"green", "yellow", "red", "grey", "none"};
    auto text = reader.read_id(light, join_path(key_path, "light"));
    if (text && !kLights.contains(*text)) {
      reader.report(light, join_path(key_path, "light"), *text, {"green、yellow、red、grey 或 none", "green, yellow, red, grey or none"});
    } else if (text) {
      expect.light = *text;
    }
  }
  if (YAML::Node provisional = node["provisional"]; provisional.IsDefined()) {
    expect.provisional = reader.read_bool(provisional, join_path(key_path, "provisional"));
  }
  return expect;
}

void read_deadline_expectations(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                                Expectation& expect) {
  if (!node.IsDefined() || !reader.expect_map(node, key_path)) return;
  for (const auto& pair : node) {
    std::string rule_path = join_path(key_path, pair.first.Scalar());
    auto rule = reader.read_id(pair.first, rule_path);
    if (!rule) continue;
    if (auto deadline = read_deadline_expectation(reader, *rule, pair.second, rule_path)) {
      expect.deadlines.push_back(std::move(*deadline));
    }
  }
}

void read_event_counts(YamlReader& reader, const YAML::Node& node, const std::string& key_path, Expectation& expect) {
  if (!node.IsDefined() || !reader.expect_map(node, key_path)) return;
  for (const auto& pair : node) {
    std::string kind_path = join_path(key_path, pair.first.Scalar());
    auto kind = reader.read_id(pair.first, kind_path);
    auto count = reader.read_integer(pair.second, kind_path);
    if (kind && count && *count >= 0) {
      expect.event_counts[*kind] = static_cast<int>(*count);
    } else if (count) {
      reader.report(pair.second, kind_path, describe_node(pair.second), {"不小于 0 的整数", "an integer of at least 0"});
    }
  }
}

std::optional<Expectation> read_expect(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"case", "state", "fields", "deadlines", "events"});
  Expectation expect;
  expect.case_name = read_case_name(reader, reader.require(node, "case", key_path), join_path(key_path, "case")).value_or("");
  if (YAML::Node state = node["state"]; state.IsDefined()) expect.state = reader.read_id(state, join_path(key_path, "state"));
  expect.fields = read_object(reader, node["fields"], join_path(key_path, "fields"));
  read_deadline_expectations(reader, node["deadlines"], join_path(key_path, "deadlines"), expect);
  read_event_counts(reader, node["events"], join_path(key_path, "events"), expect);
  if (!expect.state && expect.fields.empty() && expect.deadlines.empty() && expect.event_counts.empty()) {
    reader.report(node, key_path, "", {"state、fields、deadlines 或 events 中至少一项（且不为空）",
                                       "at least one of state, fields, deadlines or events (not empty)"});
  }
  return expect;
}

std::optional<ErrorCode> read_error_code(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  auto code = node.IsScalar() ? parse_error_code(node.Scalar()) : std::nullopt;
  if (!code) {
    reader.report(node, key_path, describe_node(node),
                  {"稳定的错误代码，例如 guard_failed、role_not_allowed、no_such_transition、invalid_input、case_closed、not_found",
                   "a stable error code such as guard_failed, role_not_allowed, no_such_transition, invalid_input, case_closed, not_found"});
  }
  return code;
}

// `guard_failed`, or {code: guard_failed, reason_contains: 文字, basis_contains: 第六十五条}.
std::optional<ExpectedRejection> read_expected_rejection(YamlReader& reader, const YAML::Node& node,
                                                         const std::string& key_path) {
  ExpectedRejection expected;
  if (!node.IsMap()) {
    auto code = read_error_code(reader, node, key_path);
    if (!code) return std::nullopt;
    expected.code = *code;
    return expected;
  }
  reader.check_keys(node, key_path, {"code", "reason_contains", "basis_contains"});
  YAML::Node code_node = reader.require(node, "code", key_path);
  if (!code_node.IsDefined()) return std::nullopt;
  auto code = read_error_code(reader, code_node, join_path(key_path, "code"));
  if (!code) return std::nullopt;
  expected.code = *code;
  for (auto [key, target] : {std::pair{"reason_contains", &expected.reason_contains},
                             std::pair{"basis_contains", &expected.basis_contains}}) {
    YAML::Node text = node[key];
    if (!text.IsDefined()) continue;
    auto value = reader.read_string(text, join_path(key_path, key));
    if (value && value->empty()) {
      reader.report(text, join_path(key_path, key), describe_node(text), {"非空文字", "non-empty text"});
    } else if (value) {
      *target = *value;
    }
  }
  return expected;
}

void read_step(YamlReader& reader, const YAML::Node& node, const std::string& key_path, ScenarioStep& step) {
  reader.check_keys(node, key_path, {"at", "advance", "restart", "create", "fire", "expect", "expect_rejection", "note"});
  bool restart_given = false;
  if (YAML::Node restart = node["restart"]; restart.IsDefined()) {
    restart_given = true;
    step.restart = restart.IsScalar() && restart.Tag() != "!" && restart.Scalar() == "true";
    if (!step.restart) {
      reader.report(restart, join_path(key_path, "restart"), describe_node(restart), {"true（或删除该键）", "true (or remove the key)"});
    }
  }
  if (YAML::Node at = node["at"]; at.IsDefined()) step.time = read_time(reader, at, join_path(key_path, "at"));
  if (YAML::Node advance = node["advance"]; advance.IsDefined()) step.advance = read_advance(reader, advance, join_path(key_path, "advance"));
  if (YAML::Node create = node["create"]; create.IsDefined()) step.create = read_create(reader, create, join_path(key_path, "create"));
  if (YAML::Node fire = node["fire"]; fire.IsDefined()) step.fire = read_fire(reader, fire, join_path(key_path, "fire"));
  if (YAML::Node expect = node["expect"]; expect.IsDefined()) step.expect = read_expect(reader, expect, join_path(key_path, "expect"));
  if (YAML::Node note = node["note"]; note.IsDefined()) step.note = reader.read_string(note, join_path(key_path, "note")).value_or("");

  if (YAML::Node rejection = node["expect_rejection"]; rejection.IsDefined()) {
    step.expect_rejection = read_expected_rejection(reader, rejection, join_path(key_path, "expect_rejection"));
  }

  int actions = int(step.create.has_value()) + int(step.fire.has_value()) + int(step.advance.has_value()) +
                int(step.restart);
  if (actions > 1) {
    reader.report(node, key_path, LocalizedText{fmt::format("{} 个操作", actions), fmt::format("{} actions", actions)},
                  {"每步至多一个 create、fire、advance 或 restart", "at most one of create, fire, advance or restart per step"});
  }
  if (actions == 0 && !restart_given && !step.expect && step.time.kind == StepTime::Kind::unchanged && step.note.empty()) {
    reader.report(node, key_path, LocalizedText{"空步骤", "an empty step"},
                  {"create、fire、advance、restart、expect、at 或 note", "create, fire, advance, restart, expect, at or note"});
  }
  if (step.expect_rejection && !step.create && !step.fire) {
    reader.report(node, key_path, LocalizedText{"没有操作的 expect_rejection", "expect_rejection without an action"}, {"与 create 或 fire 同一步", "a create or fire in the same step"});
  }
}

}  // namespace

static std::optional<Scenario> parse_scenario_document(std::string_view yaml_text, const fs::path& file,
                                                Diagnostics& diagnostics);

std::optional<Scenario> parse_scenario(std::string_view yaml_text, const fs::path& file, Diagnostics& diagnostics) {
  try {
    return parse_scenario_document(yaml_text, file, diagnostics);
  } catch (const YamlTooLarge& error) {
    diagnostics.push_back(Diagnostic{file.string(), 0, 0, "", too_large_text(),
                                     {"更小的文件：请减少别名（alias）展开或嵌套层数", "a smaller document: fewer expanded aliases or levels of nesting"}});
    return std::nullopt;
  }
}

static std::optional<Scenario> parse_scenario_document(std::string_view yaml_text, const fs::path& file,
                                                Diagnostics& diagnostics) {
  std::size_t problems_before = diagnostics.size();
  auto root = load_yaml_mapping(yaml_text, file.string(), diagnostics, {"scenario", "title", "workflows", "sources", "start", "steps"});
  if (!root) return std::nullopt;
  YamlReader reader(file.string(), diagnostics);

  Scenario scenario;
  scenario.file = file;
  scenario.id = reader.read_required_id(*root, "scenario", "");
  if (auto title = reader.read_title(reader.require(*root, "title", ""), "title")) scenario.title = *title;
  if (auto folder = reader.read_string(reader.require(*root, "workflows", ""), "workflows")) {
    scenario.workflows_folder = (file.parent_path() / *folder).lexically_normal();
  }
  if (YAML::Node sources = (*root)["sources"]; sources.IsDefined() && reader.expect_sequence(sources, "sources")) {
    for (std::size_t i = 0; i < sources.size(); ++i) {
      if (auto source = reader.read_string(sources[i], fmt::format("sources[{}]", i))) scenario.sources.push_back(*source);
    }
  }
  if (YAML::Node start = (*root)["start"]; start.IsDefined()) {
    StepTime time = read_time(reader, start, "start");
    if (time.kind == StepTime::Kind::instant) scenario.start = time.instant;
  }

  YAML::Node steps = reader.require(*root, "steps", "");
  if (steps.IsDefined() && reader.expect_sequence(steps, "steps")) {
    std::optional<Instant> previous;
    std::set<std::string> created_names;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      std::string step_path = fmt::format("steps[{}]", i);
      ScenarioStep step;
      step.number = static_cast<int>(i) + 1;
      step.position = position_of(steps[i]);
      if (reader.expect_map(steps[i], step_path)) read_step(reader, steps[i], step_path, step);
      if (step.create && !step.create->name.empty() && !created_names.insert(step.create->name).second) {
        reader.report(steps[i]["create"]["name"], join_path(step_path, "create.name"),
                      LocalizedText{"再次使用 \"" + step.create->name + "\"", "\"" + step.create->name + "\" again"},
                      {"场景内未使用过的案件名", "a case name not used before in this scenario"});
      }
      if (step.time.kind == StepTime::Kind::instant) {
        if (previous && step.time.instant < *previous) {
          reader.report(steps[i]["at"], join_path(step_path, "at"), "\"" + step.time.text + "\"",
                        {"不早于前一步的时间（时钟不能倒退）", "a time no earlier than the previous step's (the clock never moves backwards)"});
        }
        previous = step.time.instant;
      }
      scenario.steps.push_back(std::move(step));
    }
  }
  if (diagnostics.size() != problems_before) return std::nullopt;
  return scenario;
}

}  // namespace sitecycle
