// The fixed lifecycle of one deadline of a case. It has two orthogonal regions: progress (armed,
// warned, breached, escalated, then met or cancelled) and the clock (running or paused). The
// state machine itself is Boost.MSM, kept inside deadline_lifecycle.cpp so that only that
// translation unit compiles its templates.
#pragma once

#include <optional>
#include <string_view>

namespace sitecycle {

enum class DeadlineProgress { armed, warned, breached, escalated, met, cancelled };

enum class DeadlineEvent { warning_due, breach_due, escalation_due, pause, resume, stop, cancel };

// Both regions of a deadline. A met or cancelled deadline has no clock, so apply_deadline_event
// never returns one with `paused` set.
struct DeadlineState {
  DeadlineProgress progress = DeadlineProgress::armed;
  bool paused = false;

  bool operator==(const DeadlineState&) const = default;
};

// Computes the state after `event`, or returns std::nullopt when the lifecycle does not allow
// `event` in `current`. The rules:
// - warning_due moves armed to warned, and breach_due moves armed or warned to breached.
//   escalation_due moves breached or escalated to escalated, once per further level. None of
//   the three applies while paused.
// - pause and resume switch the clock while the deadline is open.
// - stop (to met) and cancel (to cancelled) apply to any open deadline, paused or not. The
//   result is not paused.
// - A met or cancelled deadline accepts no event.
std::optional<DeadlineState> apply_deadline_event(DeadlineState current, DeadlineEvent event);

// Not met and not cancelled.
bool is_open(DeadlineState state);

// The status shown to users and used in filters: the progress name, or "paused" for a paused
// armed or warned deadline. A breached or escalated deadline shows as such even while paused,
// because pausing does not make a late clock timely. A stored deadline keeps its two regions
// apart (deadline_progress_name and the paused flag), because "paused" alone loses the progress.
std::string_view deadline_status_name(DeadlineState state);

// "armed", "warned", "breached", "escalated", "met", "cancelled".
std::string_view deadline_progress_name(DeadlineProgress progress);
std::optional<DeadlineProgress> parse_deadline_progress(std::string_view name);

// "warning_due", "breach_due", "escalation_due", "pause", "resume", "stop", "cancel".
std::string_view deadline_event_name(DeadlineEvent event);
std::optional<DeadlineEvent> parse_deadline_event(std::string_view name);

}  // namespace sitecycle
