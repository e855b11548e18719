// Routes that read the server itself: health, the OpenAPI document and the loaded workflow
// definitions.
#include "json_views.h"
#include "openapi_document.h"
#include "request_reading.h"
#include "route_context.h"

namespace sitecycle::http {

RouteResult get_health(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  return JsonReply{200, {{"status", "ok"}}, {}};
}

RouteResult get_openapi_document(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  return JsonReply{200, nullptr, {}, TextBody{"application/json", std::string(openapi_document())}};
}

RouteResult list_workflows(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {"limit", "offset"}); !names) return names.problem();
  Result<Paging> paging = read_paging(context.request);
  if (!paging) return std::move(paging).take_problem();

  std::vector<WorkflowPtr> workflows = context.service.registry().latest_all();
  auto total = static_cast<std::int64_t>(workflows.size());
  nlohmann::json items = nlohmann::json::array();
  for (std::int64_t i = paging->offset; i < total && i - paging->offset < paging->limit; ++i) {
    items.push_back(workflow_json(*workflows[static_cast<std::size_t>(i)]));
  }
  return JsonReply{200, page_json(std::move(items), total), {}};
}

}  // namespace sitecycle::http
