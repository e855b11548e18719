#include "deadline_rule_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace sitecycle {

namespace {

// Periods beyond a century are typing mistakes, and the bound keeps date arithmetic in range.
const LocalizedText kAmountExpected{"0 到 36500 的整数，或 {parameter: 名称, default: 整数}，或 {field: 字段, default: 整数}",
                                    "an integer from 0 to 36500, {parameter: name, default: integer} or {field: name, default: integer}"};

std::optional<int> read_count(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  auto value = reader.read_integer(node, key_path);
  if (!value) return std::nullopt;
  if (*value < 0 || *value > kMaxDeadlineDays) {
    reader.report(node, key_path, describe_node(node), kAmountExpected);
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

std::optional<DeadlineAmount> read_amount(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!node.IsMap()) {
    auto count = read_count(reader, node, key_path);
    if (!count) return std::nullopt;
    return DeadlineAmount{*count, std::nullopt, std::nullopt, position_of(node)};
  }
  reader.check_keys(node, key_path, {"parameter", "field", "default"});
  bool has_parameter = node["parameter"].IsDefined();
  if (has_parameter == node["field"].IsDefined()) {
    reader.report(node, key_path, describe_node(node),
                  {"parameter（机构可调整的参数）或 field（案件的整数字段）二者之一，另加 default",
                   "one of parameter (a name agencies may override) or field (an integer case field), with default"});
    return std::nullopt;
  }
  std::string name = reader.read_required_id(node, has_parameter ? "parameter" : "field", key_path);
  auto fallback = read_count(reader, reader.require(node, "default", key_path), join_path(key_path, "default"));
  if (name.empty() || !fallback) return std::nullopt;
  DeadlineAmount amount{*fallback, std::nullopt, std::nullopt, position_of(node)};
  (has_parameter ? amount.parameter : amount.field) = name;
  return amount;
}

DeadlineTriggers read_triggers(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                               bool allow_field) {
  DeadlineTriggers triggers;
  if (!node.IsDefined()) return triggers;
  triggers.position = position_of(node);
  if (!reader.expect_map(node, key_path)) return triggers;
  if (allow_field) {
    reader.check_keys(node, key_path, {"on_enter", "on_leave", "on_transition", "on_field"});
  } else {
    reader.check_keys(node, key_path, {"on_enter", "on_leave", "on_transition"});
  }
  auto read_list = [&](const char* key, std::vector<std::string>& target) {
    if (auto ids = reader.read_id_list(node[key], join_path(key_path, key))) target = std::move(*ids);
  };
  read_list("on_enter", triggers.on_enter);
  read_list("on_leave", triggers.on_leave);
  read_list("on_transition", triggers.on_transition);
  if (allow_field) read_list("on_field", triggers.on_field);
  if (triggers.empty()) {
    reader.report(node, key_path, LocalizedText{"没有列出状态、转换或字段", "no state, transition or field listed"},
                  {"on_enter、on_leave 或 on_transition 之一", "one of on_enter, on_leave or on_transition"});
  }
  return triggers;
}

std::optional<std::chrono::month_day> read_month_day(YamlReader& reader, const YAML::Node& node,
                                                     const std::string& key_path) {
  auto text = reader.read_string(node, key_path);
  if (!text) return std::nullopt;
  unsigned month = 0;
  unsigned day = 0;
  char dash = 0;
  int consumed = 0;
  bool parsed = text->size() == 5 && std::sscanf(text->c_str(), "%2u%c%2u%n", &month, &dash, &day, &consumed) == 3 &&
                consumed == 5 && dash == '-';
  std::chrono::month_day month_day{std::chrono::month{month}, std::chrono::day{day}};
  // 29 February would leave three years in four without a due date.
  if (!parsed || !month_day.ok() || (month == 2 && day == 29)) {
    reader.report(node, key_path, describe_node(node),
                  {"MM-DD 格式的月日（不可为 02-29），如 \"12-31\"", "a month and day as MM-DD (not 02-29), such as \"12-31\""});
    return std::nullopt;
  }
  return month_day;
}

std::optional<DeadlineDuration> read_before(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"field", "working_days"});
  DeadlineDuration duration;
  duration.kind = DurationKind::before_date;
  duration.date_field = reader.read_required_id(node, "field", key_path);
  if (YAML::Node lead = node["working_days"]; lead.IsDefined()) {
    auto amount = read_amount(reader, lead, join_path(key_path, "working_days"));
    if (!amount) return std::nullopt;
    duration.amount = *amount;
  }
  if (duration.date_field.empty()) return std::nullopt;
  return duration;
}

std::optional<DeadlineDuration> read_duration(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"working_days", "calendar_days", "months", "before", "yearly_by"});
  if (node.size() != 1) {
    reader.report(node, key_path, describe_node(node),
                  {"working_days、calendar_days、months、before、yearly_by 中的恰好一个",
                   "exactly one of working_days, calendar_days, months, before, yearly_by"});
    return std::nullopt;
  }
  auto entry = node.begin();
  std::string kind = entry->first.Scalar();
  YAML::Node value = entry->second;  // a copy: the iterator's pair is a temporary
  std::string value_path = join_path(key_path, kind);
  std::optional<DeadlineDuration> duration;
  if (kind == "before") {
    duration = read_before(reader, value, value_path);
  } else if (kind == "yearly_by") {
    if (auto month_day = read_month_day(reader, value, value_path)) {
      duration.emplace();
      duration->kind = DurationKind::yearly_by;
      duration->yearly_by = *month_day;
    }
  } else if (kind == "working_days" || kind == "calendar_days" || kind == "months") {
    if (auto amount = read_amount(reader, value, value_path)) {
      DurationKind duration_kind = kind == "working_days"    ? DurationKind::working_days
                                   : kind == "calendar_days" ? DurationKind::calendar_days
                                                             : DurationKind::months;
      if (duration_kind != DurationKind::calendar_days && amount->default_value == 0) {
        reader.report(value, value_path, describe_node(value),
                      {"1 到 36500 的整数", "an integer from 1 to 36500"});
        return std::nullopt;
      }
      if (duration_kind == DurationKind::months && amount->default_value > kMaxDeadlineMonths) {
        reader.report(value, value_path, describe_node(value),
                      {fmt::format("1 到 {} 的整数（一百年）", kMaxDeadlineMonths), fmt::format("an integer from 1 to {} (a century)", kMaxDeadlineMonths)});
        return std::nullopt;
      }
      duration.emplace();
      duration->kind = duration_kind;
      duration->amount = *amount;
    }
  }
  if (duration) duration->position = position_of(node);
  return duration;
}

}  // namespace

std::optional<std::string> read_source_status(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  static const std::vector<std::string> kStatuses{"verified", "verified_secondary", "unverified", "not_found",
                                                  "analogue", "derived", "setting"};
  auto text = reader.read_string(node, key_path);
  if (!text) return std::nullopt;
  if (std::find(kStatuses.begin(), kStatuses.end(), *text) == kStatuses.end()) {
    reader.report(node, key_path, describe_node(node),
                  {"verified、verified_secondary、unverified、not_found、analogue、derived 或 setting",
                   "verified, verified_secondary, unverified, not_found, analogue, derived or setting"});
    return std::nullopt;
  }
  return text;
}

std::optional<AgencySelector> read_agency_selector(YamlReader& reader, const YAML::Node& node,
                                                   const std::string& key_path) {
  AgencySelector selector;
  if (!node.IsDefined()) return selector;
  if (node.IsScalar()) {
    auto id = reader.read_id(node, key_path);
    if (!id) return std::nullopt;
    selector.agency_id = *id;
    return selector;
  }
  if (!reader.expect_map(node, key_path)) return std::nullopt;
  reader.check_keys(node, key_path, {"kind", "district_field"});
  std::string kind = reader.read_required_id(node, "kind", key_path);
  if (kind.empty()) return std::nullopt;
  if (kind != "eeb" && kind != "pnrb" && kind != "land_reserve") {
    reader.report(node["kind"], join_path(key_path, "kind"), describe_node(node["kind"]),
                  {"eeb、pnrb 或 land_reserve", "eeb, pnrb or land_reserve"});
    return std::nullopt;
  }
  selector.kind = kind;
  if (YAML::Node field = node["district_field"]; field.IsDefined()) {
    auto id = reader.read_id(field, join_path(key_path, "district_field"));
    if (!id) return std::nullopt;
    selector.district_field = *id;
  }
  return selector;
}

namespace {

std::vector<std::string> read_notify(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  if (!node.IsDefined()) return {};
  auto roles = reader.read_id_list(node, key_path);
  return roles ? *roles : std::vector<std::string>{};
}

void read_warning(YamlReader& reader, const YAML::Node& node, const std::string& key_path, DeadlineRule& rule) {
  if (!node.IsDefined() || !reader.expect_map(node, key_path)) return;
  reader.check_keys(node, key_path, {"working_days", "notify"});
  if (YAML::Node lead = node["working_days"]; lead.IsDefined()) {
    if (auto amount = read_amount(reader, lead, join_path(key_path, "working_days"))) rule.warning_working_days = *amount;
  }
  rule.warning_notify = read_notify(reader, node["notify"], join_path(key_path, "notify"));
}

void read_breach(YamlReader& reader, const YAML::Node& node, const std::string& key_path, DeadlineRule& rule) {
  if (!node.IsDefined() || !reader.expect_map(node, key_path)) return;
  reader.check_keys(node, key_path, {"notify"});
  rule.breach_notify = read_notify(reader, node["notify"], join_path(key_path, "notify"));
}

void read_escalation(YamlReader& reader, const YAML::Node& node, const std::string& key_path, DeadlineRule& rule) {
  if (!node.IsDefined() || !reader.expect_sequence(node, key_path)) return;
  int previous = 0;
  for (std::size_t i = 0; i < node.size(); ++i) {
    std::string step_path = fmt::format("{}[{}]", key_path, i);
    const YAML::Node& item = node[i];
    if (!reader.expect_map(item, step_path)) continue;
    reader.check_keys(item, step_path, {"after_working_days", "notify"});
    std::string after_path = join_path(step_path, "after_working_days");
    auto after = read_count(reader, reader.require(item, "after_working_days", step_path), after_path);
    EscalationStep step;
    step.position = position_of(item);
    step.notify = read_notify(reader, reader.require(item, "notify", step_path), join_path(step_path, "notify"));
    if (!after) continue;
    if (*after <= previous) {
      reader.report(item["after_working_days"], after_path, describe_node(item["after_working_days"]),
                    {fmt::format("大于 {} 的整数（每一级晚于上一级，且晚于超期）", previous),
                     fmt::format("an integer above {} (each step comes after the one before, and after the breach)",
                                 previous)});
      continue;
    }
    previous = *after;
    step.after_working_days = *after;
    rule.escalation.push_back(std::move(step));
  }
}

void read_repeat(YamlReader& reader, const YAML::Node& node, const std::string& key_path, DeadlineRule& rule) {
  if (!node.IsDefined() || !reader.expect_map(node, key_path)) return;
  reader.check_keys(node, key_path, {"from"});
  std::string from = reader.read_required_id(node, "from", key_path);
  if (from == "completion") {
    rule.repeat = RepeatFrom::completion;
  } else if (from == "previous_due") {
    rule.repeat = RepeatFrom::previous_due;
  } else if (!from.empty()) {
    reader.report(node["from"], join_path(key_path, "from"), describe_node(node["from"]),
                  {"completion 或 previous_due", "completion or previous_due"});
  }
}

void read_citation(YamlReader& reader, const YAML::Node& node, const std::string& rule_path, DeadlineRule& rule) {
  if (auto basis = reader.read_string(node["basis"], join_path(rule_path, "basis"))) rule.basis = *basis;
  if (auto note = reader.read_string(node["note"], join_path(rule_path, "note"))) rule.note = *note;
  if (auto check = reader.read_bool(node["needs_legal_check"], join_path(rule_path, "needs_legal_check"))) {
    rule.needs_legal_check = *check;
  }
  if (YAML::Node status = node["source_status"]; status.IsDefined()) {
    rule.source_status = read_source_status(reader, status, join_path(rule_path, "source_status")).value_or("");
  }
}

// Combinations that would leave a clock that can never finish or a key with no effect.
void check_consistency(YamlReader& reader, const YAML::Node& node, const std::string& rule_path,
                       const DeadlineRule& rule) {
  if (!rule.complete.empty() && rule.repeat == RepeatFrom::none) {
    reader.report(node["complete"], join_path(rule_path, "complete"), LocalizedText{"complete，但没有 repeat", "complete without repeat"},
                  {"repeat: {from: completion 或 previous_due}，或改用 stop",
                   "repeat: {from: completion or previous_due}, or use stop instead"});
  }
  if (rule.repeat != RepeatFrom::none && rule.complete.empty()) {
    reader.report(node["repeat"], join_path(rule_path, "repeat"), LocalizedText{"repeat，但没有 complete", "repeat without complete"},
                  {"一个 complete 触发条件，说明何时完成一个周期", "a complete trigger that says when a cycle is done"});
  }
  if (!rule.pause.empty() && rule.resume.empty()) {
    reader.report(node["pause"], join_path(rule_path, "pause"), LocalizedText{"pause，但没有 resume", "pause without resume"},
                  {"一个 resume 触发条件，否则时钟暂停后永不恢复", "a resume trigger, or the clock never runs again once paused"});
  }
  if (rule.repeat == RepeatFrom::none && rule.duration.kind == DurationKind::yearly_by && node["duration"].IsDefined()) {
    reader.report(node["duration"], join_path(rule_path, "duration.yearly_by"),
                  LocalizedText{"yearly_by，但没有 repeat", "yearly_by without repeat"},
                  {"repeat: {from: previous_due}，或 calendar_days 等一次性期限",
                   "repeat: {from: previous_due}, or a one-off period such as calendar_days"});
  }
}

}  // namespace

std::optional<DeadlineRule> read_deadline_rule(YamlReader& reader, const std::string& id, const YAML::Node& node,
                                               const std::string& rule_path) {
  std::size_t problems_before = reader.problem_count();
  reader.check_keys(node, rule_path,
                    {"title", "responsible", "agency", "start", "stop", "complete", "cancel", "pause", "resume",
                     "restart", "duration", "warning", "breach", "escalation", "repeat", "basis", "needs_legal_check",
                     "source_status", "note"});
  DeadlineRule rule;
  rule.id = id;
  if (auto title = reader.read_title(reader.require(node, "title", rule_path), join_path(rule_path, "title"))) {
    rule.title = *title;
  }
  rule.responsible = reader.read_required_id(node, "responsible", rule_path);
  if (auto agency = read_agency_selector(reader, node["agency"], join_path(rule_path, "agency"))) rule.agency = *agency;

  YAML::Node start = reader.require(node, "start", rule_path);
  rule.start = read_triggers(reader, start, join_path(rule_path, "start"), true);
  rule.stop = read_triggers(reader, node["stop"], join_path(rule_path, "stop"), false);
  rule.complete = read_triggers(reader, node["complete"], join_path(rule_path, "complete"), false);
  rule.cancel = read_triggers(reader, node["cancel"], join_path(rule_path, "cancel"), false);
  rule.pause = read_triggers(reader, node["pause"], join_path(rule_path, "pause"), false);
  rule.resume = read_triggers(reader, node["resume"], join_path(rule_path, "resume"), false);
  rule.restart = read_triggers(reader, node["restart"], join_path(rule_path, "restart"), false);

  YAML::Node duration = reader.require(node, "duration", rule_path);
  if (auto parsed = read_duration(reader, duration, join_path(rule_path, "duration"))) rule.duration = *parsed;
  read_warning(reader, node["warning"], join_path(rule_path, "warning"), rule);
  read_breach(reader, node["breach"], join_path(rule_path, "breach"), rule);
  read_escalation(reader, node["escalation"], join_path(rule_path, "escalation"), rule);
  read_repeat(reader, node["repeat"], join_path(rule_path, "repeat"), rule);
  read_citation(reader, node, rule_path, rule);
  check_consistency(reader, node, rule_path, rule);

  if (reader.problem_count() != problems_before) return std::nullopt;
  return rule;
}

}  // namespace sitecycle
