// A case's history.
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

namespace sitecycle::http {

RouteResult list_events(const RouteContext& context) {
  const std::string& case_id = context.parameters.at(0);
  if (Status names = check_query_names(context.request, {"limit", "offset"}); !names) return names.problem();
  Result<Paging> paging = read_paging(context.request);
  if (!paging) return std::move(paging).take_problem();
  // An unknown case gets 404 rather than an empty page, so that a mistyped id shows.
  if (Status visible = require_visible_case(context, case_id); !visible) return visible.problem();

  Page<StoredEvent> page = context.service.store().events_of(case_id, paging->limit, paging->offset);
  return JsonReply{200, page_json(events_json(page.items), page.total), {}};
}

}  // namespace sitecycle::http
