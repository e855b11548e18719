// The deadline timer thread and the recomputation of provisional deadlines, on a real SQLite file
// with the shipped workflows, calendars and agencies.
#include "adapters/deadline_scheduler.h"
#include "adapters/deadline_setup.h"
#include "adapters/sql_case_store.h"
#include "case_service_fixture.h"
#include "engine/deadline_service.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace sitecycle;
using namespace sitecycle::testing;

namespace {

// Test data, not a published notice: a 2027 calendar with 01-01 to 01-03 off, standing in for
// the notice that the recomputation waits for.
constexpr const char* kCalendar2027 = R"(calendar: CN
year: 2027
notice: 测试数据（非正式通知）
notice_number: null
notice_date: 2026-11-01
source_url: https://example.org/test-data
holidays:
  - name: {zh-CN: 元旦, en: New Year's Day}
    from: 2027-01-01
    to: 2027-01-03
makeup_workdays: []
)";

Moment moment_at(const std::string& text) {
  std::optional<Instant> instant = parse_instant(text);
  REQUIRE(instant);
  return make_moment(*instant);
}

std::unique_ptr<DeadlineEnvironment> load_environment(const fs::path& folder) {
  LoadedWorkflows workflows = load_workflow_folder(folder);
  REQUIRE(workflows.diagnostics.empty());
  LoadedDeadlineEnvironment loaded = load_deadline_environment(folder, workflows.workflows);
  for (const Diagnostic& diagnostic : loaded.diagnostics) UNSCOPED_INFO(diagnostic.to_string());
  REQUIRE(loaded.environment);
  return std::move(loaded.environment);
}

// Brings a new investigation to under_review at `accepted_at`, which starts its review clock.
std::string investigation_under_review(CaseService& service, const std::string& accepted_at) {
  Moment submitted = moment_at(accepted_at);
  CreateCaseRequest create;
  create.workflow_id = "investigation";
  create.actor = actor("land_reserve_centre");
  create.data = {{"trigger", "storage"}, {"planned_class", 2}, {"parcel_name", "测试地块"}, {"district", "minhang"}};
  std::string id = require_ok(service.create_case(create, submitted), "create").stored.id;

  auto fire = [&](const std::string& transition, const std::string& role, nlohmann::json input) {
    require_ok(service.fire(fire_request(id, transition, role, std::move(input)), submitted), transition);
  };
  fire("engage_consultant", "land_reserve_centre", {{"consultant", "测试咨询公司"}});
  fire("start_phase1", "consultant", nlohmann::json::object());
  fire("start_sampling", "consultant", nlohmann::json::object());
  fire("submit_report", "consultant", {{"conclusion", "clean"}, {"evaluated_class", 2}});
  fire("accept_for_review", "district_eeb", nlohmann::json::object());
  return id;
}

DeadlineRecord review_of(CaseStore& store, const std::string& case_id) {
  for (const DeadlineRecord& record : store.deadlines_of(case_id)) {
    if (record.rule_id == "review") return record;
  }
  FAIL("no review deadline on " << case_id);
  return {};
}

int count_events(CaseStore& store, const std::string& case_id, const std::string& kind) {
  int count = 0;
  for (const StoredEvent& event : store.events_of(case_id, 1000, 0).items) count += event.kind == kind ? 1 : 0;
  return count;
}

}  // namespace

TEST_CASE("provisional deadline recomputed once its year loads", "[deadline][scheduler]") {
  TempDirectory directory;
  fs::path workflows = copy_workflows(shipped_workflows(), directory.path() / "workflows");
  SqlCaseStore store((directory.path() / "cases.db").string());
  std::shared_ptr<const WorkflowRegistry> registry = load_and_pin(workflows, store);

  std::string case_id;
  {
    std::unique_ptr<DeadlineEnvironment> environment = load_environment(workflows);
    CaseService service(registry, store, environment->tracker.get());
    // 20 working days from 2026-12-10 reach 2027-01-07 when 2027 counts weekends only.
    case_id = investigation_under_review(service, "2026-12-10T10:00:00+08:00");
  }
  DeadlineRecord before = review_of(store, case_id);
  CHECK(format_date(before.due_on) == "2027-01-07");
  CHECK(before.provisional);
  CHECK(before.missing_years == std::vector<int>{2027});

  write_text(workflows / "calendars" / "CN" / "2027.yaml", kCalendar2027);
  std::unique_ptr<DeadlineEnvironment> environment = load_environment(workflows);
  DeadlineService deadlines(registry, store, *environment->tracker);
  Result<int> recomputed = deadlines.recompute_provisional(moment_at("2026-12-11T09:00:00+08:00"));
  REQUIRE(recomputed.ok());
  CHECK(*recomputed == 1);

  DeadlineRecord after = review_of(store, case_id);
  CHECK(format_date(after.due_on) == "2027-01-08");  // 01-01 is now a holiday
  CHECK_FALSE(after.provisional);
  CHECK(after.missing_years.empty());
  REQUIRE(count_events(store, case_id, "deadline_recomputed") == 1);
  StoredEvent event = store.events_of(case_id, 1000, 0).items.back();
  CHECK(event.input["previous_due_on"] == "2027-01-07");
  CHECK(event.input["due_on"] == "2027-01-08");

  // Nothing is provisional any more, so a second run changes nothing.
  Result<int> again = deadlines.recompute_provisional(moment_at("2026-12-11T09:05:00+08:00"));
  REQUIRE(again.ok());
  CHECK(*again == 0);
  CHECK(count_events(store, case_id, "deadline_recomputed") == 1);
}

TEST_CASE("scheduler thread fires overdue deadlines once", "[deadline][scheduler]") {
  TempDirectory directory;
  SqlCaseStore store((directory.path() / "cases.db").string());
  std::shared_ptr<const WorkflowRegistry> registry = load_and_pin(shipped_workflows(), store);
  std::unique_ptr<DeadlineEnvironment> environment = load_environment(shipped_workflows());
  CaseService service(registry, store, environment->tracker.get());
  // Due 2026-03-16; the escalation follows five working days later, at the end of 2026-03-23.
  std::string case_id = investigation_under_review(service, "2026-02-10T10:00:00+08:00");

  DeadlineService deadlines(registry, store, *environment->tracker);
  StartedClock clock(*parse_instant("2026-06-01T09:00:00+08:00"));
  {
    DeadlineScheduler scheduler(deadlines, store, clock);
    scheduler.start();
    // The first run fires at once; the loop only bounds the wait on a slow machine.
    for (int attempt = 0; attempt < 200 && count_events(store, case_id, "deadline_escalated") == 0; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    scheduler.stop();
  }
  CHECK(count_events(store, case_id, "deadline_warning") == 1);
  CHECK(count_events(store, case_id, "deadline_breached") == 1);
  CHECK(count_events(store, case_id, "deadline_escalated") == 1);
  CHECK(review_of(store, case_id).state.progress == DeadlineProgress::escalated);
  CHECK_FALSE(review_of(store, case_id).next_fire_at.has_value());

  // A restarted timer finds nothing left to fire.
  Result<std::vector<DeadlineFiringRecord>> fired = deadlines.fire_due(clock.now());
  REQUIRE(fired.ok());
  CHECK(fired->empty());
  Page<OutboxMessage> outbox = store.outbox(100, 0);
  REQUIRE(outbox.items.size() == 3);
  CHECK(outbox.items[1].kind == "deadline_breached");
  CHECK(outbox.items[1].recipients == nlohmann::json::array({{{"role", "district_eeb"}, {"agency", "minhang_eeb"}}}));
  CHECK(outbox.items[2].recipients == nlohmann::json::array({{{"role", "city_eeb"}, {"agency", "minhang_eeb"}}}));
}
