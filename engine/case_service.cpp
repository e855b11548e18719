#include "case_service.h"

#include "json_pointer.h"

#include <fmt/format.h>

#include <algorithm>

namespace sitecycle {

// Notes on cascades. A transition's effects may open cases and signal linked cases; a signalled
// transition may signal further. Everything runs inside the one store transaction of the
// command, so the command commits whole or not at all. Signals that cannot apply (not available
// from the target's state, guard false) are recorded as "signal_skipped" events on the target
// instead of failing the command, because the signalling case does not control its neighbour's
// state. Cascades deeper than kMaxCascadeDepth fail the command: only a workflow loop reaches it.

namespace {

constexpr int kMaxCascadeDepth = 8;

// The detail carries the store's own message for the operator's log. The HTTP layer logs it and
// responds to clients with a generic text, because it may name files or database internals.
Problem unavailable_problem(const StoreError& error) {
  return make_problem(ErrorCode::unavailable,
                      {fmt::format("案件库暂时不可用，未写入任何内容；请稍后重试（{}）", error.what()),
                       fmt::format("the case store is unavailable; nothing was written; retry later ({})", error.what())});
}

Problem case_not_found(std::string_view case_id) {
  return make_problem(ErrorCode::not_found,
                      {fmt::format("案件 {} 不存在", case_id), fmt::format("case {} not found", case_id)});
}

std::optional<Problem> check_creator(const Workflow& workflow, const Actor& actor) {
  const std::vector<std::string>& allowed = workflow.create_roles;
  if (allowed.empty() || std::find(allowed.begin(), allowed.end(), actor.role) != allowed.end()) return std::nullopt;
  std::string allowed_list = fmt::format("{}", fmt::join(allowed, ", "));
  return make_problem(ErrorCode::role_not_allowed,
                      {fmt::format("角色 {} 无权新建 {} 案件；允许的角色：{}", actor.role, workflow.id, allowed_list),
                       fmt::format("role {} may not create a {} case; allowed roles: {}", actor.role, workflow.id, allowed_list)});
}

// Read-only fields are the workflow's own record (for example the result a signal wrote), so a
// caller may not preset them.
void append_read_only_errors(const FieldSchema& schema, const nlohmann::json& data, std::vector<FieldError>& errors) {
  if (!data.is_object()) return;
  for (const auto& [key, value] : data.items()) {
    auto spec = schema.find(key);
    if (spec == schema.end() || !spec->second.read_only) continue;
    errors.push_back({append_pointer("/data", key),
                      {fmt::format("字段 {} 由流程写入，新建案件时不能提供；请删除该字段", key),
                       fmt::format("field {} is written by the workflow and cannot be given when creating a case; remove it", key)}});
  }
}

// The case's values of its workflow's settings. The agency catalog comes with the deadline
// environment; without one, every setting has its default.
nlohmann::json settings_of(const Workflow& workflow, const nlohmann::json& case_data, const DeadlineTracker* deadlines) {
  return resolve_settings(workflow.settings, workflow.agency, case_data,
                          deadlines != nullptr ? deadlines->agencies() : nullptr);
}

LinkedCases load_linked_cases(CaseTransaction& transaction, std::string_view case_id) {
  LinkedCases linked;
  for (const CaseLink& link : transaction.links_of(case_id)) {
    if (auto other = transaction.find_case(link.linked_case_id)) linked[link.role] = std::move(*other);
  }
  return linked;
}

// The effect record of a step that handed in documents: {"documents": [{"id", "kind"}]}.
nlohmann::json handed_in_effect(const std::vector<AttachedDocument>& documents) {
  nlohmann::json items = nlohmann::json::array();
  for (const AttachedDocument& document : documents) items.push_back({{"id", document.id}, {"kind", document.kind}});
  return {{"documents", std::move(items)}};
}

// Runs one command inside an open store transaction.
class CommandRun {
 public:
  CommandRun(const WorkflowRegistry& registry, CaseTransaction& transaction, const DeadlineTracker* deadlines,
             const Moment& now, bool time_known)
      : registry_(registry), transaction_(transaction), deadlines_(deadlines), now_(now), time_known_(time_known) {}

  // `opened_by_effect` skips the checks that apply to callers: create_roles and read-only fields.
  Result<StoredCase> create(const std::string& workflow_id, std::optional<std::string> case_id,
                            const nlohmann::json& data, const Actor& actor, const std::string& comment,
                            bool opened_by_effect);
  Result<StoredCase> fire(const std::string& case_id, const TransitionRequest& request,
                          std::optional<std::int64_t> expected_version, int depth);

  CommandOutcome& outcome() { return outcome_; }
  bool deadlines_changed() const { return deadlines_changed_; }

 private:
  Status open_cases(const StoredCase& opener, const AppliedTransition& applied, const Actor& actor, int depth);
  Status deliver_signals(const StoredCase& sender, const AppliedTransition& applied, const Actor& actor, int depth);
  void record_skipped_signal(const std::string& target_id, const SignalOrder& signal, const Actor& actor,
                             const Problem& why);
  std::optional<std::string> generate_case_id(const std::string& workflow_id);
  StoredEvent new_event(const std::string& case_id, std::int64_t case_version, std::string kind, const Actor& actor) const;
  void append(StoredEvent event);
  Status attach_documents(const std::string& case_id, const std::optional<std::vector<AttachedDocument>>& documents);
  Status track_deadlines(const Workflow& workflow, const CaseStep& step, StoredEvent& event);

  const WorkflowRegistry& registry_;
  CaseTransaction& transaction_;
  const DeadlineTracker* deadlines_;
  const Moment& now_;
  bool time_known_;
  bool deadlines_changed_ = false;
  CommandOutcome outcome_;
};

StoredEvent CommandRun::new_event(const std::string& case_id, std::int64_t case_version, std::string kind,
                                  const Actor& actor) const {
  StoredEvent event;
  event.case_id = case_id;
  event.case_version = case_version;
  event.kind = std::move(kind);
  event.actor = actor;
  event.at = now_.instant;
  return event;
}

// Appends the event to the store and to the command's outcome.
void CommandRun::append(StoredEvent event) {
  event.id = transaction_.append_event(event);
  outcome_.events.push_back(std::move(event));
}

// Marks the documents as handed in by the event just appended.
Status CommandRun::attach_documents(const std::string& case_id,
                                    const std::optional<std::vector<AttachedDocument>>& documents) {
  if (!documents || documents->empty()) return Ok{};
  std::vector<std::string> ids;
  for (const AttachedDocument& document : *documents) ids.push_back(document.id);
  if (transaction_.attach_documents(case_id, ids, outcome_.events.back().id)) return Ok{};
  return make_problem(ErrorCode::conflict,
                      {fmt::format("案件 {} 的文件已被另一步骤提交；请重新读取案件后再试", case_id),
                       fmt::format("a document of case {} was handed in by another step meanwhile; re-read the case and retry",
                                   case_id)});
}

// Applies the workflow's deadline rules to the step and records what they did in the event.
Status CommandRun::track_deadlines(const Workflow& workflow, const CaseStep& step, StoredEvent& event) {
  if (deadlines_ == nullptr || workflow.deadlines.empty()) return Ok{};
  DeadlineChanges changes =
      deadlines_->on_step(workflow, step, transaction_.deadlines_of(step.after->id), now_.instant, time_known_);
  for (const DeadlineRecord& record : changes.updated) {
    if (!transaction_.update_deadline(record, record.version)) {
      return make_problem(ErrorCode::conflict,
                          {fmt::format("案件 {} 的期限 {} 正被同时修改；请重试", record.case_id, record.rule_id),
                           fmt::format("deadline {} of case {} was changed concurrently; retry", record.rule_id,
                                       record.case_id)});
    }
  }
  for (const DeadlineRecord& record : changes.started) transaction_.insert_deadline(record);
  deadlines_changed_ = deadlines_changed_ || !changes.empty();
  for (auto& effect : changes.effects) event.effects.push_back(std::move(effect));
  return Ok{};
}

std::optional<std::string> CommandRun::generate_case_id(const std::string& workflow_id) {
  while (true) {
    std::string id = fmt::format("{}_{:06}", workflow_id, transaction_.next_case_number(workflow_id));
    if (!is_valid_case_id(id)) return std::nullopt;
    if (!transaction_.find_case(id)) return id;
  }
}

Result<StoredCase> CommandRun::create(const std::string& workflow_id, std::optional<std::string> case_id,
                                      const nlohmann::json& data, const Actor& actor, const std::string& comment,
                                      bool opened_by_effect) {
  WorkflowPtr workflow = registry_.latest(workflow_id);
  if (!workflow) {
    return make_problem(ErrorCode::not_found, {fmt::format("流程 {} 不存在", workflow_id),
                                               fmt::format("workflow {} not found", workflow_id)});
  }
  if (case_id && !is_valid_case_id(*case_id)) {
    Problem problem = make_problem(ErrorCode::invalid_input,
                                   {fmt::format("案件标识 {} 无效", *case_id), fmt::format("invalid case id {}", *case_id)});
    problem.errors.push_back({"/id",
                              {"应以小写字母开头，仅含小写字母、数字和下划线，最多 64 个字符",
                               "expected a lowercase letter, then lowercase letters, digits or underscores; at most 64 characters"}});
    return problem;
  }
  if (!opened_by_effect) {
    if (auto problem = check_creator(*workflow, actor)) return std::move(*problem);
  }
  std::vector<FieldError> errors = check_object(workflow->fields, data, "/data", true);
  if (!opened_by_effect) append_read_only_errors(workflow->fields, data, errors);
  if (!errors.empty()) {
    Problem problem = make_problem(ErrorCode::invalid_input,
                                   {fmt::format("流程 {} 的案件数据无效：{} 处问题", workflow_id, errors.size()),
                                    fmt::format("invalid case data for workflow {}: {} problem(s)", workflow_id, errors.size())});
    problem.errors = std::move(errors);
    return problem;
  }
  if (case_id && transaction_.find_case(*case_id)) {
    return make_problem(ErrorCode::conflict, {fmt::format("案件 {} 已存在；请换用其他标识", *case_id),
                                              fmt::format("case {} already exists; choose another id", *case_id)});
  }

  std::optional<std::string> id = case_id ? case_id : generate_case_id(workflow_id);
  if (!id) {
    return make_problem(ErrorCode::invalid_definition,
                        {fmt::format("无法为流程 {} 生成有效的案件标识；请缩短流程标识", workflow_id),
                         fmt::format("cannot generate a valid case id for workflow {}; shorten the workflow id", workflow_id)});
  }

  StoredCase stored;
  stored.id = *id;
  stored.workflow_id = workflow->id;
  stored.workflow_version = workflow->version;
  stored.state = workflow->initial_state()->id;
  stored.data = data;
  stored.version = 1;
  stored.created_at = now_.instant;
  stored.updated_at = now_.instant;
  transaction_.insert_case(stored);

  StoredEvent event = new_event(stored.id, 1, "created", actor);
  event.to_state = stored.state;
  event.input = data;
  event.comment = comment;
  if (Status tracked = track_deadlines(*workflow, CaseStep{nullptr, &stored, nullptr}, event); !tracked) {
    return tracked.problem();
  }
  append(std::move(event));
  return stored;
}

Result<StoredCase> CommandRun::fire(const std::string& case_id, const TransitionRequest& request,
                                    std::optional<std::int64_t> expected_version, int depth) {
  std::optional<StoredCase> current = transaction_.find_case(case_id);
  if (!current) return case_not_found(case_id);
  if (expected_version && *expected_version != current->version) {
    Problem problem = make_problem(ErrorCode::conflict,
                                   {fmt::format("案件 {} 已被修改（当前版本 {}，请求基于版本 {}）；请重新读取后再试", case_id,
                                                current->version, *expected_version),
                                    fmt::format("case {} has changed (version {}, request based on {}); re-read it and retry",
                                                case_id, current->version, *expected_version)});
    problem.extra["current_version"] = current->version;
    return problem;
  }
  WorkflowPtr workflow = registry_.find(current->workflow_id, current->workflow_version);
  if (!workflow) {
    return make_problem(ErrorCode::invalid_definition,
                        {fmt::format("案件 {} 使用的流程 {} 第 {} 版未加载", case_id, current->workflow_id, current->workflow_version),
                         fmt::format("workflow {} version {}, which case {} runs on, is not loaded", current->workflow_id,
                                     current->workflow_version, case_id)});
  }

  LinkedCases linked = load_linked_cases(transaction_, case_id);
  nlohmann::json settings = settings_of(*workflow, current->data, deadlines_);
  Result<AppliedTransition> applied = apply_transition(*workflow, *current, linked, request, now_, &settings);
  if (!applied) return applied.problem();

  StoredCase updated = *current;
  updated.state = applied->to_state;
  updated.data = applied->data;
  updated.version = current->version + 1;
  const State* new_state = workflow->find_state(updated.state);
  updated.closed = applied->close || (new_state != nullptr && new_state->final);
  updated.updated_at = now_.instant;
  if (!transaction_.update_case(updated, current->version)) {
    return make_problem(ErrorCode::conflict, {fmt::format("案件 {} 正被同时修改；请重新读取后再试", case_id),
                                              fmt::format("case {} was changed concurrently; re-read it and retry", case_id)});
  }

  StoredEvent event = new_event(case_id, updated.version, "transition", request.actor);
  event.transition = request.transition;
  event.from_state = applied->from_state;
  event.to_state = applied->to_state;
  event.input = request.input;
  event.comment = request.comment;
  event.effects = applied->effects_record;
  CaseStep step{&*current, &updated, workflow->find_transition(request.transition)};
  if (request.documents && !request.documents->empty()) event.effects.push_back(handed_in_effect(*request.documents));
  if (Status tracked = track_deadlines(*workflow, step, event); !tracked) return tracked.problem();
  append(std::move(event));
  if (Status attached = attach_documents(case_id, request.documents); !attached) return attached.problem();

  if (Status opened = open_cases(updated, *applied, request.actor, depth); !opened) return opened.problem();
  if (Status delivered = deliver_signals(updated, *applied, request.actor, depth); !delivered) return delivered.problem();

  std::optional<StoredCase> final_state = transaction_.find_case(case_id);
  return final_state ? *final_state : updated;
}

Status CommandRun::open_cases(const StoredCase& opener, const AppliedTransition& applied, const Actor& actor, int depth) {
  (void)depth;
  for (const OpenCaseOrder& order : applied.open_cases) {
    std::string comment = fmt::format("opened by {} ({})", opener.id, applied.to_state);
    Result<StoredCase> opened = create(order.workflow, std::nullopt, order.data, actor, comment, true);
    if (!opened) {
      Problem problem = std::move(opened).take_problem();
      problem.detail.zh_cn = fmt::format("无法开立关联案件（{}）：{}", order.workflow, problem.detail.zh_cn);
      problem.detail.en = fmt::format("cannot open the linked {} case: {}", order.workflow, problem.detail.en);
      return problem;
    }
    transaction_.insert_link(CaseLink{opener.id, order.link_role, opened->id, now_.instant});
    transaction_.insert_link(CaseLink{opened->id, order.back_role, opener.id, now_.instant});
    outcome_.opened_cases.push_back(opened->id);
  }
  return Ok{};
}

Status CommandRun::deliver_signals(const StoredCase& sender, const AppliedTransition& applied, const Actor& actor,
                                   int depth) {
  for (const SignalOrder& signal : applied.signals) {
    if (depth + 1 > kMaxCascadeDepth) {
      return make_problem(ErrorCode::invalid_definition,
                          {fmt::format("案件 {} 的信号级联超过 {} 层，流程可能存在循环", sender.id, kMaxCascadeDepth),
                           fmt::format("signals from case {} cascade deeper than {} levels; the workflows may loop",
                                       sender.id, kMaxCascadeDepth)});
    }
    TransitionRequest request;
    request.transition = signal.transition;
    request.actor = Actor{kSystemRole, actor.org, actor.user};
    request.comment = fmt::format("signal from {}", sender.id);

    std::size_t events_before = outcome_.events.size();
    Result<StoredCase> delivered = fire(signal.target_case_id, request, std::nullopt, depth + 1);
    if (delivered) continue;

    // Only a rejection of the signalled transition itself is skipped. A failure further down
    // its cascade comes after it wrote, so the whole command must roll back.
    ErrorCode code = delivered.problem().code;
    bool rejected_before_writing = outcome_.events.size() == events_before;
    bool skippable = rejected_before_writing &&
                     (code == ErrorCode::no_such_transition || code == ErrorCode::guard_failed ||
                      code == ErrorCode::case_closed || code == ErrorCode::invalid_input);
    if (!skippable) return delivered.problem();
    record_skipped_signal(signal.target_case_id, signal, request.actor, delivered.problem());
  }
  return Ok{};
}

void CommandRun::record_skipped_signal(const std::string& target_id, const SignalOrder& signal, const Actor& actor,
                                       const Problem& why) {
  std::optional<StoredCase> target = transaction_.find_case(target_id);
  if (!target) return;
  StoredCase updated = *target;
  updated.version = target->version + 1;
  updated.updated_at = now_.instant;
  if (!transaction_.update_case(updated, target->version)) return;

  StoredEvent event = new_event(target_id, updated.version, "signal_skipped", actor);
  event.transition = signal.transition;
  event.from_state = target->state;
  event.to_state = target->state;
  event.comment = why.detail.en;
  event.effects = nlohmann::json::array({{{"skipped", to_string(why.code)}, {"reason", to_json(why.detail)}}});
  append(std::move(event));
}

}  // namespace

bool is_valid_case_id(std::string_view id) {
  if (id.empty() || id.size() > 64 || id[0] < 'a' || id[0] > 'z') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

CaseService::CaseService(std::shared_ptr<const WorkflowRegistry> registry, CaseStore& store,
                         const DeadlineTracker* deadlines)
    : registry_(std::move(registry)), store_(store), deadlines_(deadlines) {}

// The system role acts only through signals inside a command; no caller may claim it.
static std::optional<Problem> reject_system_actor(const Actor& actor) {
  if (actor.role != kSystemRole) return std::nullopt;
  return make_problem(ErrorCode::role_not_allowed,
                      {"system 角色仅供关联案件的信号使用，不能由调用方声明", "the system role is reserved for signals between cases; callers may not act as it"});
}

Result<CommandOutcome> CaseService::create_case(const CreateCaseRequest& request, const Moment& now) {
  if (auto problem = reject_system_actor(request.actor)) return std::move(*problem);
  try {
    std::unique_ptr<CaseTransaction> transaction = store_.begin();
    CommandRun run(*registry_, *transaction, deadlines_, now, request.time_known);
    Result<StoredCase> created =
        run.create(request.workflow_id, request.case_id, request.data, request.actor, request.comment, false);
    if (!created) return created.problem();
    transaction->commit();
    if (run.deadlines_changed() && deadlines_changed_) deadlines_changed_();
    run.outcome().stored = std::move(created).value();
    return std::move(run.outcome());
  } catch (const StoreError& error) {
    return unavailable_problem(error);
  }
}

Result<CommandOutcome> CaseService::fire(const FireRequest& request, const Moment& now) {
  if (auto problem = reject_system_actor(request.transition.actor)) return std::move(*problem);
  try {
    std::unique_ptr<CaseTransaction> transaction = store_.begin();
    CommandRun run(*registry_, *transaction, deadlines_, now, request.time_known);
    Result<StoredCase> fired = run.fire(request.case_id, request.transition, request.expected_version, 0);
    if (!fired) return fired.problem();
    transaction->commit();
    if (run.deadlines_changed() && deadlines_changed_) deadlines_changed_();
    run.outcome().stored = std::move(fired).value();
    return std::move(run.outcome());
  } catch (const StoreError& error) {
    return unavailable_problem(error);
  }
}

Result<CaseDetail> CaseService::case_detail(std::string_view case_id, const Actor& actor) {
  try {
    std::optional<StoredCase> stored = store_.find_case(case_id);
    if (!stored) return case_not_found(case_id);

    CaseDetail detail;
    detail.links = store_.links_of(case_id);
    LinkedCases linked;
    for (const CaseLink& link : detail.links) {
      if (auto other = store_.find_case(link.linked_case_id)) linked[link.role] = std::move(*other);
    }
    if (WorkflowPtr workflow = registry_->find(stored->workflow_id, stored->workflow_version)) {
      nlohmann::json settings = settings_of(*workflow, stored->data, deadlines_);
      detail.available = available_transitions(*workflow, *stored, linked, actor, &settings);
    }
    detail.deadlines = store_.deadlines_of(case_id);
    detail.stored = std::move(*stored);
    return detail;
  } catch (const StoreError& error) {
    return unavailable_problem(error);
  }
}

}  // namespace sitecycle
