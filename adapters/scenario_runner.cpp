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
  ScenarioRunner(const Scenario& scenario, CaseService& service, Instant start, Language language)
      : scenario_(scenario), service_(service), clock_(start), language_(language) {}

  ScenarioRun run();

 private:
  void run_step(const ScenarioStep& step);
  void run_create(const ScenarioStep& step, const CreateAction& create);
  void run_fire(const ScenarioStep& step, const FireAction& fire);
  void check_expectation(const ScenarioStep& step, const Expectation& expect);
  void record_outcome(const ScenarioStep& step, const CommandOutcome& outcome);
  void check_rejection(const ScenarioStep& step, const Problem& problem);
  void check_unexpected_success(const ScenarioStep& step);
  std::optional<std::string> resolve_case(const std::string& name);
  void fail(const ScenarioStep& step, const std::string& zh_cn, const std::string& en);
  std::string event_comment(const std::string& comment) const;
  nlohmann::json case_reports();

  const Scenario& scenario_;
  CaseService& service_;
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
  if (step.create) run_create(step, *step.create);
  if (step.fire) run_fire(step, *step.fire);
  if (step.expect) check_expectation(step, *step.expect);
}

void ScenarioRunner::run_create(const ScenarioStep& step, const CreateAction& create) {
  CreateCaseRequest request{create.workflow, create.case_id, create.data, create.actor, event_comment(create.comment)};
  Result<CommandOutcome> outcome = service_.create_case(request, clock_.now());
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
  FireRequest request{*case_id, TransitionRequest{fire.transition, fire.actor, fire.input, event_comment(fire.comment)},
                      std::nullopt};
  Result<CommandOutcome> outcome = service_.fire(request, clock_.now());
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
    for (const CaseLink& back : service_.store().links_of(opened)) {
      auto parent = aliases_.find(back.linked_case_id);
      if (parent == aliases_.end()) continue;
      for (const CaseLink& forward : service_.store().links_of(back.linked_case_id)) {
        if (forward.linked_case_id == opened) aliases_[opened] = parent->second + "." + forward.role;
      }
    }
  }
}

void ScenarioRunner::check_rejection(const ScenarioStep& step, const Problem& problem) {
  if (step.expect_rejection && *step.expect_rejection == problem.code) return;
  std::string expected = step.expect_rejection ? std::string(to_string(*step.expect_rejection)) : std::string();
  if (expected.empty()) {
    fail(step, fmt::format("操作被拒绝（{}）：{}", to_string(problem.code), problem.detail.zh_cn),
         fmt::format("the action was rejected ({}): {}", to_string(problem.code), problem.detail.en));
  } else {
    fail(step, fmt::format("预期以 {} 拒绝，实际以 {} 拒绝：{}", expected, to_string(problem.code), problem.detail.zh_cn),
         fmt::format("expected rejection {}, got {}: {}", expected, to_string(problem.code), problem.detail.en));
  }
}

void ScenarioRunner::check_unexpected_success(const ScenarioStep& step) {
  if (!step.expect_rejection) return;
  fail(step, fmt::format("预期以 {} 拒绝，但操作成功", to_string(*step.expect_rejection)),
       fmt::format("expected rejection {}, but the action succeeded", to_string(*step.expect_rejection)));
}

void ScenarioRunner::check_expectation(const ScenarioStep& step, const Expectation& expect) {
  std::optional<std::string> case_id = resolve_case(expect.case_name);
  std::optional<StoredCase> stored = case_id ? service_.store().find_case(*case_id) : std::nullopt;
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
    for (const CaseLink& link : service_.store().links_of(current)) {
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
    std::optional<StoredCase> stored = service_.store().find_case(id);
    if (!stored) continue;
    nlohmann::json events = nlohmann::json::array();
    Page<StoredEvent> page = service_.store().events_of(id, 1000, 0);
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
                     {"events", events}});
  }
  return cases;
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

ScenarioRun run_scenario(const Scenario& scenario, CaseService& service, Instant default_start, Language language) {
  Instant start = scenario.start.value_or(first_dated_step(scenario).value_or(default_start));
  // Undated steps before the first dated one run at that first date, and the report marks
  // their events "dated": false, so no date is claimed for them.
  ScenarioRunner runner(scenario, service, start, language);
  return runner.run();
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

  LoadedWorkflows loaded = load_workflow_folder(scenario->workflows_folder);
  if (!loaded.diagnostics.empty()) return malformed(std::move(loaded.diagnostics), file, language);
  std::shared_ptr<const WorkflowRegistry> registry = pin_workflows(loaded, store, diagnostics);
  if (!diagnostics.empty()) return malformed(std::move(diagnostics), file, language);

  CaseService service(registry, store);
  return run_scenario(*scenario, service, default_start, language);
}

}  // namespace sitecycle
