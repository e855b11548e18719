// GET /api/v1/statistics/cases: the supervisor's pipeline by stage. It counts the cases the caller
// may see by workflow and state, with how long they have been in that state. It also counts each
// workflow's open cases (not in a final state), with how long they have been in their current state.
#include "route_context.h"

#include "json_views.h"
#include "request_reading.h"

#include <algorithm>
#include <chrono>

namespace sitecycle::http {

namespace {

// Whole days from `since` to `now`, never negative.
std::int64_t days_between(Instant since, Instant now) {
  if (now <= since) return 0;
  return std::chrono::duration_cast<std::chrono::hours>(now - since).count() / 24;
}

// The count of `entered` (oldest first), and the median and longest days since.
void add_durations(nlohmann::json& item, const std::vector<Instant>& entered, Instant now) {
  item["count"] = static_cast<std::int64_t>(entered.size());
  item["median_days_in_state"] = days_between(entered[(entered.size() - 1) / 2], now);
  item["longest_days_in_state"] = days_between(entered.front(), now);
}

bool is_final(const WorkflowRegistry& registry, const StateCount& count) {
  WorkflowPtr workflow = registry.latest(count.workflow_id);
  if (!workflow) return false;
  for (const State& state : workflow->states) {
    if (state.id == count.state) return state.final;
  }
  return false;
}

nlohmann::json workflow_title_of(const WorkflowRegistry& registry, const std::string& workflow_id) {
  WorkflowPtr workflow = registry.latest(workflow_id);
  return workflow ? to_json(workflow->title) : nlohmann::json(workflow_id);
}

nlohmann::json state_count_json(const StateCount& count, const WorkflowRegistry& registry, Instant now) {
  nlohmann::json state_title = count.state;
  if (WorkflowPtr workflow = registry.latest(count.workflow_id)) {
    for (const State& state : workflow->states) {
      if (state.id == count.state) state_title = to_json(state.title);
    }
  }
  nlohmann::json item = {{"workflow", count.workflow_id},
                         {"workflow_title", workflow_title_of(registry, count.workflow_id)},
                         {"state", count.state},
                         {"state_title", std::move(state_title)},
                         {"final", is_final(registry, count)}};
  add_durations(item, count.entered_at, now);
  return item;
}

}  // namespace

RouteResult count_cases_by_state(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  const Instant now = context.clock.now().instant;
  const WorkflowRegistry& registry = context.service.registry();
  nlohmann::json items = nlohmann::json::array();
  // The open cases of each workflow; the counts come ordered by workflow.
  nlohmann::json open = nlohmann::json::array();
  std::string open_workflow;
  std::vector<Instant> open_entered;
  auto close_workflow = [&] {
    if (open_entered.empty()) return;
    std::sort(open_entered.begin(), open_entered.end());
    nlohmann::json item = {{"workflow", open_workflow}, {"workflow_title", workflow_title_of(registry, open_workflow)}};
    add_durations(item, open_entered, now);
    open.push_back(std::move(item));
    open_entered.clear();
  };
  for (const StateCount& count : context.service.store().cases_by_state(context.scope())) {
    if (count.entered_at.empty()) continue;
    items.push_back(state_count_json(count, registry, now));
    if (count.workflow_id != open_workflow) {
      close_workflow();
      open_workflow = count.workflow_id;
    }
    if (!is_final(registry, count)) open_entered.insert(open_entered.end(), count.entered_at.begin(), count.entered_at.end());
  }
  close_workflow();
  return JsonReply{200, {{"items", std::move(items)}, {"open_by_workflow", std::move(open)}}, {}};
}

}  // namespace sitecycle::http
