#include "engine/deadline_lifecycle.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace sitecycle;

namespace {

using P = DeadlineProgress;
using E = DeadlineEvent;

constexpr DeadlineState kArmed{P::armed, false};
constexpr DeadlineState kArmedPaused{P::armed, true};
constexpr DeadlineState kWarned{P::warned, false};
constexpr DeadlineState kWarnedPaused{P::warned, true};
constexpr DeadlineState kBreached{P::breached, false};
constexpr DeadlineState kBreachedPaused{P::breached, true};
constexpr DeadlineState kEscalated{P::escalated, false};
constexpr DeadlineState kEscalatedPaused{P::escalated, true};
constexpr DeadlineState kMet{P::met, false};
constexpr DeadlineState kCancelled{P::cancelled, false};

const std::vector<DeadlineState> kReachableStates{kArmed,     kArmedPaused,     kWarned,    kWarnedPaused,
                                                  kBreached,  kBreachedPaused,  kEscalated, kEscalatedPaused,
                                                  kMet,       kCancelled};

const std::vector<DeadlineEvent> kAllEvents{E::warning_due, E::breach_due, E::escalation_due, E::pause,
                                            E::resume,      E::stop,       E::cancel};

const std::vector<DeadlineProgress> kAllProgress{P::armed, P::warned, P::breached, P::escalated, P::met, P::cancelled};

struct Step {
  DeadlineState from;
  DeadlineEvent event;
  std::optional<DeadlineState> to;
};

constexpr std::nullopt_t kRejected = std::nullopt;

// Every reachable state with every event: the lifecycle as a table.
const std::vector<Step> kLifecycleTable{
    {kArmed, E::warning_due, kWarned},
    {kArmed, E::breach_due, kBreached},
    {kArmed, E::escalation_due, kRejected},
    {kArmed, E::pause, kArmedPaused},
    {kArmed, E::resume, kRejected},
    {kArmed, E::stop, kMet},
    {kArmed, E::cancel, kCancelled},

    {kArmedPaused, E::warning_due, kRejected},
    {kArmedPaused, E::breach_due, kRejected},
    {kArmedPaused, E::escalation_due, kRejected},
    {kArmedPaused, E::pause, kRejected},
    {kArmedPaused, E::resume, kArmed},
    {kArmedPaused, E::stop, kMet},
    {kArmedPaused, E::cancel, kCancelled},

    {kWarned, E::warning_due, kRejected},
    {kWarned, E::breach_due, kBreached},
    {kWarned, E::escalation_due, kRejected},
    {kWarned, E::pause, kWarnedPaused},
    {kWarned, E::resume, kRejected},
    {kWarned, E::stop, kMet},
    {kWarned, E::cancel, kCancelled},

    {kWarnedPaused, E::warning_due, kRejected},
    {kWarnedPaused, E::breach_due, kRejected},
    {kWarnedPaused, E::escalation_due, kRejected},
    {kWarnedPaused, E::pause, kRejected},
    {kWarnedPaused, E::resume, kWarned},
    {kWarnedPaused, E::stop, kMet},
    {kWarnedPaused, E::cancel, kCancelled},

    {kBreached, E::warning_due, kRejected},
    {kBreached, E::breach_due, kRejected},
    {kBreached, E::escalation_due, kEscalated},
    {kBreached, E::pause, kBreachedPaused},
    {kBreached, E::resume, kRejected},
    {kBreached, E::stop, kMet},
    {kBreached, E::cancel, kCancelled},

    {kBreachedPaused, E::warning_due, kRejected},
    {kBreachedPaused, E::breach_due, kRejected},
    {kBreachedPaused, E::escalation_due, kRejected},
    {kBreachedPaused, E::pause, kRejected},
    {kBreachedPaused, E::resume, kBreached},
    {kBreachedPaused, E::stop, kMet},
    {kBreachedPaused, E::cancel, kCancelled},

    {kEscalated, E::warning_due, kRejected},
    {kEscalated, E::breach_due, kRejected},
    {kEscalated, E::escalation_due, kEscalated},
    {kEscalated, E::pause, kEscalatedPaused},
    {kEscalated, E::resume, kRejected},
    {kEscalated, E::stop, kMet},
    {kEscalated, E::cancel, kCancelled},

    {kEscalatedPaused, E::warning_due, kRejected},
    {kEscalatedPaused, E::breach_due, kRejected},
    {kEscalatedPaused, E::escalation_due, kRejected},
    {kEscalatedPaused, E::pause, kRejected},
    {kEscalatedPaused, E::resume, kEscalated},
    {kEscalatedPaused, E::stop, kMet},
    {kEscalatedPaused, E::cancel, kCancelled},

    {kMet, E::warning_due, kRejected},
    {kMet, E::breach_due, kRejected},
    {kMet, E::escalation_due, kRejected},
    {kMet, E::pause, kRejected},
    {kMet, E::resume, kRejected},
    {kMet, E::stop, kRejected},
    {kMet, E::cancel, kRejected},

    {kCancelled, E::warning_due, kRejected},
    {kCancelled, E::breach_due, kRejected},
    {kCancelled, E::escalation_due, kRejected},
    {kCancelled, E::pause, kRejected},
    {kCancelled, E::resume, kRejected},
    {kCancelled, E::stop, kRejected},
    {kCancelled, E::cancel, kRejected},
};

std::string describe(DeadlineState state) {
  return std::string(deadline_progress_name(state.progress)) + (state.paused ? " (paused)" : " (running)");
}

std::string describe(const std::optional<DeadlineState>& state) {
  return state ? describe(*state) : "rejected";
}

}  // namespace

TEST_CASE("lifecycle table covers every pair", "[deadline]") {
  std::set<std::pair<std::string, DeadlineEvent>> covered;
  for (const Step& step : kLifecycleTable) covered.insert({describe(step.from), step.event});

  CHECK(kLifecycleTable.size() == kReachableStates.size() * kAllEvents.size());
  CHECK(covered.size() == kLifecycleTable.size());
}

TEST_CASE("lifecycle follows its table", "[deadline]") {
  for (const Step& step : kLifecycleTable) {
    INFO(describe(step.from) << " + " << deadline_event_name(step.event) << " -> expected " << describe(step.to));
    std::optional<DeadlineState> actual = apply_deadline_event(step.from, step.event);
    CHECK(describe(actual) == describe(step.to));
  }
}

TEST_CASE("lifecycle escalates once per event", "[deadline]") {
  DeadlineState state = kArmed;
  for (DeadlineEvent event : {E::warning_due, E::breach_due, E::escalation_due, E::escalation_due,
                              E::escalation_due}) {
    INFO("after " << describe(state) << " + " << deadline_event_name(event));
    std::optional<DeadlineState> next = apply_deadline_event(state, event);
    REQUIRE(next);
    state = *next;
  }
  CHECK(state == kEscalated);
}

TEST_CASE("lifecycle stop while paused unpauses", "[deadline]") {
  std::optional<DeadlineState> met = apply_deadline_event(kBreachedPaused, E::stop);
  REQUIRE(met);
  CHECK_FALSE(met->paused);
  CHECK(deadline_status_name(*met) == "met");

  // Neither pause nor resume applies any more.
  CHECK_FALSE(apply_deadline_event(*met, E::pause));
  CHECK_FALSE(apply_deadline_event(*met, E::resume));
}

TEST_CASE("lifecycle paused ended state accepts nothing", "[deadline]") {
  // A paused clock on an ended deadline cannot come from the lifecycle, for example from a
  // hand-edited row, so nothing is applied to it.
  for (DeadlineProgress progress : {P::met, P::cancelled}) {
    for (DeadlineEvent event : kAllEvents) {
      INFO(deadline_progress_name(progress) << " (paused) + " << deadline_event_name(event));
      CHECK_FALSE(apply_deadline_event(DeadlineState{progress, true}, event));
    }
  }
}

TEST_CASE("lifecycle progress names round-trip", "[deadline]") {
  std::set<std::string_view> names;
  for (DeadlineProgress progress : kAllProgress) {
    std::string_view name = deadline_progress_name(progress);
    names.insert(name);
    CHECK(parse_deadline_progress(name) == progress);
  }
  CHECK(names == std::set<std::string_view>{"armed", "warned", "breached", "escalated", "met", "cancelled"});

  CHECK_FALSE(parse_deadline_progress("paused"));
  CHECK_FALSE(parse_deadline_progress("Armed"));
  CHECK_FALSE(parse_deadline_progress(""));
}

TEST_CASE("lifecycle event names round-trip", "[deadline]") {
  std::set<std::string_view> names;
  for (DeadlineEvent event : kAllEvents) {
    std::string_view name = deadline_event_name(event);
    names.insert(name);
    CHECK(parse_deadline_event(name) == event);
  }
  CHECK(names == std::set<std::string_view>{"warning_due", "breach_due", "escalation_due", "pause", "resume",
                                            "stop", "cancel"});
  CHECK_FALSE(parse_deadline_event("warning"));
}

TEST_CASE("lifecycle status paused only while open", "[deadline]") {
  CHECK(deadline_status_name(kArmed) == "armed");
  CHECK(deadline_status_name(kArmedPaused) == "paused");
  CHECK(deadline_status_name(kWarnedPaused) == "paused");
  CHECK(deadline_status_name(kBreached) == "breached");
  CHECK(deadline_status_name(kEscalatedPaused) == "escalated");  // still late while paused
  CHECK(deadline_status_name(kMet) == "met");
  CHECK(deadline_status_name(DeadlineState{P::cancelled, true}) == "cancelled");
}

TEST_CASE("lifecycle open until met or cancelled", "[deadline]") {
  for (const DeadlineState& state : kReachableStates) {
    INFO(describe(state));
    bool ended = state.progress == P::met || state.progress == P::cancelled;
    CHECK(is_open(state) == !ended);
  }
}
