#include "runtime.h"

#include "json_pointer.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace sitecycle {

namespace {

// The evaluation context of one transition request.
class TransitionContext final : public ConditionContext {
 public:
  TransitionContext(const StoredCase& current, const nlohmann::json& data, const nlohmann::json& input,
                    const Actor& actor, const LinkedCases& linked, const Moment& now, const nlohmann::json* settings)
      : current_(current), data_(data), input_(input), linked_(linked), now_(now), settings_(settings) {
    actor_ = nlohmann::json{{"role", actor.role}, {"org", actor.org}, {"user", actor.user}};
  }

  std::string state() const override { return current_.state; }
  const nlohmann::json& data() const override { return data_; }
  const nlohmann::json& input() const override { return input_; }
  const nlohmann::json& actor() const override { return actor_; }

  std::optional<LinkedCaseView> linked(const std::string& role) const override {
    auto found = linked_.find(role);
    if (found == linked_.end()) return std::nullopt;
    return LinkedCaseView{found->second.id, found->second.state, &found->second.data};
  }

  std::optional<nlohmann::json> resolve_other(const std::vector<std::string>& parts) const override {
    if (parts.size() != 2) return std::nullopt;
    if (parts[0] == "now" && parts[1] == "date") return nlohmann::json(format_date(now_.local_date));
    if (parts[0] == "now" && parts[1] == "instant") return nlohmann::json(format_instant(now_.instant));
    if (parts[0] == "case" && parts[1] == "id") return nlohmann::json(current_.id);
    if (parts[0] == "setting" && settings_ != nullptr && settings_->contains(parts[1])) return settings_->at(parts[1]);
    return std::nullopt;
  }

  void set_data(const nlohmann::json& data) { data_ = data; }

 private:
  const StoredCase& current_;
  nlohmann::json data_;
  const nlohmann::json& input_;
  nlohmann::json actor_;
  const LinkedCases& linked_;
  const Moment& now_;
  const nlohmann::json* settings_;
};

std::string joined(const std::vector<std::string>& items) {
  return items.empty() ? std::string("-") : fmt::format("{}", fmt::join(items, ", "));
}

bool only_system_fires(const Transition& transition) {
  return std::all_of(transition.roles.begin(), transition.roles.end(),
                     [](const std::string& role) { return role == kSystemRole; });
}

// Transitions a person may fire from `state`, for hints in rejection messages.
std::vector<std::string> transitions_from(const Workflow& workflow, const std::string& state) {
  std::vector<std::string> ids;
  for (const Transition& transition : workflow.transitions) {
    bool from_state = std::find(transition.from.begin(), transition.from.end(), state) != transition.from.end();
    if (from_state && !only_system_fires(transition)) ids.push_back(transition.id);
  }
  return ids;
}

// Names from a request are shown in messages, cut short so a huge name cannot bloat them.
std::string excerpt(const std::string& text) {
  constexpr std::size_t kMaxShown = 80;
  if (text.size() <= kMaxShown) return text;
  std::size_t cut = kMaxShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return text.substr(0, cut) + "…";
}

std::optional<Problem> check_preconditions(const Workflow& workflow, const StoredCase& current,
                                           const TransitionRequest& request, const Transition*& transition) {
  transition = workflow.find_transition(request.transition);
  std::string available = joined(transitions_from(workflow, current.state));
  if (transition == nullptr) {
    std::string name = excerpt(request.transition);
    return make_problem(ErrorCode::not_found,
                        {fmt::format("流程 {} 没有转换 {}；当前状态 {} 可用的转换：{}", workflow.id, name, current.state, available),
                         fmt::format("workflow {} has no transition {}; transitions from state {}: {}", workflow.id, name,
                                     current.state, available)});
  }

  const State* state = workflow.find_state(current.state);
  if (current.closed || (state != nullptr && state->final)) {
    return make_problem(ErrorCode::case_closed,
                        {fmt::format("案件 {} 已办结（状态 {}），不能再执行转换", current.id, current.state),
                         fmt::format("case {} is closed (state {}) and accepts no transitions", current.id, current.state)});
  }
  if (std::find(transition->from.begin(), transition->from.end(), current.state) == transition->from.end()) {
    return make_problem(ErrorCode::no_such_transition,
                        {fmt::format("转换 {} 只能从状态 {} 执行，案件 {} 当前状态为 {}；当前可用的转换：{}", transition->id,
                                     joined(transition->from), current.id, current.state, available),
                         fmt::format("transition {} applies only from {}, but case {} is in state {}; transitions "
                                     "from {}: {}",
                                     transition->id, joined(transition->from), current.id, current.state,
                                     current.state, available)});
  }
  if (std::find(transition->roles.begin(), transition->roles.end(), request.actor.role) == transition->roles.end()) {
    return make_problem(ErrorCode::role_not_allowed,
                        {fmt::format("角色 {} 无权执行转换 {}；允许的角色：{}", excerpt(request.actor.role), transition->id,
                                     joined(transition->roles)),
                         fmt::format("role {} may not fire transition {}; allowed roles: {}", excerpt(request.actor.role),
                                     transition->id, joined(transition->roles))});
  }
  return std::nullopt;
}

std::optional<Problem> check_input(const Workflow& workflow, const Transition& transition, const nlohmann::json& input) {
  std::vector<FieldError> errors;
  if (!input.is_object()) {
    errors.push_back({"/input", {"input 应为对象", "input must be an object"}});
  } else {
    std::set<std::string> accepted(transition.input.required.begin(), transition.input.required.end());
    accepted.insert(transition.input.optional.begin(), transition.input.optional.end());
    std::string accepted_list = accepted.empty() ? std::string("none") : fmt::format("{}", fmt::join(accepted, ", "));

    for (const auto& [key, value] : input.items()) {
      std::string pointer = append_pointer("/input", key);
      auto spec = workflow.fields.find(key);
      if (!accepted.count(key) || spec == workflow.fields.end()) {
        errors.push_back({pointer, {fmt::format("转换 {} 不接受输入字段 {}；可接受：{}", transition.id, key, accepted_list),
                                    fmt::format("transition {} does not accept input {}; accepted: {}", transition.id,
                                                key, accepted_list)}});
        continue;
      }
      check_value(spec->second, value, pointer, errors);
    }
    for (const std::string& key : transition.input.required) {
      if (!input.contains(key)) {
        errors.push_back({append_pointer("/input", key),
                          {fmt::format("缺少必填输入 {}", key), fmt::format("missing required input {}", key)}});
      }
    }
  }
  if (errors.empty()) return std::nullopt;

  Problem problem = make_problem(
      ErrorCode::invalid_input,
      {fmt::format("转换 {} 的输入无效：{} 处问题", transition.id, errors.size()),
       fmt::format("invalid input for transition {}: {} problem(s)", transition.id, errors.size())});
  problem.errors = std::move(errors);
  return problem;
}

Problem guard_problem(const Transition& transition, const ConditionFailure& failure) {
  LocalizedText reason = describe(failure);
  Problem problem = make_problem(ErrorCode::guard_failed,
                                 {fmt::format("不能执行转换 {}：{}", transition.id, reason.zh_cn),
                                  fmt::format("transition {} is blocked: {}", transition.id, reason.en)});
  problem.extra["condition"] = failure.subject_path;
  problem.extra["reason"] = to_json(reason);
  // The rule alone, as the workflow states it, without the generated condition text.
  if (failure.condition != nullptr && failure.condition->reason) problem.extra["rule"] = to_json(*failure.condition->reason);
  if (failure.condition != nullptr && !failure.condition->basis.empty()) problem.extra["basis"] = failure.condition->basis;
  if (!failure.blocking_case.empty()) problem.extra["blocking_case"] = failure.blocking_case;
  return problem;
}

std::optional<nlohmann::json> resolve_source(const ValueSource& source, const ConditionContext& context) {
  if (source.path) return resolve(*source.path, context);
  return source.literal;
}

Problem definition_problem(const Workflow& workflow, const Transition& transition, const std::string& what_zh,
                           const std::string& what_en) {
  return make_problem(ErrorCode::invalid_definition,
                      {fmt::format("流程 {} 第 {} 版的转换 {} 定义有误：{}", workflow.id, workflow.version, transition.id, what_zh),
                       fmt::format("workflow {} version {}, transition {}: {}", workflow.id, workflow.version,
                                   transition.id, what_en)});
}

std::optional<Problem> run_set_effect(const Workflow& workflow, const Transition& transition, const Effect& effect,
                                      TransitionContext& context, AppliedTransition& applied) {
  nlohmann::json written = nlohmann::json::object();
  for (const auto& [field, source] : effect.set_fields.fields) {
    std::optional<nlohmann::json> value = resolve_source(source, context);
    auto spec = workflow.fields.find(field);
    if (!value || value->is_null()) {  // a path with no value, or a literal null, clears the field
      if (spec != workflow.fields.end() && spec->second.required) {
        return definition_problem(workflow, transition, fmt::format("set 会清空必填字段 {}", field),
                                  fmt::format("set would clear the required field {}", field));
      }
      applied.data.erase(field);
      written[field] = nullptr;
      continue;
    }
    std::vector<FieldError> errors;
    if (spec != workflow.fields.end()) check_value(spec->second, *value, append_pointer("/data", field), errors);
    if (spec == workflow.fields.end() || !errors.empty()) {
      return definition_problem(workflow, transition, fmt::format("set 写入字段 {} 的值无效", field),
                                fmt::format("set writes an invalid value to field {}", field));
    }
    applied.data[field] = *value;
    written[field] = *value;
  }
  context.set_data(applied.data);
  applied.effects_record.push_back({{"set", written}});
  return std::nullopt;
}

std::optional<Problem> run_effects(const Workflow& workflow, const Transition& transition, const LinkedCases& linked,
                                   TransitionContext& context, AppliedTransition& applied) {
  for (const Effect& effect : transition.effects) {
    if (effect.when && evaluate(*effect.when, context)) continue;

    switch (effect.kind) {
      case Effect::Kind::set_fields:
        if (auto problem = run_set_effect(workflow, transition, effect, context, applied)) return problem;
        break;

      case Effect::Kind::open_case: {
        OpenCaseOrder order{effect.open_case.workflow, effect.open_case.link_role, effect.open_case.back_role,
                            nlohmann::json::object()};
        for (const auto& [field, source] : effect.open_case.data) {
          if (auto value = resolve_source(source, context)) order.data[field] = *value;
        }
        applied.effects_record.push_back(
            {{"open_case", {{"workflow", order.workflow}, {"link_role", order.link_role}}}});
        applied.open_cases.push_back(std::move(order));
        break;
      }

      case Effect::Kind::signal: {
        auto target = linked.find(effect.signal.link);
        if (target == linked.end()) {
          applied.effects_record.push_back({{"signal",
                                             {{"link", effect.signal.link},
                                              {"transition", effect.signal.transition},
                                              {"skipped", "no linked case"}}}});
          break;
        }
        applied.signals.push_back(SignalOrder{effect.signal.link, target->second.id, effect.signal.transition});
        applied.effects_record.push_back({{"signal",
                                           {{"link", effect.signal.link},
                                            {"case", target->second.id},
                                            {"transition", effect.signal.transition}}}});
        break;
      }

      case Effect::Kind::close_case:
        applied.close = true;
        applied.effects_record.push_back({{"close", true}});
        break;
    }
  }
  return std::nullopt;
}

bool reads_input(const ValuePath& path) { return !path.parts.empty() && path.parts.front() == "input"; }

// A copy of the condition without the leaves that read input, for judging a transition before
// any input was entered. Returns nullopt when nothing remains to check.
std::optional<Condition> without_input_conditions(const Condition& condition) {
  if (condition.kind == Condition::Kind::comparison) {
    bool depends = reads_input(condition.subject) || (condition.operand.path && reads_input(*condition.operand.path));
    if (depends) return std::nullopt;
    return condition;
  }

  Condition copy = condition;
  copy.children.clear();
  for (const Condition& child : condition.children) {
    std::optional<Condition> kept = without_input_conditions(child);
    if (!kept) {
      if (condition.kind == Condition::Kind::any || condition.kind == Condition::Kind::negation) return std::nullopt;
      continue;
    }
    copy.children.push_back(std::move(*kept));
  }
  if (copy.children.empty()) return std::nullopt;
  return copy;
}

// documents_missing listing every required kind that `documents` lacks, by title and id.
std::optional<Problem> check_documents(const Workflow& workflow, const Transition& transition, const StoredCase& current,
                                       const std::optional<std::vector<AttachedDocument>>& documents) {
  if (!documents || transition.required_documents.empty()) return std::nullopt;
  std::vector<std::string> missing_zh;
  std::vector<std::string> missing_en;
  nlohmann::json missing = nlohmann::json::array();
  for (const std::string& kind : transition.required_documents) {
    bool handed_in = std::any_of(documents->begin(), documents->end(),
                                 [&kind](const AttachedDocument& document) { return document.kind == kind; });
    if (handed_in) continue;
    const DocumentKind* declared = workflow.find_document(kind);
    LocalizedText title = declared ? declared->title : LocalizedText{kind, kind};
    missing_zh.push_back(fmt::format("{}（{}）", title.zh_cn, kind));
    missing_en.push_back(fmt::format("{} ({})", title.en, kind));
    missing.push_back(kind);
  }
  if (missing.empty()) return std::nullopt;
  Problem problem = make_problem(
      ErrorCode::documents_missing,
      {fmt::format("转换 {} 缺少所需文件：{}；请先上传（POST /api/v1/cases/{}/documents，kind 为所列类型）再提交",
                   transition.id, fmt::join(missing_zh, "、"), current.id),
       fmt::format("transition {} lacks required documents: {}; upload them first (POST "
                   "/api/v1/cases/{}/documents with kind set to the listed kind), then submit again",
                   transition.id, fmt::join(missing_en, ", "), current.id)});
  problem.extra["missing_documents"] = std::move(missing);
  return problem;
}

}  // namespace

Result<AppliedTransition> apply_transition(const Workflow& workflow, const StoredCase& current,
                                           const LinkedCases& linked, const TransitionRequest& request,
                                           const Moment& now, const nlohmann::json* settings) {
  const Transition* transition = nullptr;
  if (auto problem = check_preconditions(workflow, current, request, transition)) return std::move(*problem);
  if (auto problem = check_input(workflow, *transition, request.input)) return std::move(*problem);
  if (auto problem = check_documents(workflow, *transition, current, request.documents)) return std::move(*problem);

  TransitionContext context(current, current.data, request.input, request.actor, linked, now, settings);
  if (transition->guard) {
    if (auto failure = evaluate(*transition->guard, context)) return guard_problem(*transition, *failure);
  }

  AppliedTransition applied;
  applied.from_state = current.state;
  applied.to_state = transition->to.value_or(current.state);
  applied.data = current.data.is_object() ? current.data : nlohmann::json::object();
  for (const auto& [key, value] : request.input.items()) applied.data[key] = value;
  context.set_data(applied.data);

  if (auto problem = run_effects(workflow, *transition, linked, context, applied)) return std::move(*problem);
  return applied;
}

std::vector<AvailableTransition> available_transitions(const Workflow& workflow, const StoredCase& current,
                                                       const LinkedCases& linked, const Actor& actor,
                                                       const nlohmann::json* settings) {
  std::vector<AvailableTransition> available;
  const State* state = workflow.find_state(current.state);
  if (current.closed || state == nullptr || state->final || actor.role.empty() || actor.role == kSystemRole) {
    return available;
  }

  nlohmann::json no_input = nlohmann::json::object();
  Moment unused_moment{};
  TransitionContext context(current, current.data, no_input, actor, linked, unused_moment, settings);
  for (const Transition& transition : workflow.transitions) {
    bool from_here = std::find(transition.from.begin(), transition.from.end(), current.state) != transition.from.end();
    bool role_allowed = std::find(transition.roles.begin(), transition.roles.end(), actor.role) != transition.roles.end();
    if (!from_here || !role_allowed) continue;

    AvailableTransition entry;
    entry.transition = &transition;
    std::optional<Condition> guard = transition.guard ? without_input_conditions(*transition.guard) : std::nullopt;
    if (guard) {
      if (auto failure = evaluate(*guard, context)) {
        entry.guard_holds = false;
        entry.blocked_reason = describe(*failure);
        entry.blocking_case = failure->blocking_case;
      }
    }
    available.push_back(std::move(entry));
  }
  return available;
}

}  // namespace sitecycle
