// Commands the benchmarks send through CaseService outside their timed loops, and the checks
// that turn an unexpected rejection into an exception.
#pragma once

#include "engine/case_service.h"
#include "engine/instant.h"
#include "engine/result.h"
#include "engine/runtime.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace sitecycle::bench {

// "guard_failed: <English detail>".
std::string describe_problem(const Problem& problem);

// Returns the value, or throws std::runtime_error naming `action` and the problem's code and
// detail.
template <class T>
T require_ok(Result<T> result, const std::string& action) {
  if (!result) throw std::runtime_error(action + " failed: " + describe_problem(result.problem()));
  return std::move(result).value();
}

// An actor with `role`, from the organisation bench_<role>.
Actor bench_actor(const std::string& role);

TransitionRequest make_request(std::string transition, const std::string& role,
                               nlohmann::json input = nlohmann::json::object());

// Fires `transition` on `case_id` in its own transaction and returns what it wrote. Throws
// std::runtime_error when the command fails.
CommandOutcome fire_or_throw(CaseService& service, const std::string& case_id, TransitionRequest transition,
                             const Moment& now);

}  // namespace sitecycle::bench
