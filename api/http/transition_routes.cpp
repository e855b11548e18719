// Firing a transition on a case.
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include <array>

namespace sitecycle::http {

namespace {

constexpr std::array<MemberRule, 2> kFireMembers{{
    {"input", JsonKind::object, false},
    {"comment", JsonKind::string, false},
}};

FireRequest fire_request_from(const RouteContext& context, const nlohmann::json& body,
                              Actor actor) {
  FireRequest request;
  request.case_id = context.parameters.at(0);
  request.transition.transition = context.parameters.at(1);
  request.transition.actor = std::move(actor);
  if (body.contains("input")) request.transition.input = body.at("input");
  if (body.contains("comment")) request.transition.comment = body.at("comment").get<std::string>();
  return request;
}

}  // namespace

RouteResult fire_transition(const RouteContext& context) {
  const std::string& case_id = context.parameters.at(0);
  Result<Actor> actor = read_actor(context.request, true, context.service.registry().roles());
  if (!actor) return std::move(actor).take_problem();
  Result<nlohmann::json> body = read_json_object(context.request, true);
  if (!body) return std::move(body).take_problem();
  std::vector<FieldError> errors = check_members(*body, kFireMembers);
  if (!errors.empty()) return invalid_body_problem(std::move(errors));
  if (!is_valid_case_id(case_id)) return case_not_found_problem(case_id);

  // Fire the transition.
  FireRequest request = fire_request_from(context, *body, *actor);
  Result<CommandOutcome> outcome = context.service.fire(request, context.clock.now());
  if (!outcome) return std::move(outcome).take_problem();

  // Reply with the case after the change and every event the command wrote.
  CaseDetail detail = detail_after_command(context, outcome->stored, *actor);
  nlohmann::json reply = case_detail_body(context, detail);
  reply["events"] = events_json(outcome->events);
  return JsonReply{200, std::move(reply), {}};
}

}  // namespace sitecycle::http
