#include "deadline_lifecycle.h"

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include <array>
#include <utility>
#include <vector>

namespace sitecycle {

namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// One MSM event type per DeadlineEvent.
struct WarningDue {};
struct BreachDue {};
struct EscalationDue {};
struct Pause {};
struct Resume {};
struct Stop {};
struct Cancel {};

// Flags that the guards of one region read from the other region.
struct ClockPaused {};
struct DeadlineClosed {};

template <DeadlineProgress kProgress>
struct ProgressState : msm::front::state<> {
  template <class Event, class Fsm>
  void on_entry(const Event&, Fsm& fsm) {
    fsm.progress = kProgress;
  }
};

struct Armed : ProgressState<DeadlineProgress::armed> {};
struct Warned : ProgressState<DeadlineProgress::warned> {};
struct Breached : ProgressState<DeadlineProgress::breached> {};
struct Escalated : ProgressState<DeadlineProgress::escalated> {};
struct Met : ProgressState<DeadlineProgress::met> {
  using flag_list = mpl::vector1<DeadlineClosed>;
};
struct Cancelled : ProgressState<DeadlineProgress::cancelled> {
  using flag_list = mpl::vector1<DeadlineClosed>;
};

template <bool kPaused>
struct ClockState : msm::front::state<> {
  template <class Event, class Fsm>
  void on_entry(const Event&, Fsm& fsm) {
    fsm.paused = kPaused;
  }
};

struct Running : ClockState<false> {};
struct Paused : ClockState<true> {
  using flag_list = mpl::vector1<ClockPaused>;
};

// Guard of the due events in the progress region: a paused clock does not run out.
struct ClockIsRunning {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event&, Fsm& fsm, Source&, Target&) const {
    return !fsm.template is_flag_active<ClockPaused>();
  }
};

// Guard of pause and resume in the clock region: a met or cancelled deadline has no clock.
struct DeadlineIsOpen {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event&, Fsm& fsm, Source&, Target&) const {
    return !fsm.template is_flag_active<DeadlineClosed>();
  }
};

struct LifecycleDefinition : msm::front::state_machine_def<LifecycleDefinition> {
  // Nothing here throws and no action posts events, so MSM needs neither its try/catch nor its
  // event queue.
  using no_exception_thrown = int;
  using no_message_queue = int;

  using initial_state = mpl::vector<Armed, Running>;

  // clang-format off
  struct transition_table : mpl::vector<
      //  from        event          to         action guard
      Row<Armed,     WarningDue,    Warned,    none,  ClockIsRunning>,
      Row<Armed,     BreachDue,     Breached,  none,  ClockIsRunning>,
      Row<Warned,    BreachDue,     Breached,  none,  ClockIsRunning>,
      Row<Breached,  EscalationDue, Escalated, none,  ClockIsRunning>,
      Row<Escalated, EscalationDue, Escalated, none,  ClockIsRunning>,
      Row<Armed,     Stop,          Met,       none,  none>,
      Row<Warned,    Stop,          Met,       none,  none>,
      Row<Breached,  Stop,          Met,       none,  none>,
      Row<Escalated, Stop,          Met,       none,  none>,
      Row<Armed,     Cancel,        Cancelled, none,  none>,
      Row<Warned,    Cancel,        Cancelled, none,  none>,
      Row<Breached,  Cancel,        Cancelled, none,  none>,
      Row<Escalated, Cancel,        Cancelled, none,  none>,
      Row<Running,   Pause,         Paused,    none,  DeadlineIsOpen>,
      Row<Paused,    Resume,        Running,   none,  DeadlineIsOpen>
  > {};
  // clang-format on

  // MSM calls this, once per region, when no region has a row for the event from its active
  // state. The default asserts, so it is replaced by a silent record.
  template <class Fsm, class Event>
  void no_transition(const Event&, Fsm&, int) {
    event_had_no_transition = true;
  }

  DeadlineProgress progress = DeadlineProgress::armed;
  bool paused = false;
  bool event_had_no_transition = false;
};

using Lifecycle = msm::back::state_machine<LifecycleDefinition>;

template <class Event>
bool process(Lifecycle& machine) {
  machine.event_had_no_transition = false;
  msm::back::HandledEnum handled = machine.process_event(Event{});
  // A row whose guard rejects the event does not reach no_transition: MSM returns
  // HANDLED_GUARD_REJECT instead, so both outcomes count as not allowed.
  return !machine.event_had_no_transition && handled == msm::back::HANDLED_TRUE;
}

bool process(Lifecycle& machine, DeadlineEvent event) {
  switch (event) {
    case DeadlineEvent::warning_due: return process<WarningDue>(machine);
    case DeadlineEvent::breach_due: return process<BreachDue>(machine);
    case DeadlineEvent::escalation_due: return process<EscalationDue>(machine);
    case DeadlineEvent::pause: return process<Pause>(machine);
    case DeadlineEvent::resume: return process<Resume>(machine);
    case DeadlineEvent::stop: return process<Stop>(machine);
    case DeadlineEvent::cancel: return process<Cancel>(machine);
  }
  return false;
}

// The events that lead from the initial state {armed, running} to `state`, progress first.
std::vector<DeadlineEvent> restoring_events(DeadlineState state) {
  std::vector<DeadlineEvent> events;
  switch (state.progress) {
    case DeadlineProgress::armed: break;
    case DeadlineProgress::warned: events = {DeadlineEvent::warning_due}; break;
    case DeadlineProgress::breached: events = {DeadlineEvent::breach_due}; break;
    case DeadlineProgress::escalated: events = {DeadlineEvent::breach_due, DeadlineEvent::escalation_due}; break;
    case DeadlineProgress::met: events = {DeadlineEvent::stop}; break;
    case DeadlineProgress::cancelled: events = {DeadlineEvent::cancel}; break;
  }
  if (state.paused) events.push_back(DeadlineEvent::pause);
  return events;
}

// Starts `machine` in `state`. Boost 1.81's state_machine::set_states replaces the state
// objects (their data), not which state is active, so the machine starts in its initial states
// and replays the events that lead to `state`. Returns false for a state the lifecycle cannot
// reach, such as a paused met deadline.
bool start_in(Lifecycle& machine, DeadlineState state) {
  machine.start();
  for (DeadlineEvent event : restoring_events(state)) {
    if (!process(machine, event)) return false;
  }
  return true;
}

DeadlineState current_state(const Lifecycle& machine) {
  DeadlineState state{machine.progress, machine.paused};
  // The clock region stays where it was when the deadline ended, but it no longer matters.
  if (!is_open(state)) state.paused = false;
  return state;
}

constexpr std::array<std::pair<DeadlineProgress, std::string_view>, 6> kProgressNames{{
    {DeadlineProgress::armed, "armed"},
    {DeadlineProgress::warned, "warned"},
    {DeadlineProgress::breached, "breached"},
    {DeadlineProgress::escalated, "escalated"},
    {DeadlineProgress::met, "met"},
    {DeadlineProgress::cancelled, "cancelled"},
}};

constexpr std::array<std::pair<DeadlineEvent, std::string_view>, 7> kEventNames{{
    {DeadlineEvent::warning_due, "warning_due"},
    {DeadlineEvent::breach_due, "breach_due"},
    {DeadlineEvent::escalation_due, "escalation_due"},
    {DeadlineEvent::pause, "pause"},
    {DeadlineEvent::resume, "resume"},
    {DeadlineEvent::stop, "stop"},
    {DeadlineEvent::cancel, "cancel"},
}};

template <class Enum, std::size_t kSize>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, kSize>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "unknown";
}

template <class Enum, std::size_t kSize>
std::optional<Enum> value_named(const std::array<std::pair<Enum, std::string_view>, kSize>& names,
                                std::string_view name) {
  for (const auto& [value, candidate] : names) {
    if (candidate == name) return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<DeadlineState> apply_deadline_event(DeadlineState current, DeadlineEvent event) {
  Lifecycle machine;
  if (!start_in(machine, current)) return std::nullopt;

  if (!process(machine, event)) return std::nullopt;
  return current_state(machine);
}

bool is_open(DeadlineState state) {
  return state.progress != DeadlineProgress::met && state.progress != DeadlineProgress::cancelled;
}

std::string_view deadline_status_name(DeadlineState state) {
  // A clock paused after its due date is still late, so it keeps showing as late.
  bool late = state.progress == DeadlineProgress::breached || state.progress == DeadlineProgress::escalated;
  if (state.paused && is_open(state) && !late) return "paused";
  return deadline_progress_name(state.progress);
}

std::string_view deadline_progress_name(DeadlineProgress progress) {
  return name_of(kProgressNames, progress);
}

std::optional<DeadlineProgress> parse_deadline_progress(std::string_view name) {
  return value_named(kProgressNames, name);
}

std::string_view deadline_event_name(DeadlineEvent event) {
  return name_of(kEventNames, event);
}

std::optional<DeadlineEvent> parse_deadline_event(std::string_view name) {
  return value_named(kEventNames, name);
}

}  // namespace sitecycle
