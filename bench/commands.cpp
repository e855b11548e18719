#include "bench/commands.h"

#include <fmt/format.h>

namespace sitecycle::bench {

std::string describe_problem(const Problem& problem) {
  return fmt::format("{}: {}", to_string(problem.code), problem.detail.en);
}

Actor bench_actor(const std::string& role) { return Actor{role, "bench_" + role, "bench"}; }

TransitionRequest make_request(std::string transition, const std::string& role, nlohmann::json input) {
  TransitionRequest request;
  request.transition = std::move(transition);
  request.actor = bench_actor(role);
  request.input = std::move(input);
  return request;
}

CommandOutcome fire_or_throw(CaseService& service, const std::string& case_id, TransitionRequest transition,
                             const Moment& now) {
  const std::string action = fmt::format("firing {} on case {}", transition.transition, case_id);
  FireRequest request{case_id, std::move(transition), std::nullopt};
  return require_ok(service.fire(request, now), action);
}

}  // namespace sitecycle::bench
