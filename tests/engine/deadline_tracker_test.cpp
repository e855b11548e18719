// DeadlineTracker over the permit fixture (tests/data/workflows/deadlines/permit.yaml) on the
// shipped 2025 and 2026 CN calendars, with Shanghai time as a fixed +08:00 offset. Due dates are
// counted by hand as in deadline_schedule_test.cpp. "WD" is a working day, and the start day is
// never counted.
#include "engine/deadline_tracker.h"

#include "deadline_test_support.h"
#include "engine_fixtures.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

using namespace sitecycle;
using sitecycle::testing::day;
using sitecycle::testing::FixedOffsetZones;
using sitecycle::testing::shanghai_time;

namespace {

// `hour`:00 Shanghai time on `date`.
Instant at(const char* date, int hour = 10) { return shanghai_time(day(date), hour); }

std::string text(Date date) { return format_date(date); }
std::string text(Instant instant) { return format_instant(instant); }
std::string text(const std::optional<Instant>& instant) { return instant ? format_instant(*instant) : "none"; }

CalendarMap shipped_calendars() {
  CalendarMap calendars;
  calendars.emplace("CN", sitecycle::testing::shipped_cn_calendar({2025, 2026}));
  return calendars;
}

// TEST DATA, NOT A PUBLISHED NOTICE: a 2027 calendar for checking that loading a year recomputes
// provisional due dates. It has only New Year's Day, on Fri 2027-01-01.
CalendarYear test_only_2027() {
  CalendarYear year;
  year.calendar = "CN";
  year.year = 2027;
  year.notice = "测试数据，非正式通知 (test data, not a published notice)";
  year.notice_date = "2026-11-01";
  year.holidays.push_back(Holiday{{"元旦", "New Year's Day"}, day("2027-01-01"), day("2027-01-01")});
  return year;
}

WorkflowPtr permit_workflow() { return sitecycle::testing::parse_fixture_workflow("workflows/deadlines/permit.yaml"); }

// A permit case driven through the tracker the way CaseService does it: every step passes the
// case before and after and every stored cycle, and the changes are written back. Ids are
// assigned in insertion order, as the store would.
class PermitCase {
 public:
  PermitCase(const DeadlineTracker& tracker, WorkflowPtr workflow) : tracker_(tracker), workflow_(std::move(workflow)) {}

  DeadlineChanges create(Instant now, bool may_start = true) {
    stored_.id = "permit_000001";
    stored_.workflow_id = workflow_->id;
    stored_.workflow_version = workflow_->version;
    stored_.state = workflow_->initial_state()->id;
    stored_.version = 1;
    stored_.created_at = now;
    stored_.updated_at = now;
    return apply(CaseStep{nullptr, &stored_, nullptr}, now, may_start);
  }

  // Fires `transition_id`, writing `input` into the case data as the runtime does.
  DeadlineChanges fire(const std::string& transition_id, Instant now, const nlohmann::json& input = {},
                       bool may_start = true) {
    const Transition* transition = workflow_->find_transition(transition_id);
    if (transition == nullptr) throw std::invalid_argument("no transition " + transition_id);
    StoredCase before = stored_;
    StoredCase after = stored_;
    if (transition->to) {
      after.state = *transition->to;
      after.closed = workflow_->find_state(*transition->to)->final;
    }
    if (input.is_object()) after.data.update(input);
    after.version = before.version + 1;
    after.updated_at = now;
    DeadlineChanges changes = apply(CaseStep{&before, &after, transition}, now, may_start);
    stored_ = after;
    return changes;
  }

  const DeadlineRecord& cycle(const std::string& rule_id, int number) const {
    for (const DeadlineRecord& record : records_) {
      if (record.rule_id == rule_id && record.cycle == number) return record;
    }
    throw std::out_of_range("no cycle " + std::to_string(number) + " of " + rule_id);
  }
  DeadlineRecord& cycle(const std::string& rule_id, int number) {
    return const_cast<DeadlineRecord&>(static_cast<const PermitCase&>(*this).cycle(rule_id, number));
  }

  std::size_t cycles_of(const std::string& rule_id) const {
    return static_cast<std::size_t>(std::count_if(records_.begin(), records_.end(),
                                                  [&](const DeadlineRecord& record) { return record.rule_id == rule_id; }));
  }
  const std::vector<DeadlineRecord>& records() const { return records_; }
  const StoredCase& stored() const { return stored_; }
  const DeadlineRule& rule(const std::string& rule_id) const {
    for (const DeadlineRule& rule : workflow_->deadlines) {
      if (rule.id == rule_id) return rule;
    }
    throw std::out_of_range("no rule " + rule_id);
  }

 private:
  DeadlineChanges apply(const CaseStep& step, Instant now, bool may_start) {
    DeadlineChanges changes = tracker_.on_step(*workflow_, step, records_, now, may_start);
    for (const DeadlineRecord& updated : changes.updated) {
      auto stored = std::find_if(records_.begin(), records_.end(),
                                 [&](const DeadlineRecord& record) { return record.id == updated.id; });
      REQUIRE(stored != records_.end());
      *stored = updated;
    }
    for (DeadlineRecord started : changes.started) {
      started.id = next_id_++;
      records_.push_back(started);
    }
    return changes;
  }

  const DeadlineTracker& tracker_;
  WorkflowPtr workflow_;
  StoredCase stored_;
  std::vector<DeadlineRecord> records_;
  std::int64_t next_id_ = 1;
};

// The tracker over the shipped calendars with no agency catalog, so every clock runs on the
// national calendar in Asia/Shanghai.
struct TrackerFixture {
  CalendarMap calendars = shipped_calendars();
  FixedOffsetZones zones;
  DeadlineTracker tracker{nullptr, calendars, zones};
  PermitCase permit{tracker, permit_workflow()};
};

// Creates a permit and takes it to under_review with `accept` on `accepted_on`.
void accept_on(PermitCase& permit, const char* accepted_on) {
  permit.create(at(accepted_on, 8));
  permit.fire("submit", at(accepted_on, 9));
  permit.fire("accept", at(accepted_on, 10));
}

std::vector<std::string> actions(const DeadlineChanges& changes) {
  std::vector<std::string> lines;
  for (const nlohmann::json& effect : changes.effects) {
    std::string line = effect.at("deadline").get<std::string>() + "#" + std::to_string(effect.at("cycle").get<int>()) +
                       " " + effect.at("action").get<std::string>();
    if (effect.contains("due_on")) line += " due " + effect.at("due_on").get<std::string>();
    lines.push_back(line);
  }
  return lines;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("tracker starts on transition, stops on leave", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  CHECK(permit.create(at("2026-03-02", 9)).empty());

  // 5 calendar days from Mon 03-02 end on Sat 03-07, moved to Mon 03-09.
  DeadlineChanges submitted = permit.fire("submit", at("2026-03-02", 10));
  CHECK(actions(submitted) == Lines{"acknowledge#1 started due 2026-03-09"});
  const DeadlineRecord& acknowledge = permit.cycle("acknowledge", 1);
  CHECK(acknowledge.case_id == "permit_000001");
  CHECK(acknowledge.workflow_id == "permit");
  CHECK(acknowledge.workflow_version == 1);
  CHECK(acknowledge.agency_id == "default");
  CHECK(acknowledge.calendar_id == "CN");
  CHECK(acknowledge.time_zone == "Asia/Shanghai");
  CHECK(acknowledge.responsible == "reviewer");
  CHECK(acknowledge.state == DeadlineState{DeadlineProgress::armed, false});
  CHECK(acknowledge.amount == 5);
  CHECK(acknowledge.warning_working_days == 3);
  CHECK(text(acknowledge.started_on) == "2026-03-02");
  CHECK(acknowledge.started_at == at("2026-03-02", 10));
  CHECK(text(acknowledge.due_on) == "2026-03-09");
  CHECK(text(acknowledge.due_at) == "2026-03-09T16:00:00Z");  // the end of 03-09 in Shanghai
  // 3 WD before 03-09 are 03-06, 03-05, 03-04, so the warning fires as 03-04 begins.
  CHECK(text(acknowledge.warning_at) == "2026-03-03T16:00:00Z");
  CHECK(text(acknowledge.next_fire_at) == "2026-03-03T16:00:00Z");
  CHECK_FALSE(acknowledge.provisional);
  CHECK_FALSE(acknowledge.ended_at);

  // Accepting leaves submitted, which meets the acknowledgement, and enters under_review.
  DeadlineChanges accepted = permit.fire("accept", at("2026-03-04", 11));
  CHECK(actions(accepted) == Lines{"acknowledge#1 met", "review#1 started due 2026-03-18"});
  CHECK(permit.cycle("acknowledge", 1).state.progress == DeadlineProgress::met);
  CHECK(permit.cycle("acknowledge", 1).end_reason == "stop");
  CHECK(permit.cycle("acknowledge", 1).ended_at == at("2026-03-04", 11));
  CHECK_FALSE(permit.cycle("acknowledge", 1).next_fire_at);
  // 10 WD from Wed 03-04: 03-05, 03-06, 03-09..03-13, 03-16, 03-17, 03-18.
  CHECK(text(permit.cycle("review", 1).due_on) == "2026-03-18");
}

TEST_CASE("tracker counts from the Shanghai date", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  permit.create(at("2026-03-04", 9));
  permit.fire("submit", at("2026-03-04", 10));

  // 2026-03-04T16:30:00Z is already 00:30 on Thu 03-05 in Shanghai, so 03-05 is the start day:
  // 03-06, 03-09..03-13, 03-16..03-19.
  DeadlineChanges accepted = permit.fire("accept", *parse_utc_instant("2026-03-04T16:30:00Z"));
  CHECK(actions(accepted) == Lines{"acknowledge#1 met", "review#1 started due 2026-03-19"});
  CHECK(text(permit.cycle("review", 1).started_on) == "2026-03-05");
}

TEST_CASE("tracker starts from a date field", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  permit.create(at("2026-03-02", 9));
  permit.fire("submit", at("2026-03-02", 10));

  // Recorded on 03-06 that the notice went out on 03-05: 5 WD from 03-05 are 03-06, 03-09..03-12.
  DeadlineChanges notified = permit.fire("notify", at("2026-03-06"), {{"notified_on", "2026-03-05"}});
  CHECK(actions(notified) == Lines{"reply#1 started due 2026-03-12"});
  CHECK(text(permit.cycle("reply", 1).started_on) == "2026-03-05");
  CHECK(permit.cycle("reply", 1).started_at == at("2026-03-06"));

  // The same date again changes nothing, and an open cycle is not started twice.
  CHECK(permit.fire("notify", at("2026-03-09"), {{"notified_on", "2026-03-05"}}).empty());
  CHECK(permit.fire("notify", at("2026-03-09"), {{"notified_on", "2026-03-06"}}).empty());
  CHECK(permit.cycles_of("reply") == 1);
}

TEST_CASE("tracker pause shifts the due date", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2026-03-04");
  REQUIRE(text(permit.cycle("review", 1).due_on) == "2026-03-18");

  DeadlineChanges paused = permit.fire("request_info", at("2026-03-06"));
  CHECK(actions(paused) == Lines{"review#1 paused due 2026-03-18"});
  const DeadlineRecord& review = permit.cycle("review", 1);
  CHECK(review.state == DeadlineState{DeadlineProgress::armed, true});
  CHECK(review.pauses == std::vector<PauseInterval>{{day("2026-03-06"), std::nullopt}});
  CHECK_FALSE(review.next_fire_at);

  // 03-05 and the pause day 03-06 were used (2 of 10). Counting resumes after the resume day
  // 03-11: 03-12, 03-13, 03-16..03-20, 03-23. The paused WD 03-09, 03-10, 03-11 add three.
  DeadlineChanges resumed = permit.fire("supply_info", at("2026-03-11"));
  CHECK(actions(resumed) == Lines{"review#1 resumed due 2026-03-23"});
  CHECK(review.state == DeadlineState{DeadlineProgress::armed, false});
  CHECK(review.pauses == std::vector<PauseInterval>{{day("2026-03-06"), day("2026-03-11")}});
  CHECK(text(review.due_at) == "2026-03-23T16:00:00Z");
  // 3 WD before 03-23: 03-20, 03-19, 03-18.
  CHECK(text(review.next_fire_at) == "2026-03-17T16:00:00Z");
  CHECK(permit.cycles_of("review") == 1);
}

TEST_CASE("tracker restart starts a full cycle", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2026-03-04");

  // 10 WD from Mon 03-16: 03-17..03-20, 03-23..03-27, 03-30.
  DeadlineChanges revised = permit.fire("revise", at("2026-03-16"));
  CHECK(actions(revised) == Lines{"review#1 restarted", "review#2 started due 2026-03-30"});
  CHECK(permit.cycle("review", 1).state.progress == DeadlineProgress::cancelled);
  CHECK(permit.cycle("review", 1).end_reason == "restart");
  CHECK(permit.cycle("review", 1).ended_at == at("2026-03-16"));
  CHECK(permit.cycle("review", 2).state == DeadlineState{DeadlineProgress::armed, false});
  CHECK(text(permit.cycle("review", 2).started_on) == "2026-03-16");
}

TEST_CASE("tracker restart drops old pauses", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2026-03-04");
  permit.fire("request_info", at("2026-03-06"));
  permit.fire("supply_info", at("2026-03-09"));
  permit.fire("request_info", at("2026-03-10"));

  // revise is not available on hold, so the restart comes after the way back to review.
  // 10 WD from Thu 03-12: 03-13, 03-16..03-20, 03-23..03-26.
  permit.fire("supply_info", at("2026-03-12"));
  DeadlineChanges revised = permit.fire("revise", at("2026-03-12", 15));
  CHECK(actions(revised) == Lines{"review#1 restarted", "review#2 started due 2026-03-26"});
  CHECK(permit.cycle("review", 1).pauses ==
        std::vector<PauseInterval>{{day("2026-03-06"), day("2026-03-09")}, {day("2026-03-10"), day("2026-03-12")}});
  CHECK(permit.cycle("review", 2).pauses.empty());
}

TEST_CASE("tracker cancel trigger ends open clocks", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2026-03-04");
  permit.fire("notify", at("2026-03-05"), {{"notified_on", "2026-03-05"}});
  permit.fire("request_info", at("2026-03-06"));

  DeadlineChanges withdrawn = permit.fire("withdraw", at("2026-03-09"));
  CHECK(actions(withdrawn) == Lines{"review#1 cancelled", "reply#1 cancelled"});
  for (const char* rule : {"review", "reply"}) {
    INFO(rule);
    const DeadlineRecord& record = permit.cycle(rule, 1);
    CHECK(record.state == DeadlineState{DeadlineProgress::cancelled, false});
    CHECK(record.end_reason == "cancel");
    CHECK(record.ended_at == at("2026-03-09"));
    CHECK_FALSE(record.next_fire_at);
  }
  // The pause of the review ends with the cycle.
  CHECK(permit.cycle("review", 1).pauses == std::vector<PauseInterval>{{day("2026-03-06"), day("2026-03-09")}});
  CHECK(permit.cycle("acknowledge", 1).end_reason == "stop");
}

TEST_CASE("tracker case close cancels open clocks", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2026-03-04");
  DeadlineChanges approved = permit.fire("approve", at("2026-03-10"));
  // 20 WD from Tue 03-10: 03-11..03-13, 03-16..03-20, 03-23..03-27, 03-30..04-03 (18), then
  // 04-07, 04-08 after Qingming (04-04..04-06). 6 months on is Thu 09-10. The next 31 December
  // is Thu 2026-12-31.
  CHECK(actions(approved) == Lines{"review#1 met", "inspection#1 started due 2026-04-08",
                                   "monitoring_report#1 started due 2026-09-10",
                                   "annual_return#1 started due 2026-12-31"});

  DeadlineChanges closed = permit.fire("close", at("2026-03-20"));
  REQUIRE(permit.stored().closed);
  CHECK(actions(closed) == Lines{"inspection#1 cancelled", "monitoring_report#1 cancelled", "annual_return#1 cancelled"});
  for (const char* rule : {"inspection", "monitoring_report", "annual_return"}) {
    INFO(rule);
    CHECK(permit.cycle(rule, 1).state.progress == DeadlineProgress::cancelled);
    CHECK(permit.cycle(rule, 1).end_reason == "case_closed");
    CHECK(permit.cycle(rule, 1).ended_at == at("2026-03-20"));
    CHECK(permit.cycles_of(rule) == 1);
  }
  CHECK(permit.cycle("review", 1).end_reason == "stop");
}

TEST_CASE("tracker undated step starts nothing", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  permit.create(at("2026-03-02", 9), false);
  CHECK(permit.fire("submit", at("2026-03-02", 10), {}, false).empty());
  CHECK(permit.cycles_of("acknowledge") == 0);

  permit.fire("accept", at("2026-03-04"));
  REQUIRE(permit.cycles_of("review") == 1);

  // An undated pause and resume still move the clock.
  CHECK(actions(permit.fire("request_info", at("2026-03-06"), {}, false)) == Lines{"review#1 paused due 2026-03-18"});
  CHECK(actions(permit.fire("supply_info", at("2026-03-11"), {}, false)) == Lines{"review#1 resumed due 2026-03-23"});

  // An undated approval meets the review and starts none of the monitoring clocks.
  DeadlineChanges approved = permit.fire("approve", at("2026-03-12"), {}, false);
  CHECK(actions(approved) == Lines{"review#1 met"});
  CHECK(permit.records().size() == 1);
}

TEST_CASE("tracker fires two rules independently", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2026-03-04");
  permit.fire("notify", at("2026-03-05"), {{"notified_on", "2026-03-05"}});
  DeadlineRecord& review = permit.cycle("review", 1);  // due 03-18, warning from 03-13
  DeadlineRecord& reply = permit.cycle("reply", 1);    // due 03-12, warning from 03-09
  REQUIRE(text(reply.due_on) == "2026-03-12");

  Instant now = at("2026-03-13", 12);
  std::vector<DeadlineFiring> reply_firings = fixture.tracker.fire_due(reply, permit.rule("reply"), now);
  std::vector<DeadlineFiring> review_firings = fixture.tracker.fire_due(review, permit.rule("review"), now);

  REQUIRE(reply_firings.size() == 2);
  CHECK(reply_firings[0].event == DeadlineEvent::warning_due);
  CHECK(text(reply_firings[0].scheduled_at) == "2026-03-08T16:00:00Z");
  CHECK(reply_firings[0].notify == std::vector<std::string>{"applicant"});  // no warning.notify: the responsible role
  CHECK(reply_firings[1].event == DeadlineEvent::breach_due);
  CHECK(text(reply_firings[1].scheduled_at) == "2026-03-12T16:00:00Z");
  CHECK(reply.state.progress == DeadlineProgress::breached);
  CHECK_FALSE(reply.next_fire_at);  // no escalation steps

  REQUIRE(review_firings.size() == 1);
  CHECK(review_firings[0].event == DeadlineEvent::warning_due);
  CHECK(text(review_firings[0].scheduled_at) == "2026-03-12T16:00:00Z");
  CHECK(review.state.progress == DeadlineProgress::warned);
  CHECK(text(review.next_fire_at) == "2026-03-18T16:00:00Z");
}

TEST_CASE("tracker fires each step once", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2026-03-04");
  const DeadlineRule& rule = permit.rule("review");

  SECTION("all at once, in order") {
    DeadlineRecord& review = permit.cycle("review", 1);
    std::vector<DeadlineFiring> firings = fixture.tracker.fire_due(review, rule, at("2026-03-30"));
    REQUIRE(firings.size() == 4);
    // The warning fires as 03-13 begins and the breach as 03-18 ends. Escalation 1 fires as the
    // 2nd WD after it (03-20) ends, and escalation 2 as the 5th (03-19, 03-20, 03-23..03-25) ends.
    CHECK(firings[0].event == DeadlineEvent::warning_due);
    CHECK(text(firings[0].scheduled_at) == "2026-03-12T16:00:00Z");
    CHECK(firings[0].notify == std::vector<std::string>{"applicant"});
    CHECK(firings[1].event == DeadlineEvent::breach_due);
    CHECK(text(firings[1].scheduled_at) == "2026-03-18T16:00:00Z");
    CHECK(firings[1].notify == std::vector<std::string>{"supervisor"});
    CHECK(firings[2].event == DeadlineEvent::escalation_due);
    CHECK(firings[2].escalation_level == 1);
    CHECK(text(firings[2].scheduled_at) == "2026-03-20T16:00:00Z");
    CHECK(firings[2].notify == std::vector<std::string>{"supervisor"});
    CHECK(firings[3].event == DeadlineEvent::escalation_due);
    CHECK(firings[3].escalation_level == 2);
    CHECK(text(firings[3].scheduled_at) == "2026-03-25T16:00:00Z");
    CHECK(firings[3].notify == std::vector<std::string>{"director"});

    CHECK(review.state == DeadlineState{DeadlineProgress::escalated, false});
    CHECK(review.escalation_level == 2);
    CHECK_FALSE(review.next_fire_at);
    CHECK(review.updated_at == at("2026-03-30"));
    CHECK(fixture.tracker.fire_due(review, rule, at("2026-03-30")).empty());
    CHECK(fixture.tracker.fire_due(review, rule, at("2026-12-31")).empty());
  }

  SECTION("one at a time, each at its instant") {
    DeadlineRecord& review = permit.cycle("review", 1);
    struct Step {
      const char* now;
      std::vector<DeadlineEvent> fired;
      DeadlineProgress progress;
      const char* next_fire_at;
    };
    const std::vector<Step> steps{
        {"2026-03-12T15:59:59Z", {}, DeadlineProgress::armed, "2026-03-12T16:00:00Z"},
        {"2026-03-12T16:00:00Z", {DeadlineEvent::warning_due}, DeadlineProgress::warned, "2026-03-18T16:00:00Z"},
        {"2026-03-18T15:59:59Z", {}, DeadlineProgress::warned, "2026-03-18T16:00:00Z"},
        {"2026-03-18T16:00:00Z", {DeadlineEvent::breach_due}, DeadlineProgress::breached, "2026-03-20T16:00:00Z"},
        {"2026-03-20T16:00:00Z", {DeadlineEvent::escalation_due}, DeadlineProgress::escalated, "2026-03-25T16:00:00Z"},
        {"2026-03-25T16:00:00Z", {DeadlineEvent::escalation_due}, DeadlineProgress::escalated, "none"},
        {"2026-04-30T16:00:00Z", {}, DeadlineProgress::escalated, "none"},
    };
    for (const Step& step : steps) {
      INFO("at " << step.now);
      std::optional<Instant> now = parse_utc_instant(step.now);
      REQUIRE(now);
      std::vector<DeadlineEvent> fired;
      for (const DeadlineFiring& firing : fixture.tracker.fire_due(review, rule, *now)) fired.push_back(firing.event);
      CHECK(fired == step.fired);
      CHECK(review.state.progress == step.progress);
      CHECK(text(review.next_fire_at) == step.next_fire_at);
    }
  }
}

TEST_CASE("tracker never fires a paused deadline", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2026-03-04");
  permit.fire("request_info", at("2026-03-06"));
  DeadlineRecord& review = permit.cycle("review", 1);

  CHECK(fixture.tracker.fire_due(review, permit.rule("review"), at("2026-12-31")).empty());
  CHECK(review.state == DeadlineState{DeadlineProgress::armed, true});
  CHECK(fixture.tracker.view(review, at("2026-12-31")).light == DeadlineLight::grey);

  // Even a stale next_fire_at does not fire while paused.
  review.next_fire_at = at("2026-03-01");
  CHECK(fixture.tracker.fire_due(review, permit.rule("review"), at("2026-12-31")).empty());
}

TEST_CASE("tracker repeats from the completion", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2025-06-16");
  permit.fire("approve", at("2025-06-30"));
  // 20 WD from Mon 2025-06-30: 07-01..07-04, 07-07..07-11, 07-14..07-18, 07-21..07-25, 07-28.
  REQUIRE(text(permit.cycle("inspection", 1).due_on) == "2025-07-28");

  // Completed early on 07-10: the next 20 WD count from that day, 07-11..08-07.
  DeadlineChanges inspected = permit.fire("inspect", at("2025-07-10"));
  CHECK(actions(inspected) == Lines{"inspection#1 met", "inspection#2 started due 2025-08-07"});
  CHECK(permit.cycle("inspection", 1).end_reason == "complete");
  CHECK(text(permit.cycle("inspection", 2).started_on) == "2025-07-10");
}

TEST_CASE("tracker repeats from previous due date", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2025-06-16");
  permit.fire("approve", at("2025-06-30"));
  // 6 months from 2025-06-30 is Tue 2025-12-30.
  REQUIRE(text(permit.cycle("monitoring_report", 1).due_on) == "2025-12-30");

  // Reported early on 12-15, but the next half-year runs from the due date 12-30: Tue 2026-06-30.
  DeadlineChanges first = permit.fire("report", at("2025-12-15"));
  CHECK(actions(first) == Lines{"monitoring_report#1 met", "monitoring_report#2 started due 2026-06-30"});
  CHECK(text(permit.cycle("monitoring_report", 2).started_on) == "2025-12-30");

  // Reported late, after the breach: the cadence still follows the due dates, Wed 2026-12-30.
  DeadlineRecord& second = permit.cycle("monitoring_report", 2);
  CHECK(fixture.tracker.fire_due(second, permit.rule("monitoring_report"), at("2026-07-03")).size() == 2);
  DeadlineChanges late = permit.fire("report", at("2026-07-03"));
  CHECK(actions(late) == Lines{"monitoring_report#2 met", "monitoring_report#3 started due 2026-12-30"});
  CHECK(permit.cycle("monitoring_report", 2).state.progress == DeadlineProgress::met);
}

TEST_CASE("tracker repeats yearly by 31 December", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2025-06-16");
  permit.fire("approve", at("2025-06-30"));
  REQUIRE(text(permit.cycle("annual_return", 1).due_on) == "2025-12-31");  // a Wednesday

  DeadlineChanges filed_2025 = permit.fire("file_return", at("2025-12-19"));
  CHECK(actions(filed_2025) == Lines{"annual_return#1 met", "annual_return#2 started due 2026-12-31"});
  CHECK(text(permit.cycle("annual_return", 2).started_on) == "2025-12-31");
  CHECK_FALSE(permit.cycle("annual_return", 2).provisional);

  // The third cycle falls in 2027, which has no calendar: Fri 2027-12-31 on weekends alone.
  DeadlineChanges filed_2026 = permit.fire("file_return", at("2026-12-10"));
  CHECK(actions(filed_2026) == Lines{"annual_return#2 met", "annual_return#3 started due 2027-12-31"});
  CHECK(permit.cycle("annual_return", 3).provisional);
  CHECK(permit.cycle("annual_return", 3).missing_years == std::vector<int>{2027});
  CHECK(filed_2026.effects[1].at("provisional") == true);
  CHECK(filed_2026.effects[1].at("missing_years") == nlohmann::json::array({2027}));
}

TEST_CASE("tracker recompute uses a new year", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2026-12-21");
  permit.fire("notify", at("2026-12-25"), {{"notified_on", "2026-12-25"}});

  // On weekends alone the review counts 12-22..12-25, 12-28..12-31, 2027-01-01, 01-04, and the
  // reply counts 12-28..12-31, 01-01.
  DeadlineRecord review = permit.cycle("review", 1);
  DeadlineRecord reply = permit.cycle("reply", 1);
  REQUIRE(text(review.due_on) == "2027-01-04");
  REQUIRE(text(reply.due_on) == "2027-01-01");
  CHECK(review.provisional);
  CHECK(reply.provisional);
  CHECK(reply.missing_years == std::vector<int>{2027});
  // Without the new year, recomputing changes nothing.
  CHECK_FALSE(fixture.tracker.recompute(reply, permit.rule("reply"), permit.stored().data));

  CalendarMap with_2027 = shipped_calendars();
  with_2027.at("CN").add_year(test_only_2027());
  DeadlineTracker tracker_2027(nullptr, with_2027, fixture.zones);

  // With 2027-01-01 a holiday, each due date moves one working day on.
  CHECK(tracker_2027.recompute(review, permit.rule("review"), permit.stored().data));
  CHECK(text(review.due_on) == "2027-01-05");
  CHECK_FALSE(review.provisional);
  CHECK(review.missing_years.empty());
  CHECK(tracker_2027.recompute(reply, permit.rule("reply"), permit.stored().data));
  CHECK(text(reply.due_on) == "2027-01-04");
  CHECK(text(reply.due_at) == "2027-01-04T16:00:00Z");
  // 3 WD before 01-04: 12-31, 12-30, 12-29.
  CHECK(text(reply.warning_at) == "2026-12-28T16:00:00Z");
  CHECK_FALSE(reply.provisional);
  CHECK(reply.missing_years.empty());

  CHECK_FALSE(tracker_2027.recompute(reply, permit.rule("reply"), permit.stored().data));
}

// A previous_due rule is a fixed cadence, so a month-end due date clamped to 28 February must not
// pull every later cycle to the 28th: every cycle counts from the first cycle's start.
TEST_CASE("tracker cadence keeps the month day", "[deadline][tracker]") {
  TrackerFixture fixture;
  PermitCase& permit = fixture.permit;
  accept_on(permit, "2025-08-20");
  permit.fire("approve", at("2025-08-31"));
  // 6 months from Sun 2025-08-31 is clamped to Sat 2026-02-28, a make-up working day.
  REQUIRE(text(permit.cycle("monitoring_report", 1).due_on) == "2026-02-28");

  permit.fire("report", at("2026-02-26"));
  // The cadence 08-31, 02-28, 08-31: Mon 2026-08-31 is a working day.
  CHECK(text(permit.cycle("monitoring_report", 2).due_on) == "2026-08-31");
}

TEST_CASE("tracker counts periods from case fields", "[deadline][tracker]") {
  CalendarMap calendars = shipped_calendars();
  FixedOffsetZones zones;
  DeadlineTracker tracker{nullptr, calendars, zones};
  WorkflowPtr works = sitecycle::testing::parse_fixture_workflow("workflows/settings/works.yaml");

  // Started Mon 2026-03-16: three months end Tue 06-16, a working day.
  PermitCase quarterly{tracker, works};
  quarterly.create(at("2026-03-16"));
  quarterly.fire("start", at("2026-03-16"), {{"crew", 3}, {"report_interval_months", 3}});
  CHECK(quarterly.cycle("monthly_report", 1).amount == 3);
  CHECK(text(quarterly.cycle("monthly_report", 1).due_on) == "2026-06-16");

  // Unset, the default of six months applies: Wed 2026-09-16.
  PermitCase by_default{tracker, works};
  by_default.create(at("2026-03-16"));
  by_default.fire("start", at("2026-03-16"), {{"crew", 3}});
  CHECK(by_default.cycle("monthly_report", 1).amount == 6);
  CHECK(text(by_default.cycle("monthly_report", 1).due_on) == "2026-09-16");

  // A value outside the unit's range counts as unset.
  PermitCase absurd{tracker, works};
  absurd.create(at("2026-03-16"));
  absurd.fire("start", at("2026-03-16"), {{"crew", 3}, {"report_interval_months", 5000}});
  CHECK(absurd.cycle("monthly_report", 1).amount == 6);
}

TEST_CASE("tracker restarts a changed cadence", "[deadline][tracker]") {
  CalendarMap calendars = shipped_calendars();
  FixedOffsetZones zones;
  DeadlineTracker tracker{nullptr, calendars, zones};
  PermitCase works{tracker, sitecycle::testing::parse_fixture_workflow("workflows/settings/works.yaml")};
  works.create(at("2026-03-16"));
  works.fire("start", at("2026-03-16"), {{"crew", 3}});
  CHECK(text(works.cycle("monthly_report", 1).due_on) == "2026-09-16");

  // The plan now sets reports every three months: the next is due three months after
  // Wed 09-16, on Wed 12-16, not six months after the anchor times two.
  works.fire("report", at("2026-09-10"), {{"report_interval_months", 3}});
  CHECK(text(works.cycle("monthly_report", 2).due_on) == "2026-12-16");
}
