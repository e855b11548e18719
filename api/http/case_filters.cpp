// The query parameters of case lists and their exports: filters and sorting. Each value is
// checked against what the server has loaded, so a misspelt filter is an error, not an empty list.
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace sitecycle::http {

namespace {

Problem bad_request(std::string zh_cn, std::string en) {
  return make_problem(ErrorCode::bad_request, {std::move(zh_cn), std::move(en)});
}

std::string known_workflow_ids(const WorkflowRegistry& registry) {
  std::string known;
  for (const WorkflowPtr& workflow : registry.latest_all()) known += known.empty() ? workflow->id : ", " + workflow->id;
  return known;
}

bool has_state(const Workflow& workflow, std::string_view state) {
  for (const State& known : workflow.states) {
    if (known.id == state) return true;
  }
  return false;
}

Status check_workflow(const WorkflowRegistry& registry, const std::string& workflow_id) {
  if (registry.latest(workflow_id)) return Ok{};
  const std::string known = known_workflow_ids(registry);
  return bad_request(fmt::format("查询参数 workflow 的值 {} 不是已加载的流程；可选：{}", quoted_excerpt(workflow_id), known),
                     fmt::format("Query parameter workflow has value {}, which is not a loaded workflow; one of: {}",
                                 quoted_excerpt(workflow_id), known));
}

// The state must be one of the workflow's, or of any workflow when none is given.
Status check_state(const WorkflowRegistry& registry, const std::optional<std::string>& workflow_id,
                   const std::string& state) {
  if (workflow_id) {
    WorkflowPtr workflow = registry.latest(*workflow_id);
    if (has_state(*workflow, state)) return Ok{};
    std::string known;
    for (const State& candidate : workflow->states) known += known.empty() ? candidate.id : ", " + candidate.id;
    return bad_request(
        fmt::format("查询参数 state 的值 {} 不是流程 {} 的状态；可选：{}", quoted_excerpt(state), *workflow_id, known),
        fmt::format("Query parameter state has value {}, which is not a state of workflow {}; one of: {}",
                    quoted_excerpt(state), *workflow_id, known));
  }
  for (const WorkflowPtr& workflow : registry.latest_all()) {
    if (has_state(*workflow, state)) return Ok{};
  }
  return bad_request(
      fmt::format("查询参数 state 的值 {} 不是任何已加载流程的状态；请先用 workflow 选定流程，再从其状态中选择",
                  quoted_excerpt(state)),
      fmt::format("Query parameter state has value {}, which is no state of a loaded workflow; choose the workflow "
                  "with workflow, then one of its states",
                  quoted_excerpt(state)));
}

constexpr std::array<std::pair<std::string_view, DeadlineLight>, 5> kLights{{
    {"red", DeadlineLight::red},
    {"yellow", DeadlineLight::yellow},
    {"green", DeadlineLight::green},
    {"grey", DeadlineLight::grey},
    {"none", DeadlineLight::none},
}};

Result<std::optional<DeadlineLight>> read_light(const HttpRequest& request) {
  Result<std::optional<std::string>> text = read_query_value(request, "light");
  if (!text) return std::move(text).take_problem();
  if (!*text) return std::optional<DeadlineLight>{};
  for (const auto& [name, light] : kLights) {
    if (name == **text) return std::optional<DeadlineLight>{light};
  }
  return bad_request(
      fmt::format("查询参数 light 的值 {} 无效；可选：red（红灯，超期）、yellow（黄灯，预警）、green（绿灯，期限内）、"
                  "grey（暂停计时）、none（无进行中的期限）",
                  quoted_excerpt(**text)),
      fmt::format("Query parameter light has invalid value {}; one of: red (overdue), yellow (warning), green (in "
                  "time), grey (paused), none (no running deadline)",
                  quoted_excerpt(**text)));
}

Result<std::optional<std::string>> read_party(const RouteContext& context) {
  Result<std::optional<std::string>> party = read_query_value(context.request, "party");
  if (!party || !*party) return party;
  if (context.identities.find_organisation(**party)) return party;
  return bad_request(
      fmt::format("查询参数 party 的值 {} 不是已登记的单位编号；请填写受托单位的编号，可用 GET /api/v1/directory 查询",
                  quoted_excerpt(**party)),
      fmt::format("Query parameter party has value {}, which is no registered organisation id; give the id of the "
                  "engaged firm, as GET /api/v1/directory lists it",
                  quoted_excerpt(**party)));
}

constexpr std::array<std::pair<std::string_view, CaseOrder>, 5> kOrders{{
    {"created_at", CaseOrder::created_at},
    {"updated_at", CaseOrder::updated_at},
    {"id", CaseOrder::id},
    {"state_entered_at", CaseOrder::state_entered_at},
    {"next_due_at", CaseOrder::next_due_at},
}};

// `sort=KEY` orders ascending and `sort=-KEY` descending.
Status read_sort(const HttpRequest& request, CaseQuery& query) {
  Result<std::optional<std::string>> text = read_query_value(request, "sort");
  if (!text) return std::move(text).take_problem();
  if (!*text) return Ok{};
  std::string_view key = **text;
  const bool descending = key.starts_with('-');
  if (descending) key.remove_prefix(1);
  for (const auto& [name, order] : kOrders) {
    if (name == key) {
      query.order = order;
      query.descending = descending;
      return Ok{};
    }
  }
  return bad_request(
      fmt::format("查询参数 sort 的值 {} 无效；可选：created_at、updated_at、id、state_entered_at、next_due_at，"
                  "前加 - 为倒序，例如 sort=-updated_at",
                  quoted_excerpt(**text)),
      fmt::format("Query parameter sort has invalid value {}; one of: created_at, updated_at, id, state_entered_at, "
                  "next_due_at, with a leading - for descending order, for example sort=-updated_at",
                  quoted_excerpt(**text)));
}

}  // namespace

Result<CaseQuery> read_case_filters(const RouteContext& context) {
  const WorkflowRegistry& registry = context.service.registry();
  Result<std::optional<std::string>> workflow = read_query_value(context.request, "workflow");
  if (!workflow) return std::move(workflow).take_problem();
  if (*workflow) {
    if (Status known = check_workflow(registry, **workflow); !known) return known.problem();
  }
  Result<std::optional<std::string>> state = read_query_value(context.request, "state");
  if (!state) return std::move(state).take_problem();
  if (*state) {
    if (Status known = check_state(registry, *workflow, **state); !known) return known.problem();
  }
  Result<std::optional<std::string>> district = read_district_query(context.request);
  if (!district) return std::move(district).take_problem();
  Result<std::optional<std::string>> text = read_search_query(context.request);
  if (!text) return std::move(text).take_problem();
  Result<std::optional<DeadlineLight>> light = read_light(context.request);
  if (!light) return std::move(light).take_problem();
  Result<std::optional<std::string>> party = read_party(context);
  if (!party) return std::move(party).take_problem();

  CaseQuery query;
  query.scope = context.scope();
  query.workflow_id = *workflow;
  query.state = *state;
  query.district = *district;
  query.text = *text;
  query.light = *light;
  query.party_org = *party;
  if (Status sort = read_sort(context.request, query); !sort) return sort.problem();
  return query;
}

}  // namespace sitecycle::http
