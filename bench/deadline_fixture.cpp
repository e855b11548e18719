#include "bench/deadline_fixture.h"

#include "adapters/clock.h"
#include "bench/commands.h"
#include "bench/review_loop.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace sitecycle::bench {

namespace {

using std::chrono::days;
using std::chrono::sys_days;
using Seconds = std::chrono::duration<double>;

// The values of the field `district` in workflows/investigation.yaml. The cases take them in
// turn, so the review deadlines belong to the 16 district ecology and environment bureaus of
// workflows/agencies.yaml.
constexpr std::array<const char*, 16> kDistricts = {
    "huangpu", "xuhui",   "changning", "jingan",  "putuo",     "hongkou", "yangpu",   "minhang",
    "baoshan", "jiading", "pudong",    "jinshan", "songjiang", "qingpu",  "fengxian", "chongming",
};

constexpr const char* kCasesOpenedAt = "2017-01-03T09:00:00";  // a Tuesday and a working day
constexpr Date kFirstLaterStart{std::chrono::year{2017}, std::chrono::January, std::chrono::day{4}};
// Its 20 working days end in December 2026, so no due date reaches 2027, which has no calendar.
constexpr Date kLastLaterStart{std::chrono::year{2026}, std::chrono::November, std::chrono::day{30}};
constexpr std::chrono::hours kStartHour{9};

Moment moment_at(const char* local_time) {
  std::optional<Instant> instant = parse_instant(local_time);
  if (!instant) throw std::runtime_error(fmt::format("the benchmark instant {} does not parse", local_time));
  return make_moment(*instant);
}

std::string render_diagnostics(const Diagnostics& diagnostics) {
  std::string rendered;
  for (const Diagnostic& diagnostic : diagnostics) rendered += diagnostic.to_string() + "\n";
  return rendered;
}

std::unique_ptr<DeadlineEnvironment> load_environment(const WorkflowRegistry& registry) {
  LoadedDeadlineEnvironment loaded = load_deadline_environment(SITECYCLE_WORKFLOWS_DIR, registry.latest_all());
  if (!loaded.environment) {
    throw std::runtime_error(fmt::format("the calendars or agencies beside {} do not load:\n{}",
                                         SITECYCLE_WORKFLOWS_DIR, render_diagnostics(loaded.diagnostics)));
  }
  return std::move(loaded.environment);
}

// The case's open cycle of rule `review`, which accept_for_review started.
DeadlineRecord open_review_deadline(CaseStore& store, const std::string& case_id) {
  for (DeadlineRecord& record : store.deadlines_of(case_id)) {
    if (record.rule_id == "review" && is_open(record.state)) return record;
  }
  throw std::runtime_error(fmt::format("case {} has no open review deadline after accept_for_review", case_id));
}

// Starts cycle `cycle` of rule `review` for `step` (accept_for_review) at `at`. The tracker
// computes the record as it does for CaseService, which passes it the same step.
DeadlineRecord start_review_cycle(const DeadlineTracker& tracker, const Workflow& workflow, const CaseStep& step,
                                  int cycle, Instant at) {
  DeadlineChanges changes = tracker.on_step(workflow, step, {}, at);
  for (DeadlineRecord& record : changes.started) {
    if (record.rule_id != "review") continue;
    record.cycle = cycle;
    return std::move(record);
  }
  throw std::runtime_error(fmt::format("accept_for_review on case {} at {} started no review deadline",
                                       step.after->id, format_instant(at)));
}

// The start day of later cycle `index` of `count`, spread evenly over kFirstLaterStart to
// kLastLaterStart.
Date later_start_day(std::int64_t index, std::int64_t count) {
  const std::int64_t span = (sys_days{kLastLaterStart} - sys_days{kFirstLaterStart}).count() + 1;
  return Date{sys_days{kFirstLaterStart} + days{index * span / count}};
}

}  // namespace

DeadlineFixture::DeadlineFixture(DeadlineFixtureSize size)
    : size_(size), bench_(StoreLocation::temporary_file) {
  if (size_.cases < 1 || size_.open_deadlines < size_.cases || size_.rows_per_transaction < 1) {
    throw std::runtime_error(fmt::format("invalid fixture size: {} cases, {} open deadlines, {} rows per transaction",
                                         size_.cases, size_.open_deadlines, size_.rows_per_transaction));
  }

  // The calendars and agencies of workflows/, and both services over the one store. BenchStore
  // owns the registry and outlives the services, so they get a pointer that owns nothing.
  environment_ = load_environment(bench_.registry());
  std::shared_ptr<const WorkflowRegistry> registry(std::shared_ptr<void>{}, &bench_.registry());
  case_service_ = std::make_unique<CaseService>(registry, bench_.store(), environment_->tracker.get());
  deadline_service_ = std::make_unique<DeadlineService>(registry, bench_.store(), *environment_->tracker);

  const auto started = std::chrono::steady_clock::now();
  open_cases();
  const auto cases_opened = std::chrono::steady_clock::now();
  insert_later_cycles();
  setup_times_.cases = Seconds(cases_opened - started);
  setup_times_.rows = Seconds(std::chrono::steady_clock::now() - cases_opened);

  collect_due();
}

void DeadlineFixture::open_cases() {
  const Moment opened_at = moment_at(kCasesOpenedAt);
  cases_.reserve(static_cast<std::size_t>(size_.cases));
  for (int i = 0; i < size_.cases; ++i) {
    CreateCaseRequest create;
    create.workflow_id = "investigation";
    create.data = {{"trigger", "voluntary"},
                   {"planned_class", 1},
                   {"parcel_name", fmt::format("基准测试地块 {}", i + 1)},
                   {"district", kDistricts[static_cast<std::size_t>(i) % kDistricts.size()]}};
    create.actor = bench_actor("land_reserve_centre");
    const std::string case_id =
        require_ok(case_service_->create_case(create, opened_at), "creating an investigation").stored.id;
    submit_investigation_report(*case_service_, case_id, opened_at);
    cases_.push_back(
        fire_or_throw(*case_service_, case_id, make_request("accept_for_review", "district_eeb"), opened_at).stored);
  }
}

void DeadlineFixture::insert_later_cycles() {
  WorkflowPtr workflow = bench_.registry().latest("investigation");
  const Transition* accept = workflow ? workflow->find_transition("accept_for_review") : nullptr;
  if (accept == nullptr) {
    throw std::runtime_error("workflow investigation with transition accept_for_review is not loaded");
  }
  const DeadlineTracker& tracker = *environment_->tracker;

  // Each case as it was just before accept_for_review, so that every step given to the tracker
  // starts a review clock.
  std::vector<StoredCase> submitted = cases_;
  for (StoredCase& stored : submitted) stored.state = "report_submitted";

  const std::int64_t case_count = size_.cases;
  const std::int64_t later = size_.open_deadlines - case_count;
  std::int64_t inserted = 0;
  while (inserted < later) {
    std::unique_ptr<CaseTransaction> transaction = store().begin();
    const std::int64_t end = std::min(later, inserted + size_.rows_per_transaction);
    for (; inserted < end; ++inserted) {
      const auto case_index = static_cast<std::size_t>(inserted % case_count);
      const CaseStep step{&submitted[case_index], &cases_[case_index], accept};
      const Date start_day = later_start_day(inserted, later);
      const Instant started_at = environment_->zones.start_of_day(start_day, kShanghaiZone) + kStartHour;
      DeadlineRecord record =
          start_review_cycle(tracker, *workflow, step, static_cast<int>(2 + inserted / case_count), started_at);
      if (!record.next_fire_at || record.provisional) {
        throw std::runtime_error(fmt::format("cycle {} of case {}, started on {}, has no firing or a provisional "
                                             "due date",
                                             record.cycle, record.case_id, format_date(record.started_on)));
      }
      transaction->insert_deadline(record);
    }
    transaction->commit();
  }
}

void DeadlineFixture::collect_due() {
  // The first cycles all started on the same day with the same period, so they share one
  // warning instant.
  const DeadlineRecord first = open_review_deadline(store(), cases_.front().id);
  if (!first.next_fire_at) throw std::runtime_error("the first review deadline has no next_fire_at");
  now_ = make_moment(*first.next_fire_at);

  // Read in a transaction that is never committed, so nothing changes.
  std::unique_ptr<CaseTransaction> transaction = store().begin();
  due_ = transaction->due_deadlines(now_.instant, size_.cases + 1);
  if (static_cast<int>(due_.size()) != size_.cases) {
    throw std::runtime_error(fmt::format("{} deadlines are due at {}, expected {}", due_.size(),
                                         format_instant(now_.instant), size_.cases));
  }
  for (const DeadlineRecord& record : due_) {
    if (record.cycle != 1) {
      throw std::runtime_error(fmt::format("cycle {} of case {} is due at {}, expected only first cycles", record.cycle,
                                           record.case_id, format_instant(now_.instant)));
    }
  }
}

void DeadlineFixture::restore_due() {
  std::unique_ptr<CaseTransaction> transaction = store().begin();
  for (DeadlineRecord& record : due_) {
    // One fire_due() raised the stored version by one, and this update raises it by one more.
    if (!transaction->update_deadline(record, record.version + 1)) {
      throw std::runtime_error(fmt::format("restoring deadline {} of case {} failed because its stored version is "
                                           "not {}",
                                           record.id, record.case_id, record.version + 1));
    }
    record.version += 2;
  }
  transaction->commit();
}

}  // namespace sitecycle::bench
