#include "adapters/scenario_runner.h"

#include "adapters/workflow_files.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace sitecycle {

namespace {

// Steps whose source gives no date still need a clock value. They run at the current simulated time,
// and the report marks their events "dated": false.
class ScenarioRunner {
 public:
  ScenarioRunner(const Scenario& scenario, ReplayServices& services, Instant start, Language language)
      : scenario_(scenario), services_(services), clock_(start), language_(language) {}

  ScenarioRun run();

 private:
  void run_step(const ScenarioStep& step);
  void run_create(const ScenarioStep& step, const CreateAction& create);
  void run_fire(const ScenarioStep& step, const FireAction& fire);
  void check_expectation(const ScenarioStep& step, const Expectation& expect);
  void check_deadline(const ScenarioStep& step, const std::string& case_name, const std::string& case_id,
                      const DeadlineExpectation& expect);
  void check_event_counts(const ScenarioStep& step, const Expectation& expect, const std::string& case_id);
  void fire_due_deadlines(const ScenarioStep& step);
  void restart(const ScenarioStep& step);
  nlohmann::json deadline_reports(const std::string& case_id, const std::vector<StoredEvent>& events);
  CaseService& service() { return services_.cases(); }
  void record_outcome(const ScenarioStep& step, const CommandOutcome& outcome);
  void check_rejection(const ScenarioStep& step, const Problem& problem);
  void check_unexpected_success(const ScenarioStep& step);
  std::optional<std::string> resolve_case(const std::string& name);
  void fail(const ScenarioStep& step, const std::string& zh_cn, const std::string& en);
  std::string event_comment(const std::string& comment) const;
  nlohmann::json case_reports();

  const Scenario& scenario_;
  ReplayServices& services_;
  ManualClock clock_;
  Language language_;
  bool dated_ = true;
  std::map<std::string, std::string> names_;       // scenario name -> case id
  std::map<std::string, std::string> aliases_;     // case id -> NAME or NAME.ROLE...
  std::vector<std::string> case_order_;            // ids in order of first appearance
  std::map<std::int64_t, bool> event_dated_;
  nlohmann::json failures_ = nlohmann::json::array();
};

ScenarioRun ScenarioRunner::run() {
  for (const ScenarioStep& step : scenario_.steps) run_step(step);

  ScenarioRun result;
  result.status = failures_.empty() ? ScenarioRun::Status::passed : ScenarioRun::Status::failed;
  result.report = {{"scenario", scenario_.id},
                   {"title", to_json(scenario_.title)},
                   {"file", scenario_.file.string()},
                   {"passed", failures_.empty()},
                   {"cases", case_reports()},
                   {"failures", failures_}};
  return result;
}

void ScenarioRunner::run_step(const ScenarioStep& step) {
  if (step.time.kind == StepTime::Kind::instant) {
    if (step.time.instant < clock_.now().instant) {
      fail(step, fmt::format("时间 {} 早于当前模拟时钟，时钟不能倒退", step.time.text),
           fmt::format("time {} is before the simulated clock; the clock never moves backwards", step.time.text));
      return;
    }
    clock_.set(step.time.instant);
  }
  dated_ = step.time.kind != StepTime::Kind::not_published;
  if (step.advance) clock_.advance(*step.advance);
  if (step.restart) restart(step);
  fire_due_deadlines(step);
  if (step.create) run_create(step, *step.create);
  if (step.fire) run_fire(step, *step.fire);
  if (step.expect) check_expectation(step, *step.expect);
}

void ScenarioRunner::run_create(const ScenarioStep& step, const CreateAction& create) {
  CreateCaseRequest request{create.workflow, create.case_id, create.data, create.actor, event_comment(create.comment), dated_};
  Result<CommandOutcome> outcome = service().create_case(request, clock_.now());
  if (!outcome) {
    check_rejection(step, outcome.problem());
    return;
  }
  names_[create.name] = outcome->stored.id;
  aliases_[outcome->stored.id] = create.name;
  record_outcome(step, *outcome);
  check_unexpected_success(step);
}

void ScenarioRunner::run_fire(const ScenarioStep& step, const FireAction& fire) {
  std::optional<std::string> case_id = resolve_case(fire.case_name);
  if (!case_id) {
    Problem problem = make_problem(ErrorCode::not_found, {fmt::format("场景中没有名为 {} 的案件", fire.case_name),
                                                          fmt::format("no case named {} in this scenario", fire.case_name)});
    check_rejection(step, problem);
    return;
  }
  // A replayed record carries no files, so required documents are not checked.
  TransitionRequest transition{fire.transition, fire.actor, fire.input, event_comment(fire.comment), std::nullopt};
  FireRequest request{*case_id, std::move(transition), std::nullopt, dated_};
  Result<CommandOutcome> outcome = service().fire(request, clock_.now());
  if (!outcome) {
    check_rejection(step, outcome.problem());
    return;
  }
  record_outcome(step, *outcome);
  check_unexpected_success(step);
}

void ScenarioRunner::record_outcome(const ScenarioStep& step, const CommandOutcome& outcome) {
  (void)step;
  for (const StoredEvent& event : outcome.events) {
    event_dated_[event.id] = dated_;
    if (std::find(case_order_.begin(), case_order_.end(), event.case_id) == case_order_.end()) {
      case_order_.push_back(event.case_id);
    }
  }
  // Name each opened case after its opener: parcel.investigation.
  for (const std::string& opened : outcome.opened_cases) {
    for (const CaseLink& back : services_.store().links_of(opened)) {
      auto parent = aliases_.find(back.linked_case_id);
      if (parent == aliases_.end()) continue;
      for (const CaseLink& forward : services_.store().links_of(back.linked_case_id)) {
        if (forward.linked_case_id == opened) aliases_[opened] = parent->second + "." + forward.role;
      }
    }
  }
}

namespace {

// Returns the message of a rejection with its field errors, so a failed step names the wrong input.
LocalizedText message_with_errors(const Problem& problem) {
  LocalizedText text = problem.detail;
  for (const FieldError& error : problem.errors) {
    text.zh_cn += fmt::format("；{}：{}", error.pointer, error.message.zh_cn);
    text.en += fmt::format("; {}: {}", error.pointer, error.message.en);
  }
  return text;
}

}  // namespace

void ScenarioRunner::check_rejection(const ScenarioStep& step, const Problem& problem) {
  LocalizedText message = message_with_errors(problem);
  if (!step.expect_rejection) {
    fail(step, fmt::format("操作被拒绝（{}）：{}", to_string(problem.code), message.zh_cn),
         fmt::format("the action was rejected ({}): {}", to_string(problem.code), message.en));
    return;
  }
  const ExpectedRejection& expected = *step.expect_rejection;
  if (expected.code != problem.code) {
    fail(step, fmt::format("预期以 {} 拒绝，实际以 {} 拒绝：{}", to_string(expected.code), to_string(problem.code), message.zh_cn),
         fmt::format("expected rejection {}, got {}: {}", to_string(expected.code), to_string(problem.code), message.en));
    return;
  }
  // The rule the workflow states when it has one, else the generated message.
  LocalizedText reason = problem.detail;
  if (auto rule = problem.extra.find("rule"); rule != problem.extra.end() && rule->is_object()) {
    reason = {rule->value("zh-CN", ""), rule->value("en", "")};
  }
  bool reason_found = expected.reason_contains.empty() ||
                      reason.zh_cn.find(expected.reason_contains) != std::string::npos ||
                      reason.en.find(expected.reason_contains) != std::string::npos;
  if (!reason_found) {
    fail(step, fmt::format("拒绝理由中没有“{}”：{}", expected.reason_contains, reason.zh_cn),
         fmt::format("the rejection reason does not contain \"{}\": {}", expected.reason_contains, reason.en));
  }
  auto basis = problem.extra.find("basis");
  std::string basis_text = basis != problem.extra.end() && basis->is_string() ? basis->get<std::string>() : std::string();
  if (!expected.basis_contains.empty() && basis_text.find(expected.basis_contains) == std::string::npos) {
    fail(step, fmt::format("拒绝依据中没有“{}”：{}", expected.basis_contains, basis_text.empty() ? "无依据" : basis_text),
         fmt::format("the rejection basis does not contain \"{}\": {}", expected.basis_contains,
                     basis_text.empty() ? "no basis" : basis_text));
  }
}

void ScenarioRunner::check_unexpected_success(const ScenarioStep& step) {
  if (!step.expect_rejection) return;
  fail(step, fmt::format("预期以 {} 拒绝，但操作成功", to_string(step.expect_rejection->code)),
       fmt::format("expected rejection {}, but the action succeeded", to_string(step.expect_rejection->code)));
}

void ScenarioRunner::check_expectation(const ScenarioStep& step, const Expectation& expect) {
  std::optional<std::string> case_id = resolve_case(expect.case_name);
  std::optional<StoredCase> stored = case_id ? services_.store().find_case(*case_id) : std::nullopt;
  if (!stored) {
    fail(step, fmt::format("场景中没有名为 {} 的案件", expect.case_name), fmt::format("no case named {} in this scenario", expect.case_name));
    return;
  }
  if (expect.state && *expect.state != stored->state) {
    fail(step, fmt::format("案件 {} 的状态应为 {}，实际为 {}", expect.case_name, *expect.state, stored->state),
         fmt::format("case {} should be in state {}, but is in {}", expect.case_name, *expect.state, stored->state));
  }
  for (const auto& [field, expected] : expect.fields.items()) {
    auto actual = stored->data.find(field);
    if (actual == stored->data.end() || *actual != expected) {
      std::string found = actual == stored->data.end() ? std::string("(none)") : actual->dump();
      fail(step, fmt::format("案件 {} 的字段 {} 应为 {}，实际为 {}", expect.case_name, field, expected.dump(), found),
           fmt::format("case {} field {} should be {}, but is {}", expect.case_name, field, expected.dump(), found));
    }
  }
  for (const DeadlineExpectation& deadline : expect.deadlines) check_deadline(step, expect.case_name, *case_id, deadline);
  check_event_counts(step, expect, *case_id);
}

void ScenarioRunner::check_deadline(const ScenarioStep& step, const std::string& case_name, const std::string& case_id,
                                    const DeadlineExpectation& expect) {
  std::optional<DeadlineRecord> found;
  std::set<std::string> present;
  for (DeadlineRecord& record : services_.store().deadlines_of(case_id)) {
    present.insert(fmt::format("{} (cycle {})", record.rule_id, record.cycle));
    if (record.rule_id != expect.rule) continue;
    if (expect.cycle ? record.cycle == *expect.cycle : (!found || record.cycle > found->cycle)) found = std::move(record);
  }
  std::string deadline_name = expect.cycle ? fmt::format("{} (cycle {})", expect.rule, *expect.cycle) : expect.rule;
  std::string deadline_name_zh = expect.cycle ? fmt::format("{}（第 {} 周期）", expect.rule, *expect.cycle) : expect.rule;
  if (!found) {
    std::string listed = present.empty() ? std::string("none") : fmt::format("{}", fmt::join(present, ", "));
    fail(step, fmt::format("案件 {} 没有期限 {}；现有期限：{}", case_name, deadline_name_zh, listed),
         fmt::format("case {} has no deadline {}; its deadlines: {}", case_name, deadline_name, listed));
    return;
  }
  auto mismatch = [&](std::string_view item, const std::string& expected, const std::string& actual) {
    if (expected == actual) return;
    fail(step, fmt::format("案件 {} 的期限 {} 的 {} 应为 {}，实际为 {}", case_name, deadline_name_zh, item, expected, actual),
         fmt::format("case {} deadline {} should have {} {}, but has {}", case_name, deadline_name, item, expected, actual));
  };
  if (expect.status) mismatch("status", *expect.status, std::string(deadline_status_name(found->state)));
  if (expect.due_on) mismatch("due_on", *expect.due_on, format_date(found->due_on));
  if (expect.light) {
    mismatch("light", *expect.light, std::string(to_string(services_.tracker().view(*found, clock_.now().instant).light)));
  }
  if (expect.provisional) mismatch("provisional", *expect.provisional ? "true" : "false", found->provisional ? "true" : "false");
}

void ScenarioRunner::check_event_counts(const ScenarioStep& step, const Expectation& expect, const std::string& case_id) {
  if (expect.event_counts.empty()) return;
  std::map<std::string, int> counts;
  for (const StoredEvent& event : services_.store().events_of(case_id, 100000, 0).items) ++counts[event.kind];
  for (const auto& [kind, expected] : expect.event_counts) {
    int actual = counts[kind];
    if (actual == expected) continue;
    fail(step, fmt::format("案件 {} 应有 {} 个 {} 事件，实际有 {} 个", expect.case_name, expected, kind, actual),
         fmt::format("case {} should have {} {} event(s), but has {}", expect.case_name, expected, kind, actual));
  }
}

// Fires what fell due up to the step's time, as the server's timer would have.
void ScenarioRunner::fire_due_deadlines(const ScenarioStep& step) {
  Result<std::vector<DeadlineFiringRecord>> fired = services_.deadlines().fire_due(clock_.now());
  if (!fired) {
    fail(step, fmt::format("期限处理失败：{}", fired.problem().detail.zh_cn),
         fmt::format("firing deadlines failed: {}", fired.problem().detail.en));
  }
}

void ScenarioRunner::restart(const ScenarioStep& step) {
  Diagnostics diagnostics;
  if (services_.restart(diagnostics)) return;
  for (const Diagnostic& diagnostic : diagnostics) {
    fail(step, diagnostic.to_string(Language::zh_cn), diagnostic.to_string(Language::en));
  }
}

std::optional<std::string> ScenarioRunner::resolve_case(const std::string& name) {
  std::vector<std::string> parts;
  std::stringstream stream(name);
  for (std::string part; std::getline(stream, part, '.');) parts.push_back(part);
  if (parts.empty()) return std::nullopt;

  auto root = names_.find(parts[0]);
  if (root == names_.end()) return std::nullopt;
  std::string current = root->second;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::optional<std::string> next;
    for (const CaseLink& link : services_.store().links_of(current)) {
      if (link.role == parts[i]) next = link.linked_case_id;  // links come oldest first
    }
    if (!next) return std::nullopt;
    current = *next;
  }
  return current;
}

// Events of undated steps carry the replay clock's time, so their comment states that the source
// published no date. The API returns the comment with each event.
std::string ScenarioRunner::event_comment(const std::string& comment) const {
  if (dated_) return comment;
  std::string marker = "日期未公布 (date not published)";
  return comment.empty() ? marker : marker + "; " + comment;
}

void ScenarioRunner::fail(const ScenarioStep& step, const std::string& zh_cn, const std::string& en) {
  failures_.push_back({{"step", step.number},
                       {"line", step.position.line},
                       {"message", language_ == Language::en ? en : zh_cn}});
}

nlohmann::json ScenarioRunner::case_reports() {
  nlohmann::json cases = nlohmann::json::array();
  for (const std::string& id : case_order_) {
    std::optional<StoredCase> stored = services_.store().find_case(id);
    if (!stored) continue;
    nlohmann::json events = nlohmann::json::array();
    Page<StoredEvent> page = services_.store().events_of(id, 100000, 0);
    for (const StoredEvent& event : page.items) {
      auto dated = event_dated_.find(event.id);
      events.push_back({{"kind", event.kind},
                        {"transition", event.transition},
                        {"from", event.from_state},
                        {"to", event.to_state},
                        {"at", format_instant(event.at)},
                        {"dated", dated == event_dated_.end() ? true : dated->second}});
    }
    auto alias = aliases_.find(id);
    cases.push_back({{"name", alias == aliases_.end() ? id : alias->second},
                     {"id", id},
                     {"workflow", stored->workflow_id},
                     {"state", stored->state},
                     {"version", stored->version},
                     {"events", events},
                     {"deadlines", deadline_reports(id, page.items)}});
  }
  return cases;
}

// Each deadline cycle with its due date and when it was warned, breached, escalated, met or
// cancelled (from the case's events, so a restart loses nothing).
nlohmann::json ScenarioRunner::deadline_reports(const std::string& case_id, const std::vector<StoredEvent>& events) {
  nlohmann::json reports = nlohmann::json::array();
  for (const DeadlineRecord& record : services_.store().deadlines_of(case_id)) {
    nlohmann::json report{{"deadline", record.rule_id},
                          {"cycle", record.cycle},
                          {"agency", record.agency_id},
                          {"started_on", format_date(record.started_on)},
                          {"due_on", format_date(record.due_on)},
                          {"due_at", format_instant(record.due_at)},
                          {"status", deadline_status_name(record.state)},
                          {"provisional", record.provisional},
                          {"missing_years", record.missing_years}};
    nlohmann::json escalated = nlohmann::json::array();
    for (const StoredEvent& event : events) {
      if (event.input.value("deadline_id", std::int64_t{0}) != record.id) continue;
      // The instant it fell due; the replay fires it when the clock next moves, as a server
      // that was down would.
      std::string at = event.input.value("scheduled_at", format_instant(event.at));
      if (event.kind == "deadline_warning") report["warned_at"] = at;
      if (event.kind == "deadline_breached") report["breached_at"] = at;
      if (event.kind == "deadline_escalated") escalated.push_back(at);
    }
    if (!escalated.empty()) report["escalated_at"] = escalated;
    if (record.ended_at) {
      bool met = record.state.progress == DeadlineProgress::met;
      report[met ? "met_at" : "cancelled_at"] = format_instant(*record.ended_at);
      report["end_reason"] = record.end_reason;
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

std::optional<Instant> first_dated_step(const Scenario& scenario) {
  for (const ScenarioStep& step : scenario.steps) {
    if (step.time.kind == StepTime::Kind::instant) return step.time.instant;
  }
  return std::nullopt;
}

ScenarioRun malformed(Diagnostics diagnostics, const std::filesystem::path& file, Language language) {
  ScenarioRun run;
  run.status = ScenarioRun::Status::malformed;
  nlohmann::json problems = nlohmann::json::array();
  for (const Diagnostic& diagnostic : diagnostics) problems.push_back(diagnostic.to_string(language));
  run.report = {{"file", file.string()}, {"passed", false}, {"errors", problems}};
  run.diagnostics = std::move(diagnostics);
  return run;
}

}  // namespace

ReplayServices::ReplayServices(std::filesystem::path workflows_folder, CaseStore& store)
    : workflows_folder_(std::move(workflows_folder)), store_(store) {}

std::unique_ptr<ReplayServices> ReplayServices::open(const std::filesystem::path& workflows_folder, CaseStore& store,
                                                     Diagnostics& diagnostics) {
  std::unique_ptr<ReplayServices> services(new ReplayServices(workflows_folder, store));
  if (!services->load(diagnostics)) return nullptr;
  return services;
}

bool ReplayServices::load(Diagnostics& diagnostics) {
  deadlines_.reset();
  cases_.reset();
  environment_.reset();

  LoadedWorkflows loaded = load_workflow_folder(workflows_folder_);
  if (!loaded.diagnostics.empty()) {
    for (Diagnostic& diagnostic : loaded.diagnostics) diagnostics.push_back(std::move(diagnostic));
    return false;
  }
  LoadedDeadlineEnvironment environment = load_deadline_environment(workflows_folder_, loaded.workflows);
  if (!environment.environment) {
    for (Diagnostic& diagnostic : environment.diagnostics) diagnostics.push_back(std::move(diagnostic));
    return false;
  }
  std::size_t problems_before = diagnostics.size();
  std::shared_ptr<const WorkflowRegistry> registry = pin_workflows(loaded, store_, diagnostics);
  if (diagnostics.size() != problems_before) return false;

  environment_ = std::move(environment.environment);
  cases_ = std::make_unique<CaseService>(registry, store_, environment_->tracker.get());
  deadlines_ = std::make_unique<DeadlineService>(registry, store_, *environment_->tracker);
  return true;
}

bool ReplayServices::restart(Diagnostics& diagnostics) { return load(diagnostics); }

ScenarioRun run_scenario(const Scenario& scenario, ReplayServices& services, Instant default_start, Language language) {
  Instant start = scenario.start.value_or(first_dated_step(scenario).value_or(default_start));
  // Undated steps before the first dated one run at that first date, and the report marks
  // their events "dated": false, so no date is claimed for them.
  ScenarioRunner runner(scenario, services, start, language);
  try {
    return runner.run();
  } catch (const StoreError& error) {
    // A store failure outside a command (reading back what a step wrote) ends this scenario.
    ScenarioRun run;
    run.status = ScenarioRun::Status::failed;
    run.report = {{"scenario", scenario.id},
                  {"file", scenario.file.string()},
                  {"passed", false},
                  {"cases", nlohmann::json::array()},
                  {"failures", nlohmann::json::array({{{"step", 0},
                                                       {"line", 0},
                                                       {"message", language == Language::en
                                                                       ? fmt::format("the case store failed: {}", error.what())
                                                                       : fmt::format("案件库出错：{}", error.what())}}})}};
    return run;
  }
}

ScenarioRun replay_scenario_file(const std::filesystem::path& file, CaseStore& store, Instant default_start,
                                 Language language) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    Diagnostic diagnostic{file.string(), 0, 0, "", {"无法读取的文件", "no readable file"}, {"可读取的场景文件", "a readable scenario file"}};
    return malformed({diagnostic}, file, language);
  }
  std::ostringstream text;
  text << stream.rdbuf();

  Diagnostics diagnostics;
  std::optional<Scenario> scenario = parse_scenario(text.str(), file, diagnostics);
  if (!scenario) return malformed(std::move(diagnostics), file, language);

  std::unique_ptr<ReplayServices> services = ReplayServices::open(scenario->workflows_folder, store, diagnostics);
  if (!services) return malformed(std::move(diagnostics), file, language);
  return run_scenario(*scenario, *services, default_start, language);
}

}  // namespace sitecycle
