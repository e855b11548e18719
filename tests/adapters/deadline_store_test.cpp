// The SQLite deadline and outbox tables, and DeadlineService::fire_due over a real SQLite file.
// Cases come from the permit fixture (tests/data/workflows/deadlines) through a CaseService
// with a DeadlineTracker on the shipped calendars and the tz database's Asia/Shanghai.
#include "adapters/calendar_files.h"
#include "adapters/clock.h"
#include "case_service_fixture.h"
#include "test_database.h"
#include "engine/deadline_service.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace sitecycle;
using namespace sitecycle::testing;
using nlohmann::json;

namespace {

Date date_of(const char* text) {
  std::optional<Date> parsed = parse_date(text);
  if (!parsed) throw std::invalid_argument(std::string("not a date: ") + text);
  return *parsed;
}

Instant instant_of(const char* text) {
  std::optional<Instant> parsed = parse_utc_instant(text);
  if (!parsed) throw std::invalid_argument(std::string("not an instant: ") + text);
  return *parsed;
}

// `hour`:00 Shanghai time on `date`, as the clock would give it.
Moment shanghai_moment(const char* date, int hour = 10) {
  return make_moment(start_of_local_day(date_of(date), kShanghaiZone) + std::chrono::hours{hour});
}

std::string text(const std::optional<Instant>& instant) { return instant ? format_instant(*instant) : "none"; }

// Every field of a record on one line, so that two records compare field by field.
std::string describe(const DeadlineRecord& record) {
  std::string pauses;
  for (const PauseInterval& pause : record.pauses) {
    pauses += format_date(pause.from) + ".." + (pause.to ? format_date(*pause.to) : "open") + " ";
  }
  return fmt::format(
      "id={} case={} workflow={}@{} rule={} cycle={} agency={} calendar={} zone={} responsible={} progress={} "
      "paused={} amount={} warning_wd={} started_on={} started_at={} pauses=[{}] due_on={} due_at={} warning_at={} "
      "escalation_level={} next_fire_at={} provisional={} missing_years={} ended_at={} end_reason={} version={} "
      "created_at={} updated_at={}",
      record.id, record.case_id, record.workflow_id, record.workflow_version, record.rule_id, record.cycle,
      record.agency_id, record.calendar_id, record.time_zone, record.responsible,
      deadline_progress_name(record.state.progress), record.state.paused, record.amount, record.warning_working_days,
      format_date(record.started_on), format_instant(record.started_at), pauses, format_date(record.due_on),
      format_instant(record.due_at), format_instant(record.warning_at), record.escalation_level,
      text(record.next_fire_at), record.provisional, json(record.missing_years).dump(), text(record.ended_at),
      record.end_reason, record.version, format_instant(record.created_at), format_instant(record.updated_at));
}

fs::path deadline_workflows() { return fs::path(SITECYCLE_TEST_DATA_DIR) / "workflows" / "deadlines"; }

CalendarSet shipped_calendars() {
  LoadedCalendars loaded = load_calendar_folder(shipped_workflows() / "calendars");
  if (!loaded.diagnostics.empty()) throw std::runtime_error("the shipped calendars have problems");
  return std::move(loaded.set);
}

// The permit workflow on a fresh database (see test_database.h), with deadline clocks and the deadline service.
class DeadlineStoreFixture {
 public:
  DeadlineStoreFixture()
      : store_(database_.open()),
        registry_(load_and_pin(deadline_workflows(), store_)),
        calendars_(shipped_calendars()),
        tracker_(nullptr, calendars_.calendars, zones_),
        service_(registry_, store_, &tracker_),
        deadlines_(registry_, store_, tracker_) {}

  SqlCaseStore& store() { return store_; }
  DeadlineService& deadlines() { return deadlines_; }
  const DeadlineTracker& tracker() const { return tracker_; }

  // Creates a permit (in draft, with no clock running) at `moment` and returns its id.
  std::string create_permit(const Moment& moment) {
    CreateCaseRequest request;
    request.workflow_id = "permit";
    request.actor = actor("applicant");
    return require_ok(service_.create_case(request, moment), "creating a permit").stored.id;
  }

  void fire(const std::string& case_id, const std::string& transition, const std::string& role, const Moment& moment) {
    require_ok(service_.fire(fire_request(case_id, transition, role), moment), transition);
  }

  // A permit submitted and accepted on `date`, so its review clock runs from that day.
  std::string permit_under_review(const char* date) {
    std::string id = create_permit(shanghai_moment(date, 8));
    fire(id, "submit", "applicant", shanghai_moment(date, 9));
    fire(id, "accept", "reviewer", shanghai_moment(date, 10));
    return id;
  }

  // Inserts `records` in one committed transaction and returns their ids in order.
  std::vector<std::int64_t> insert(const std::vector<DeadlineRecord>& records) {
    std::unique_ptr<CaseTransaction> transaction = store_.begin();
    std::vector<std::int64_t> ids;
    for (const DeadlineRecord& record : records) ids.push_back(transaction->insert_deadline(record));
    transaction->commit();
    return ids;
  }

  const DeadlineRecord& only_cycle(const std::string& case_id, const std::string& rule_id) {
    cycles_ = store_.deadlines_of(case_id);
    auto found = std::find_if(cycles_.begin(), cycles_.end(),
                              [&](const DeadlineRecord& record) { return record.rule_id == rule_id; });
    if (found == cycles_.end()) throw std::runtime_error("no " + rule_id + " deadline on " + case_id);
    return *found;
  }

 private:
  TestDatabase database_;
  SqlCaseStore store_;
  std::shared_ptr<const WorkflowRegistry> registry_;
  CalendarSet calendars_;
  TzDatabaseZones zones_;
  DeadlineTracker tracker_;
  CaseService service_;
  DeadlineService deadlines_;
  std::vector<DeadlineRecord> cycles_;
};

// A record of `case_id` with every field set to a value other than its default.
DeadlineRecord full_record(const std::string& case_id) {
  DeadlineRecord record;
  record.case_id = case_id;
  record.workflow_id = "permit";
  record.workflow_version = 1;
  record.rule_id = "review";
  record.cycle = 3;
  record.agency_id = "pudong_eeb";
  record.calendar_id = "CN";
  record.time_zone = "Asia/Shanghai";
  record.responsible = "reviewer";
  record.state = DeadlineState{DeadlineProgress::escalated, true};
  record.amount = 15;
  record.warning_working_days = 4;
  record.started_on = date_of("2026-02-10");
  record.started_at = instant_of("2026-02-10T02:00:00Z");
  record.pauses = {PauseInterval{date_of("2026-02-12"), date_of("2026-02-25")},
                   PauseInterval{date_of("2026-03-20"), std::nullopt}};
  record.due_on = date_of("2026-03-16");
  record.due_at = instant_of("2026-03-16T16:00:00Z");
  record.warning_at = instant_of("2026-03-10T16:00:00Z");
  record.escalation_level = 2;
  record.next_fire_at = instant_of("2026-03-25T16:00:00Z");
  record.provisional = true;
  record.missing_years = {2027, 2028};
  record.ended_at = instant_of("2026-03-26T03:04:05Z");
  record.end_reason = "restart";
  record.created_at = instant_of("2026-02-10T02:00:00Z");
  record.updated_at = instant_of("2026-03-26T03:04:05Z");
  return record;
}

// A record named `rule_id` (the label the list tests check), otherwise as plain as possible.
DeadlineRecord labelled(const std::string& case_id, const std::string& rule_id, DeadlineState state,
                        const char* due_at, const std::string& agency_id = "pudong_eeb",
                        const std::string& responsible = "reviewer") {
  DeadlineRecord record;
  record.case_id = case_id;
  record.workflow_id = "permit";
  record.workflow_version = 1;
  record.rule_id = rule_id;
  record.agency_id = agency_id;
  record.calendar_id = "CN";
  record.time_zone = "Asia/Shanghai";
  record.responsible = responsible;
  record.state = state;
  record.started_on = date_of("2026-03-02");
  record.due_on = date_of("2026-03-02");
  record.due_at = instant_of(due_at);
  return record;
}

std::vector<std::string> rule_ids(const std::vector<DeadlineRecord>& records) {
  std::vector<std::string> ids;
  for (const DeadlineRecord& record : records) ids.push_back(record.rule_id);
  return ids;
}

using Ids = std::vector<std::string>;

std::vector<std::string> kinds_of_events(CaseStore& store, const std::string& case_id) {
  std::vector<std::string> kinds;
  for (const StoredEvent& event : store.events_of(case_id, 1000, 0).items) kinds.push_back(event.kind);
  return kinds;
}

}  // namespace

TEST_CASE("deadline table round-trips every field", "[deadline][store]") {
  DeadlineStoreFixture fixture;
  std::string case_id = fixture.create_permit(shanghai_moment("2026-02-10"));
  DeadlineRecord written = full_record(case_id);
  written.id = 999;      // ignored: the store assigns ids
  written.version = 42;  // ignored: a new record starts at version 1

  std::int64_t id = fixture.insert({written}).front();
  CHECK(id > 0);
  written.id = id;
  written.version = 1;

  std::vector<DeadlineRecord> read = fixture.store().deadlines_of(case_id);
  REQUIRE(read.size() == 1);
  CHECK(describe(read[0]) == describe(written));

  std::unique_ptr<CaseTransaction> transaction = fixture.store().begin();
  std::vector<DeadlineRecord> read_in_transaction = transaction->deadlines_of(case_id);
  REQUIRE(read_in_transaction.size() == 1);
  CHECK(describe(read_in_transaction[0]) == describe(written));
}

TEST_CASE("deadline table rejects a stale version", "[deadline][store]") {
  DeadlineStoreFixture fixture;
  std::string case_id = fixture.create_permit(shanghai_moment("2026-02-10"));
  fixture.insert({full_record(case_id)});

  std::unique_ptr<CaseTransaction> transaction = fixture.store().begin();
  DeadlineRecord record = transaction->deadlines_of(case_id).front();
  REQUIRE(record.version == 1);
  record.amount = 20;
  CHECK(transaction->update_deadline(record, 1));
  record.amount = 30;
  CHECK_FALSE(transaction->update_deadline(record, 1));  // now at version 2
  DeadlineRecord unknown = record;
  unknown.id = record.id + 100;
  CHECK_FALSE(transaction->update_deadline(unknown, 2));
  transaction->commit();

  DeadlineRecord stored = fixture.store().deadlines_of(case_id).front();
  CHECK(stored.version == 2);
  CHECK(stored.amount == 20);
}

TEST_CASE("deadline table writes nothing without commit", "[deadline][store]") {
  DeadlineStoreFixture fixture;
  std::string case_id = fixture.create_permit(shanghai_moment("2026-02-10"));
  {
    std::unique_ptr<CaseTransaction> transaction = fixture.store().begin();
    std::int64_t deadline_id = transaction->insert_deadline(full_record(case_id));
    OutboxMessage message;
    message.event_id = fixture.store().events_of(case_id, 1, 0).items.front().id;
    message.case_id = case_id;
    message.deadline_id = deadline_id;
    message.kind = "deadline_warning";
    message.created_at = instant_of("2026-03-10T16:00:00Z");
    transaction->insert_outbox(message);
  }
  CHECK(fixture.store().deadlines_of(case_id).empty());
  CHECK(fixture.store().outbox(10, 0).total == 0);
}

TEST_CASE("due_deadlines orders by next_fire_at", "[deadline][store]") {
  DeadlineStoreFixture fixture;
  std::string case_id = fixture.create_permit(shanghai_moment("2026-03-02"));
  CHECK_FALSE(fixture.store().next_deadline_fire_at());

  const DeadlineState armed{DeadlineProgress::armed, false};
  auto with_next = [&](const std::string& rule_id, std::optional<const char*> next_fire_at) {
    DeadlineRecord record = labelled(case_id, rule_id, armed, "2026-03-20T16:00:00Z");
    if (next_fire_at) record.next_fire_at = instant_of(*next_fire_at);
    return record;
  };
  fixture.insert({with_next("later_tie", "2026-03-12T16:00:00Z"), with_next("earliest", "2026-03-10T16:00:00Z"),
                  with_next("tie_inserted_last", "2026-03-12T16:00:00Z"), with_next("not_scheduled", std::nullopt),
                  with_next("latest", "2026-03-30T16:00:00Z")});

  std::unique_ptr<CaseTransaction> transaction = fixture.store().begin();
  CHECK(rule_ids(transaction->due_deadlines(instant_of("2026-03-12T16:00:00Z"), 10)) ==
        Ids{"earliest", "later_tie", "tie_inserted_last"});
  CHECK(rule_ids(transaction->due_deadlines(instant_of("2026-03-12T16:00:00Z"), 2)) == Ids{"earliest", "later_tie"});
  CHECK(rule_ids(transaction->due_deadlines(instant_of("2026-03-10T16:00:00Z"), 10)) == Ids{"earliest"});
  CHECK(transaction->due_deadlines(instant_of("2026-03-10T15:59:59Z"), 10).empty());
  CHECK(transaction->due_deadlines(instant_of("2026-12-31T00:00:00Z"), 0).empty());
  CHECK(transaction->due_deadlines(instant_of("2026-12-31T00:00:00Z"), 10).size() == 4);
  transaction.reset();

  CHECK(text(fixture.store().next_deadline_fire_at()) == "2026-03-10T16:00:00Z");
}

TEST_CASE("list_deadlines filters and pages", "[deadline][store]") {
  DeadlineStoreFixture fixture;
  std::string case_id = fixture.create_permit(shanghai_moment("2026-03-02"));
  using P = DeadlineProgress;
  // Inserted out of order, because the list is ordered by due_at, then id.
  fixture.insert({
      labelled(case_id, "armed", {P::armed, false}, "2026-03-16T16:00:00Z"),
      labelled(case_id, "warned", {P::warned, false}, "2026-03-12T16:00:00Z"),
      labelled(case_id, "breached", {P::breached, false}, "2026-03-05T16:00:00Z", "city_eeb", "applicant"),
      labelled(case_id, "escalated", {P::escalated, false}, "2026-03-02T16:00:00Z", "city_eeb", "supervisor"),
      labelled(case_id, "paused", {P::armed, true}, "2026-03-20T16:00:00Z"),
      labelled(case_id, "met", {P::met, false}, "2026-03-01T16:00:00Z", "city_eeb"),
      labelled(case_id, "cancelled", {P::cancelled, false}, "2026-03-09T16:00:00Z", "pudong_eeb", "applicant"),
  });

  auto listed = [&](DeadlineQuery query) { return rule_ids(fixture.store().list_deadlines(query).items); };
  auto with_status = [](const char* status) {
    DeadlineQuery query;
    query.status = status;
    return query;
  };

  CHECK(listed(DeadlineQuery{}) == Ids{"met", "escalated", "breached", "cancelled", "warned", "armed", "paused"});
  CHECK(listed(with_status("open")) == Ids{"escalated", "breached", "warned", "armed", "paused"});
  CHECK(listed(with_status("warning")) == Ids{"warned"});
  CHECK(listed(with_status("overdue")) == Ids{"escalated", "breached"});
  CHECK(listed(with_status("paused")) == Ids{"paused"});
  CHECK(listed(with_status("escalated")) == Ids{"escalated"});
  CHECK(listed(with_status("armed")) == Ids{"armed"});
  CHECK(listed(with_status("met")) == Ids{"met"});
  CHECK(listed(with_status("cancelled")) == Ids{"cancelled"});

  DeadlineQuery by_agency;
  by_agency.agency_id = "pudong_eeb";
  CHECK(listed(by_agency) == Ids{"cancelled", "warned", "armed", "paused"});

  DeadlineQuery due_before;
  due_before.due_before = instant_of("2026-03-12T16:00:00Z");  // strictly earlier: "warned" is out
  CHECK(listed(due_before) == Ids{"met", "escalated", "breached", "cancelled"});

  DeadlineQuery by_roles;
  by_roles.responsible_roles = {"applicant", "supervisor"};
  CHECK(listed(by_roles) == Ids{"escalated", "breached", "cancelled"});

  DeadlineQuery combined = with_status("open");
  combined.agency_id = "city_eeb";
  CHECK(listed(combined) == Ids{"escalated", "breached"});

  DeadlineQuery page;
  page.limit = 2;
  page.offset = 2;
  Page<DeadlineRecord> second_page = fixture.store().list_deadlines(page);
  CHECK(rule_ids(second_page.items) == Ids{"breached", "cancelled"});
  CHECK(second_page.total == 7);

  DeadlineQuery filtered_page = with_status("open");
  filtered_page.limit = 2;
  filtered_page.offset = 4;
  Page<DeadlineRecord> last_page = fixture.store().list_deadlines(filtered_page);
  CHECK(rule_ids(last_page.items) == Ids{"paused"});
  CHECK(last_page.total == 5);

  DeadlineQuery no_items;
  no_items.limit = 0;
  Page<DeadlineRecord> counted = fixture.store().list_deadlines(no_items);
  CHECK(counted.items.empty());
  CHECK(counted.total == 7);

  // Only the deadlines of cases whose data names the district.
  StoredCase located = *fixture.store().find_case(case_id);
  located.id = "permit_in_pudong";
  located.data = {{"district", "pudong"}};
  {
    std::unique_ptr<CaseTransaction> transaction = fixture.store().begin();
    transaction->insert_case(located);
    transaction->commit();
  }
  fixture.insert({labelled(located.id, "located", {P::armed, false}, "2026-03-25T16:00:00Z")});
  DeadlineQuery by_district;
  by_district.district = "pudong";
  CHECK(listed(by_district) == Ids{"located"});
  by_district.district = "xuhui";
  CHECK(listed(by_district).empty());
}

TEST_CASE("outbox stores and lists messages", "[deadline][store]") {
  DeadlineStoreFixture fixture;
  std::string case_id = fixture.create_permit(shanghai_moment("2026-03-02"));
  std::int64_t deadline_id = fixture.insert({full_record(case_id)}).front();
  std::int64_t event_id = fixture.store().events_of(case_id, 1, 0).items.front().id;

  std::vector<std::int64_t> ids;
  {
    std::unique_ptr<CaseTransaction> transaction = fixture.store().begin();
    for (const char* kind : {"deadline_warning", "deadline_breached", "deadline_escalated"}) {
      OutboxMessage message;
      message.event_id = event_id;
      message.case_id = case_id;
      message.deadline_id = deadline_id;
      message.kind = kind;
      message.recipients = json::array({{{"role", "reviewer"}, {"agency", "pudong_eeb"}}});
      message.payload = {{"deadline", "review"}, {"title", {{"zh-CN", "期限预警：审查"}, {"en", "deadline warning: Review"}}}};
      message.created_at = instant_of("2026-03-10T16:00:00Z");
      ids.push_back(transaction->insert_outbox(message));
    }
    transaction->commit();
  }
  CHECK(ids[0] < ids[1]);
  CHECK(ids[1] < ids[2]);

  Page<OutboxMessage> first = fixture.store().outbox(2, 0);
  CHECK(first.total == 3);
  REQUIRE(first.items.size() == 2);
  const OutboxMessage& message = first.items[0];
  CHECK(message.id == ids[0]);
  CHECK(message.event_id == event_id);
  CHECK(message.case_id == case_id);
  CHECK(message.deadline_id == deadline_id);
  CHECK(message.kind == "deadline_warning");
  CHECK(message.recipients == json::array({{{"role", "reviewer"}, {"agency", "pudong_eeb"}}}));
  CHECK(message.payload.at("title").at("zh-CN") == "期限预警：审查");
  CHECK(format_instant(message.created_at) == "2026-03-10T16:00:00Z");
  CHECK_FALSE(message.delivered_at);
  CHECK(first.items[1].kind == "deadline_breached");

  Page<OutboxMessage> rest = fixture.store().outbox(2, 2);
  REQUIRE(rest.items.size() == 1);
  CHECK(rest.items[0].kind == "deadline_escalated");
  CHECK(fixture.store().outbox(0, 0).items.empty());
}

TEST_CASE("deadline service fires exactly once", "[deadline][store]") {
  DeadlineStoreFixture fixture;
  // Review due 03-18 (10 WD from 03-04), warning as 03-13 begins, escalations at the ends of
  // 03-20 and 03-25 (2 and 5 WD after the due date).
  std::string first = fixture.permit_under_review("2026-03-04");
  // Review due 03-20 (10 WD from 03-06: 03-09..03-13, 03-16..03-20), warning as 03-17 begins,
  // escalations at the ends of 03-24 and 03-27.
  std::string second = fixture.permit_under_review("2026-03-06");
  const Ids before_firing{"created", "transition", "transition"};
  REQUIRE(kinds_of_events(fixture.store(), first) == before_firing);

  const Ids after_firing{"created",          "transition",        "transition",        "deadline_warning",
                         "deadline_breached", "deadline_escalated", "deadline_escalated"};

  SECTION("only what is due at the moment, then the rest") {
    Result<std::vector<DeadlineFiringRecord>> fired = fixture.deadlines().fire_due(shanghai_moment("2026-03-13", 12));
    REQUIRE(fired);
    REQUIRE(fired->size() == 1);
    CHECK(fired->at(0).case_id == first);
    CHECK(fired->at(0).event == DeadlineEvent::warning_due);
    CHECK(kinds_of_events(fixture.store(), second) == before_firing);
    CHECK(text(fixture.store().next_deadline_fire_at()) == "2026-03-16T16:00:00Z");

    Result<std::vector<DeadlineFiringRecord>> rest = fixture.deadlines().fire_due(shanghai_moment("2026-03-30", 12));
    REQUIRE(rest);
    CHECK(rest->size() == 7);
    CHECK(kinds_of_events(fixture.store(), first) == after_firing);
    CHECK(kinds_of_events(fixture.store(), second) == after_firing);
    CHECK(fixture.store().outbox(100, 0).total == 8);
  }

  SECTION("everything due by a later moment, once") {
    Result<std::vector<DeadlineFiringRecord>> fired = fixture.deadlines().fire_due(shanghai_moment("2026-03-30", 12));
    REQUIRE(fired);
    std::vector<std::string> lines;
    for (const DeadlineFiringRecord& firing : *fired) {
      lines.push_back(fmt::format("{} {}#{} {} at {}", firing.case_id, firing.rule_id, firing.cycle,
                                  deadline_event_name(firing.event), format_instant(firing.scheduled_at)));
    }
    // In the order of next_fire_at: all of the first case's review, then the second's.
    const std::vector<std::string> expected_lines{
        first + " review#1 warning_due at 2026-03-12T16:00:00Z",
        first + " review#1 breach_due at 2026-03-18T16:00:00Z",
        first + " review#1 escalation_due at 2026-03-20T16:00:00Z",
        first + " review#1 escalation_due at 2026-03-25T16:00:00Z",
        second + " review#1 warning_due at 2026-03-16T16:00:00Z",
        second + " review#1 breach_due at 2026-03-20T16:00:00Z",
        second + " review#1 escalation_due at 2026-03-24T16:00:00Z",
        second + " review#1 escalation_due at 2026-03-27T16:00:00Z",
    };
    CHECK(lines == expected_lines);

    CHECK(kinds_of_events(fixture.store(), first) == after_firing);
    CHECK(kinds_of_events(fixture.store(), second) == after_firing);

    // One outbox row per firing, pointing at its event, with the roles the rule names.
    Page<OutboxMessage> outbox = fixture.store().outbox(100, 0);
    CHECK(outbox.total == 8);
    REQUIRE(outbox.items.size() == 8);
    std::vector<std::int64_t> event_ids;
    for (const std::string& case_id : {first, second}) {
      for (const StoredEvent& event : fixture.store().events_of(case_id, 1000, 0).items) {
        if (event.kind.rfind("deadline_", 0) == 0) event_ids.push_back(event.id);
      }
    }
    const std::vector<std::string> roles{"applicant", "supervisor", "supervisor", "director"};
    for (std::size_t i = 0; i < outbox.items.size(); ++i) {
      INFO("outbox row " << i);
      CHECK(outbox.items[i].event_id == event_ids[i]);
      CHECK(outbox.items[i].event_id == fired->at(i).event_id);
      CHECK(outbox.items[i].case_id == fired->at(i).case_id);
      CHECK(outbox.items[i].deadline_id == fired->at(i).deadline_id);
      CHECK(outbox.items[i].recipients == json::array({{{"role", roles[i % 4]}, {"agency", "default"}}}));
    }
    CHECK(outbox.items[2].kind == "deadline_escalated");
    CHECK(outbox.items[2].payload.at("escalation_level") == 1);
    CHECK(outbox.items[3].payload.at("escalation_level") == 2);

    // The firing events carry the schedule and bump the case version once each.
    StoredEvent breach = fixture.store().events_of(first, 1000, 0).items.at(4);
    CHECK(breach.case_version == 5);
    CHECK(breach.actor.role == "system");
    CHECK(breach.input.at("due_on") == "2026-03-18");
    CHECK(breach.input.at("scheduled_at") == "2026-03-18T16:00:00Z");
    CHECK(fixture.store().find_case(first)->version == 7);

    const DeadlineRecord& review = fixture.only_cycle(first, "review");
    CHECK(review.state == DeadlineState{DeadlineProgress::escalated, false});
    CHECK(review.escalation_level == 2);
    CHECK_FALSE(review.next_fire_at);
    CHECK_FALSE(fixture.store().next_deadline_fire_at());

    // Exactly once: the same moment again fires nothing and writes nothing.
    Result<std::vector<DeadlineFiringRecord>> again = fixture.deadlines().fire_due(shanghai_moment("2026-03-30", 12));
    REQUIRE(again);
    CHECK(again->empty());
    CHECK(kinds_of_events(fixture.store(), first) == after_firing);
    CHECK(fixture.store().outbox(100, 0).total == 8);
  }
}

TEST_CASE("deadline service fires in batches", "[deadline][store]") {
  DeadlineStoreFixture fixture;
  std::string first = fixture.permit_under_review("2026-03-04");
  std::string second = fixture.permit_under_review("2026-03-06");
  std::string third = fixture.permit_under_review("2026-03-09");

  // One deadline per transaction. By 04-10 all three reviews have fired all four steps.
  Result<std::vector<DeadlineFiringRecord>> fired = fixture.deadlines().fire_due(shanghai_moment("2026-04-10", 12), 1);
  REQUIRE(fired);
  CHECK(fired->size() == 12);
  CHECK(fixture.store().outbox(100, 0).total == 12);
  CHECK_FALSE(fixture.store().next_deadline_fire_at());
  for (const std::string& case_id : {first, second, third}) {
    INFO(case_id);
    CHECK(fixture.only_cycle(case_id, "review").state.progress == DeadlineProgress::escalated);
  }
}

namespace {

std::vector<std::string> listed_ids(SqlCaseStore& store, const CaseQuery& query) {
  std::vector<std::string> ids;
  for (const ListedCase& listed : store.list_case_listings(query).items) ids.push_back(listed.stored.id);
  return ids;
}

}  // namespace

TEST_CASE("case listings carry light and due time", "[deadline][store]") {
  DeadlineStoreFixture fixture;
  // Review due 03-18 (10 WD from 03-04); by 03-19 the scheduler has marked it breached.
  const std::string late = fixture.permit_under_review("2026-03-04");
  REQUIRE(fixture.deadlines().fire_due(shanghai_moment("2026-03-19", 12)));
  // Review due 04-01 (10 WD from 03-18), still running: armed.
  const std::string running = fixture.permit_under_review("2026-03-18");
  // In draft, no clock.
  const std::string draft = fixture.create_permit(shanghai_moment("2026-03-20", 9));

  CaseQuery all;
  Page<ListedCase> page = fixture.store().list_case_listings(all);
  REQUIRE(page.items.size() == 3);
  std::map<std::string, CaseListing> listings;
  for (const ListedCase& listed : page.items) listings[listed.stored.id] = listed.listing;
  CHECK(listings[late].light == DeadlineLight::red);
  CHECK(listings[running].light == DeadlineLight::green);
  CHECK(listings[draft].light == DeadlineLight::none);
  CHECK(text(listings[running].next_due_at) == "2026-04-01T16:00:00Z");
  CHECK_FALSE(listings[draft].next_due_at);
  // Entered under_review by the accept step at 10:00 Shanghai time; the draft at its creation.
  CHECK(format_instant(listings[running].state_entered_at) == "2026-03-18T02:00:00Z");
  CHECK(format_instant(listings[draft].state_entered_at) == "2026-03-20T01:00:00Z");

  SECTION("filters by light") {
    CaseQuery query;
    query.light = DeadlineLight::red;
    CHECK(listed_ids(fixture.store(), query) == std::vector<std::string>{late});
    query.light = DeadlineLight::none;
    CHECK(listed_ids(fixture.store(), query) == std::vector<std::string>{draft});
    CHECK(fixture.store().list_case_listings(query).total == 1);
  }

  SECTION("orders by the next due time, cases without one last either way") {
    CaseQuery query;
    query.order = CaseOrder::next_due_at;
    CHECK(listed_ids(fixture.store(), query) == std::vector<std::string>{late, running, draft});
    query.descending = true;
    CHECK(listed_ids(fixture.store(), query) == std::vector<std::string>{running, late, draft});
  }

  SECTION("filters by states and by when the state was entered") {
    CaseQuery query;
    query.any_of_states = {{"permit", "draft"}, {"permit", "submitted"}, {"other", "under_review"}};
    CHECK(listed_ids(fixture.store(), query) == std::vector<std::string>{draft});
    CaseQuery entered;
    entered.state_entered = InstantRange{instant_of("2026-03-10T00:00:00Z"), instant_of("2026-03-20T00:00:00Z")};
    entered.order = CaseOrder::state_entered_at;
    CHECK(listed_ids(fixture.store(), entered) == std::vector<std::string>{running});
    CaseQuery created;
    created.created = InstantRange{instant_of("2026-03-20T00:00:00Z"), instant_of("2026-04-01T00:00:00Z")};
    CHECK(listed_ids(fixture.store(), created) == std::vector<std::string>{draft});
  }

  SECTION("finds the cases waiting for a role") {
    CaseQuery query;
    query.waiting_role = "reviewer";  // responsible for the review deadlines
    CHECK(listed_ids(fixture.store(), query) == std::vector<std::string>{late, running});
    query.waiting_states = {{"permit", "draft"}};
    CHECK(listed_ids(fixture.store(), query) == std::vector<std::string>{late, running, draft});
    query.waiting_role = "applicant";
    CHECK(listed_ids(fixture.store(), query) == std::vector<std::string>{draft});
  }

    SECTION("filters by a party") {
    REQUIRE(fixture.store().add_case_party({running, "greenment", "wang_li", instant_of("2026-03-20T00:00:00Z")}));
    CaseQuery query;
    query.party_org = "greenment";
    CHECK(listed_ids(fixture.store(), query) == std::vector<std::string>{running});
    CHECK(fixture.store().list_cases(query).total == 1);
  }
}
