#include "engine/deadline_rule_loader.h"

#include "engine/workflow_loader.h"
#include "engine/workflow_validator.h"
#include "engine_fixtures.h"

#include <catch2/catch.hpp>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace sitecycle;
using sitecycle::testing::render;

namespace {

// A workflow whose one deadline rule uses every key. Each broken variant below edits lines of it
// by number, so the line numbers in the comments are part of the test.
const std::vector<std::string> kWorkflowLines{
    "id: cleanup",                                                                                  // 1
    "version: 1",                                                                                   // 2
    "title: {zh-CN: 整改, en: Cleanup}",                                                            // 3
    "fields:",                                                                                      // 4
    "  district: {type: string, title: {zh-CN: 区, en: District}}",                                 // 5
    "  hearing_on: {type: date, title: {zh-CN: 听证日期, en: Hearing on}}",                         // 6
    "  notified_on: {type: date, title: {zh-CN: 通知日期, en: Notified on}}",                       // 7
    "  remark: {type: string, title: {zh-CN: 备注, en: Remark}}",                                   // 8
    "states:",                                                                                      // 9
    "  open: {title: {zh-CN: 开, en: Open}, initial: true}",                                        // 10
    "  under_review: {title: {zh-CN: 审查中, en: Under review}}",                                   // 11
    "  on_hold: {title: {zh-CN: 暂停, en: On hold}}",                                               // 12
    "  closed: {title: {zh-CN: 关, en: Closed}, final: true}",                                      // 13
    "transitions:",                                                                                 // 14
    "  submit: {title: {zh-CN: 提交, en: Submit}, from: open, to: under_review, roles: [clerk]}",   // 15
    "  suspend: {title: {zh-CN: 暂停, en: Suspend}, from: under_review, to: on_hold, roles: [reviewer]}",  // 16
    "  proceed: {title: {zh-CN: 继续, en: Proceed}, from: on_hold, to: under_review, roles: [reviewer]}",  // 17
    "  resubmit: {title: {zh-CN: 重新提交, en: Resubmit}, from: under_review, roles: [clerk]}",     // 18
    "  approve: {title: {zh-CN: 批准, en: Approve}, from: under_review, to: closed, roles: [reviewer]}",  // 19
    "  withdraw: {title: {zh-CN: 撤回, en: Withdraw}, from: [open, under_review, on_hold], to: closed, roles: [clerk]}",  // 20
    "deadlines:",                                                                                   // 21
    "  review:",                                                                                    // 22
    "    title: {zh-CN: 审查, en: Review}",                                                         // 23
    "    responsible: reviewer",                                                                    // 24
    "    agency: {kind: eeb, district_field: district}",                                            // 25
    "    start: {on_enter: under_review, on_transition: submit, on_field: notified_on}",            // 26
    "    stop: {on_leave: under_review}",                                                           // 27
    "    complete: {on_transition: approve}",                                                       // 28
    "    cancel: {on_transition: withdraw}",                                                        // 29
    "    pause: {on_enter: on_hold}",                                                               // 30
    "    resume: {on_leave: on_hold}",                                                              // 31
    "    restart: {on_transition: resubmit}",                                                       // 32
    "    duration: {working_days: {parameter: review_days, default: 20}}",                          // 33
    "    warning: {working_days: 5, notify: [clerk, reviewer]}",                                    // 34
    "    breach: {notify: [supervisor]}",                                                           // 35
    "    escalation:",                                                                              // 36
    "      - {after_working_days: 5, notify: [supervisor]}",                                        // 37
    "      - {after_working_days: 10, notify: [director]}",                                         // 38
    "    repeat: {from: completion}",                                                               // 39
    "    basis: Test rule 1",                                                                       // 40
    "    note: 仅用于测试 (test only)",                                                             // 41
    "    needs_legal_check: true",                                                                  // 42
    "    source_status: unverified",                                                                // 43
};

const char* kRoles = R"(roles:
  clerk: {zh-CN: 经办人, en: Clerk}
  reviewer: {zh-CN: 审查人, en: Reviewer}
  supervisor: {zh-CN: 督办人, en: Supervisor}
  director: {zh-CN: 局长, en: Director}
)";

// Replaces line `line` (1-based) with `text`. An empty text removes the line's content but keeps
// an empty line, so the lines after it keep their numbers.
struct LineEdit {
  int line;
  std::string text;
};

std::string workflow_text(const std::vector<LineEdit>& edits = {}) {
  std::vector<std::string> lines = kWorkflowLines;
  for (const LineEdit& edit : edits) {
    REQUIRE(edit.line >= 1);
    REQUIRE(edit.line <= static_cast<int>(lines.size()));
    lines[static_cast<std::size_t>(edit.line - 1)] = edit.text;
  }
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::optional<Workflow> parse(const std::string& text, Diagnostics& diagnostics) {
  return parse_workflow(text, "rules.yaml", diagnostics);
}

const DeadlineRule& only_rule(const std::optional<Workflow>& workflow) {
  REQUIRE(workflow);
  REQUIRE(workflow->deadlines.size() == 1);
  return workflow->deadlines.front();
}

// Parses the edited workflow, which must parse, and validates it against kRoles.
std::string validation_report(const std::vector<LineEdit>& edits) {
  Diagnostics diagnostics;
  std::optional<Workflow> workflow = parse(workflow_text(edits), diagnostics);
  INFO(render(diagnostics));
  REQUIRE(workflow);
  std::optional<RoleCatalog> roles = parse_roles(kRoles, "roles.yaml", diagnostics);
  REQUIRE(roles);
  validate_workflows({std::make_shared<const Workflow>(std::move(*workflow))}, *roles, diagnostics);
  return render(diagnostics);
}

}  // namespace

TEST_CASE("deadline rule with every key parses", "[deadline][loader]") {
  Diagnostics diagnostics;
  std::optional<Workflow> workflow = parse(workflow_text(), diagnostics);
  INFO(render(diagnostics));
  const DeadlineRule& rule = only_rule(workflow);

  CHECK(rule.id == "review");
  CHECK(rule.position.line == 22);
  CHECK(rule.position.column == 3);
  CHECK(rule.title.zh_cn == "审查");
  CHECK(rule.title.en == "Review");
  CHECK(rule.responsible == "reviewer");
  CHECK_FALSE(rule.agency.agency_id);
  CHECK(rule.agency.kind == "eeb");
  CHECK(rule.agency.district_field == "district");

  using Ids = std::vector<std::string>;
  CHECK(rule.start.on_enter == Ids{"under_review"});
  CHECK(rule.start.on_transition == Ids{"submit"});
  CHECK(rule.start.on_field == Ids{"notified_on"});
  CHECK(rule.start.on_leave.empty());
  CHECK(rule.start.position.line == 26);
  CHECK(rule.stop.on_leave == Ids{"under_review"});
  CHECK(rule.complete.on_transition == Ids{"approve"});
  CHECK(rule.cancel.on_transition == Ids{"withdraw"});
  CHECK(rule.pause.on_enter == Ids{"on_hold"});
  CHECK(rule.resume.on_leave == Ids{"on_hold"});
  CHECK(rule.restart.on_transition == Ids{"resubmit"});

  CHECK(rule.duration.kind == DurationKind::working_days);
  CHECK(rule.duration.amount.default_value == 20);
  CHECK(rule.duration.amount.parameter == "review_days");
  CHECK(rule.duration.position.line == 33);
  CHECK(rule.warning_working_days.default_value == 5);
  CHECK_FALSE(rule.warning_working_days.parameter);
  CHECK(rule.warning_notify == Ids{"clerk", "reviewer"});
  CHECK(rule.breach_notify == Ids{"supervisor"});
  REQUIRE(rule.escalation.size() == 2);
  CHECK(rule.escalation[0].after_working_days == 5);
  CHECK(rule.escalation[0].notify == Ids{"supervisor"});
  CHECK(rule.escalation[0].position.line == 37);
  CHECK(rule.escalation[1].after_working_days == 10);
  CHECK(rule.escalation[1].notify == Ids{"director"});
  CHECK(rule.repeat == RepeatFrom::completion);

  CHECK(rule.basis == "Test rule 1");
  CHECK(rule.note == "仅用于测试 (test only)");
  CHECK(rule.needs_legal_check);
  CHECK(rule.source_status == "unverified");
  CHECK(rule.definition["duration"]["working_days"]["default"] == 20);
  CHECK(rule.definition["escalation"][1]["notify"][0] == "director");
}

TEST_CASE("deadline rule defaults of optional keys", "[deadline][loader]") {
  Diagnostics diagnostics;
  std::optional<Workflow> workflow = parse(
      workflow_text({{25, ""}, {28, ""}, {29, ""}, {30, ""}, {31, ""}, {32, ""}, {33, "    duration: {working_days: 15}"},
                     {34, ""}, {35, ""}, {36, ""}, {37, ""}, {38, ""}, {39, ""}, {40, ""}, {41, ""}, {42, ""}, {43, ""}}),
      diagnostics);
  INFO(render(diagnostics));
  const DeadlineRule& rule = only_rule(workflow);
  CHECK_FALSE(rule.agency.agency_id);
  CHECK_FALSE(rule.agency.kind);
  CHECK(rule.duration.amount.default_value == 15);
  CHECK_FALSE(rule.duration.amount.parameter);
  CHECK(rule.warning_working_days.default_value == 3);
  CHECK(rule.warning_notify.empty());
  CHECK(rule.breach_notify.empty());
  CHECK(rule.escalation.empty());
  CHECK(rule.repeat == RepeatFrom::none);
  CHECK(rule.complete.empty());
  CHECK(rule.pause.empty());
  CHECK_FALSE(rule.needs_legal_check);
  CHECK(rule.source_status.empty());
}

TEST_CASE("deadline rule duration and agency forms", "[deadline][loader]") {
  struct Variant {
    const char* name;
    std::vector<LineEdit> edits;
    DurationKind kind;
    int amount;
  };
  const std::vector<Variant> variants{
      {"calendar days may be 0", {{33, "    duration: {calendar_days: 0}"}}, DurationKind::calendar_days, 0},
      {"months", {{33, "    duration: {months: 6}"}}, DurationKind::months, 6},
      {"before a date with a lead", {{33, "    duration: {before: {field: hearing_on, working_days: 5}}"}},
       DurationKind::before_date, 5},
      {"before a date without a lead", {{33, "    duration: {before: {field: hearing_on}}"}}, DurationKind::before_date,
       0},
      {"yearly by a month and day", {{33, "    duration: {yearly_by: \"12-31\"}"}, {39, "    repeat: {from: previous_due}"}},
       DurationKind::yearly_by, 0},
  };
  for (const Variant& variant : variants) {
    INFO(variant.name);
    Diagnostics diagnostics;
    std::optional<Workflow> workflow = parse(workflow_text(variant.edits), diagnostics);
    INFO(render(diagnostics));
    const DeadlineRule& rule = only_rule(workflow);
    CHECK(rule.duration.kind == variant.kind);
    CHECK(rule.duration.amount.default_value == variant.amount);
    if (variant.kind == DurationKind::before_date) CHECK(rule.duration.date_field == "hearing_on");
    if (variant.kind == DurationKind::yearly_by) {
      CHECK(rule.duration.yearly_by == std::chrono::month_day{std::chrono::December, std::chrono::day{31}});
      CHECK(rule.repeat == RepeatFrom::previous_due);
    }
  }

  SECTION("a fixed agency by id") {
    Diagnostics diagnostics;
    std::optional<Workflow> workflow = parse(workflow_text({{25, "    agency: pudong_eeb"}}), diagnostics);
    INFO(render(diagnostics));
    const DeadlineRule& rule = only_rule(workflow);
    CHECK(rule.agency.agency_id == "pudong_eeb");
    CHECK_FALSE(rule.agency.kind);
    CHECK_FALSE(rule.agency.district_field);
  }
}

TEST_CASE("deadline rule problems with positions", "[deadline][loader]") {
  struct Broken {
    const char* name;
    std::vector<LineEdit> edits;
    std::string expected;  // one rendered diagnostic, in English
  };
  // Columns count from 1: in "    duration: {working_days: -1}" the value -1 starts in column 30.
  const std::vector<Broken> broken{
      {"missing responsible", {{24, ""}},
       "rules.yaml:23:5: deadlines.review.responsible: expected the required key responsible"},
      {"missing start", {{26, ""}}, "rules.yaml:23:5: deadlines.review.start: expected the required key start"},
      {"missing duration", {{33, ""}}, "rules.yaml:23:5: deadlines.review.duration: expected the required key duration"},
      {"two duration kinds", {{33, "    duration: {working_days: 10, calendar_days: 14}"}},
       "rules.yaml:33:15: deadlines.review.duration: found a mapping, expected exactly one of working_days, "
       "calendar_days, months, before, yearly_by"},
      {"no duration kind", {{33, "    duration: {}"}},
       "rules.yaml:33:15: deadlines.review.duration: found a mapping, expected exactly one of working_days"},
      {"negative count", {{33, "    duration: {working_days: -1}"}},
       "rules.yaml:33:30: deadlines.review.duration.working_days: found \"-1\", expected an integer from 0 to 36500, "
       "{parameter: name, default: integer} or {field: name, default: integer}"},
      {"count above the maximum", {{33, "    duration: {calendar_days: 36501}"}},
       "rules.yaml:33:31: deadlines.review.duration.calendar_days: found \"36501\", expected an integer from 0 to 36500"},
      {"parameter default above the maximum", {{33, "    duration: {working_days: {parameter: review_days, default: 40000}}"}},
       "rules.yaml:33:64: deadlines.review.duration.working_days.default: found \"40000\", expected an integer from 0 "
       "to 36500"},
      {"count that is not an integer", {{33, "    duration: {working_days: 2.5}"}},
       "rules.yaml:33:30: deadlines.review.duration.working_days: found \"2.5\", expected an integer"},
      {"zero working days", {{33, "    duration: {working_days: 0}"}},
       "rules.yaml:33:30: deadlines.review.duration.working_days: found \"0\", expected an integer from 1 to 36500"},
      {"zero months", {{33, "    duration: {months: 0}"}},
       "rules.yaml:33:24: deadlines.review.duration.months: found \"0\", expected an integer from 1 to 36500"},
      {"months above a century", {{33, "    duration: {months: 1201}"}},
       "rules.yaml:33:24: deadlines.review.duration.months: found \"1201\", expected an integer from 1 to 1200 (a "
       "century)"},
      {"repeat without complete", {{28, "    note: no complete"}},
       "deadlines.review.repeat: found repeat without complete, expected a complete trigger that says when a cycle is "
       "done"},
      {"start with an empty list", {{26, "    start: {on_enter: []}"}},
       "rules.yaml:26:12: deadlines.review.start: found no state, transition or field listed, expected one of on_enter, on_leave or "
       "on_transition"},
      {"unknown duration kind", {{33, "    duration: {weeks: 2}"}},
       "rules.yaml:33:16: deadlines.review.duration.weeks: found unknown key \"weeks\", expected one of the keys: "
       "working_days, calendar_days, months, before, yearly_by"},
      {"before without a field", {{33, "    duration: {before: {working_days: 2}}"}},
       "rules.yaml:33:24: deadlines.review.duration.before.field: expected the required key field"},
      {"yearly_by month 13", {{33, "    duration: {yearly_by: \"13-01\"}"}},
       "rules.yaml:33:27: deadlines.review.duration.yearly_by: found \"13-01\", expected a month and day as MM-DD "
       "(not 02-29), such as \"12-31\""},
      {"yearly_by 29 February", {{33, "    duration: {yearly_by: \"02-29\"}"}},
       "rules.yaml:33:27: deadlines.review.duration.yearly_by: found \"02-29\", expected a month and day as MM-DD"},
      {"yearly_by without a dash", {{33, "    duration: {yearly_by: \"1231\"}"}},
       "rules.yaml:33:27: deadlines.review.duration.yearly_by: found \"1231\", expected a month and day as MM-DD"},
      {"yearly_by 31 April", {{33, "    duration: {yearly_by: \"04-31\"}"}},
       "rules.yaml:33:27: deadlines.review.duration.yearly_by: found \"04-31\", expected a month and day as MM-DD"},
      {"yearly_by without repeat", {{28, ""}, {33, "    duration: {yearly_by: \"12-31\"}"}, {39, ""}},
       "rules.yaml:33:15: deadlines.review.duration.yearly_by: found yearly_by without repeat, expected repeat: "
       "{from: previous_due}, or a one-off period such as calendar_days"},
      {"complete without repeat", {{39, ""}},
       "rules.yaml:28:15: deadlines.review.complete: found complete without repeat, expected repeat: {from: "
       "completion or previous_due}, or use stop instead"},
      {"pause without resume", {{31, ""}},
       "rules.yaml:30:12: deadlines.review.pause: found pause without resume, expected a resume trigger, or the clock "
       "never runs again once paused"},
      {"unknown key in the rule", {{41, "    notes: x"}},
       "rules.yaml:41:5: deadlines.review.notes: found unknown key \"notes\", expected one of the keys: title, "
       "responsible, agency, start, stop"},
      {"unknown key in a trigger", {{26, "    start: {on_enter: under_review, on_exit: on_hold}"}},
       "rules.yaml:26:37: deadlines.review.start.on_exit: found unknown key \"on_exit\", expected one of the keys: "
       "on_enter, on_leave, on_transition, on_field"},
      {"on_field outside start", {{27, "    stop: {on_field: notified_on}"}},
       "rules.yaml:27:12: deadlines.review.stop.on_field: found unknown key \"on_field\", expected one of the keys: "
       "on_enter, on_leave, on_transition"},
      {"empty trigger mapping", {{27, "    stop: {}"}},
       "rules.yaml:27:11: deadlines.review.stop: found no state, transition or field listed, expected one of on_enter, on_leave or "
       "on_transition"},
      {"escalation step repeating the one before", {{38, "      - {after_working_days: 5, notify: [director]}"}},
       "rules.yaml:38:30: deadlines.review.escalation[1].after_working_days: found \"5\", expected an integer above 5 "
       "(each step comes after the one before, and after the breach)"},
      {"escalation step before the one before", {{38, "      - {after_working_days: 3, notify: [director]}"}},
       "rules.yaml:38:30: deadlines.review.escalation[1].after_working_days: found \"3\", expected an integer above 5"},
      {"escalation step at the breach", {{37, "      - {after_working_days: 0, notify: [supervisor]}"}},
       "rules.yaml:37:30: deadlines.review.escalation[0].after_working_days: found \"0\", expected an integer above 0"},
      {"escalation step without notify", {{37, "      - {after_working_days: 5}"}},
       "rules.yaml:37:9: deadlines.review.escalation[0].notify: expected the required key notify"},
      {"negative warning lead", {{34, "    warning: {working_days: -2}"}},
       "rules.yaml:34:29: deadlines.review.warning.working_days: found \"-2\", expected an integer from 0 to 36500"},
      {"responsible not an id", {{24, "    responsible: Chief Reviewer"}},
       "rules.yaml:24:18: deadlines.review.responsible: found \"Chief Reviewer\", expected a snake_case id"},
      {"bad source_status", {{43, "    source_status: verfied"}},
       "rules.yaml:43:20: deadlines.review.source_status: found \"verfied\", expected verified, verified_secondary, "
       "unverified, not_found, analogue, derived or setting"},
      {"bad agency kind", {{25, "    agency: {kind: police, district_field: district}"}},
       "rules.yaml:25:20: deadlines.review.agency.kind: found \"police\", expected eeb, pnrb or land_reserve"},
      {"agency without a kind", {{25, "    agency: {district_field: district}"}},
       "rules.yaml:25:13: deadlines.review.agency.kind: expected the required key kind"},
      {"bad repeat origin", {{39, "    repeat: {from: always}"}},
       "rules.yaml:39:20: deadlines.review.repeat.from: found \"always\", expected completion or previous_due"},
      {"needs_legal_check not a boolean", {{42, "    needs_legal_check: maybe"}},
       "rules.yaml:42:24: deadlines.review.needs_legal_check: found \"maybe\", expected true or false"},
  };
  for (const Broken& variant : broken) {
    INFO(variant.name);
    Diagnostics diagnostics;
    std::optional<Workflow> workflow = parse(workflow_text(variant.edits), diagnostics);
    std::string report = render(diagnostics);
    INFO(report);
    CHECK_FALSE(workflow);
    CHECK(report.find(variant.expected) != std::string::npos);
    for (const Diagnostic& diagnostic : diagnostics) {
      CHECK(diagnostic.line > 0);
      CHECK(diagnostic.column > 0);
      CHECK_FALSE(diagnostic.expected.zh_cn.empty());
    }
  }
}

TEST_CASE("deadline rule problems in Chinese", "[deadline][loader]") {
  Diagnostics diagnostics;
  std::optional<Workflow> workflow = parse(workflow_text({{33, "    duration: {working_days: 0}"}}), diagnostics);
  CHECK_FALSE(workflow);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].to_string(Language::zh_cn) ==
        "rules.yaml:33:30: deadlines.review.duration.working_days: 发现 \"0\"，应为1 到 36500 的整数");
}

TEST_CASE("deadline rule references are validated", "[deadline][validator]") {
  CHECK(validation_report({}).empty());

  struct Broken {
    const char* name;
    std::vector<LineEdit> edits;
    std::string expected;
  };
  const std::string states = "expected a defined state: open, under_review, on_hold, closed";
  const std::string date_fields = "hearing_on, notified_on";
  const std::string roles = "expected a role defined in roles.yaml (not system)";
  const std::vector<Broken> broken{
      {"start on_enter", {{26, "    start: {on_enter: reviewing}"}},
       "rules.yaml:26:12: deadlines.review.start.on_enter: found \"reviewing\", " + states},
      {"start on_transition", {{26, "    start: {on_transition: send}"}},
       "rules.yaml:26:12: deadlines.review.start.on_transition: found \"send\", expected a defined transition"},
      {"stop on_leave", {{27, "    stop: {on_leave: reviewing}"}},
       "rules.yaml:27:11: deadlines.review.stop.on_leave: found \"reviewing\", " + states},
      {"stop on_transition", {{27, "    stop: {on_transition: grant}"}},
       "rules.yaml:27:11: deadlines.review.stop.on_transition: found \"grant\", expected a defined transition"},
      {"complete on_enter", {{28, "    complete: {on_enter: done}"}},
       "rules.yaml:28:15: deadlines.review.complete.on_enter: found \"done\", " + states},
      {"complete on_transition", {{28, "    complete: {on_transition: grant}"}},
       "rules.yaml:28:15: deadlines.review.complete.on_transition: found \"grant\", expected a defined transition"},
      {"cancel on_leave", {{29, "    cancel: {on_leave: drafting}"}},
       "rules.yaml:29:13: deadlines.review.cancel.on_leave: found \"drafting\", " + states},
      {"cancel on_transition", {{29, "    cancel: {on_transition: retract}"}},
       "rules.yaml:29:13: deadlines.review.cancel.on_transition: found \"retract\", expected a defined transition"},
      {"pause on_enter", {{30, "    pause: {on_enter: paused}"}},
       "rules.yaml:30:12: deadlines.review.pause.on_enter: found \"paused\", " + states},
      {"pause on_transition", {{30, "    pause: {on_transition: hold}"}},
       "rules.yaml:30:12: deadlines.review.pause.on_transition: found \"hold\", expected a defined transition"},
      {"resume on_leave", {{31, "    resume: {on_leave: paused}"}},
       "rules.yaml:31:13: deadlines.review.resume.on_leave: found \"paused\", " + states},
      {"resume on_transition", {{31, "    resume: {on_transition: unhold}"}},
       "rules.yaml:31:13: deadlines.review.resume.on_transition: found \"unhold\", expected a defined transition"},
      {"restart on_enter", {{32, "    restart: {on_enter: resubmitted}"}},
       "rules.yaml:32:14: deadlines.review.restart.on_enter: found \"resubmitted\", " + states},
      {"restart on_transition", {{32, "    restart: {on_transition: redo}"}},
       "rules.yaml:32:14: deadlines.review.restart.on_transition: found \"redo\", expected a defined transition"},
      {"on_field of type string", {{26, "    start: {on_field: remark}"}},
       "rules.yaml:26:12: deadlines.review.start.on_field: found \"remark\", expected a declared field of type date: " +
           date_fields},
      {"on_field not declared", {{26, "    start: {on_field: signed_on}"}},
       "rules.yaml:26:12: deadlines.review.start.on_field: found \"signed_on\", expected a declared field of type date"},
      {"before.field of type string", {{33, "    duration: {before: {field: district, working_days: 2}}"}},
       "rules.yaml:33:15: deadlines.review.duration.before.field: found \"district\", expected a declared field of "
       "type date: " + date_fields},
      {"before.field not declared", {{33, "    duration: {before: {field: decided_on}}"}},
       "rules.yaml:33:15: deadlines.review.duration.before.field: found \"decided_on\", expected a declared field of "
       "type date"},
      {"district_field not declared", {{25, "    agency: {kind: eeb, district_field: borough}"}},
       "rules.yaml:22:3: deadlines.review.agency.district_field: found \"borough\", expected a declared string or "
       "enum field holding a district id"},
      {"district_field of type date", {{25, "    agency: {kind: eeb, district_field: hearing_on}"}},
       "rules.yaml:22:3: deadlines.review.agency.district_field: found \"hearing_on\", expected a declared string or "
       "enum field holding a district id"},
      {"unknown responsible role", {{24, "    responsible: mayor"}},
       "rules.yaml:22:3: deadlines.review.responsible: found \"mayor\", " + roles},
      {"system as responsible", {{24, "    responsible: system"}},
       "rules.yaml:22:3: deadlines.review.responsible: found \"system\", " + roles},
      {"unknown warning role", {{34, "    warning: {working_days: 5, notify: [clerk, mayor]}"}},
       "rules.yaml:22:3: deadlines.review.warning.notify: found \"mayor\", " + roles},
      {"unknown breach role", {{35, "    breach: {notify: [system]}"}},
       "rules.yaml:22:3: deadlines.review.breach.notify: found \"system\", " + roles},
      {"unknown escalation role", {{38, "      - {after_working_days: 10, notify: [governor]}"}},
       "rules.yaml:38:9: deadlines.review.escalation[1].notify: found \"governor\", " + roles},
  };
  for (const Broken& variant : broken) {
    INFO(variant.name);
    std::string report = validation_report(variant.edits);
    INFO(report);
    CHECK(report.find(variant.expected) != std::string::npos);
  }
}
