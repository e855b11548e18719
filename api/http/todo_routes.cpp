// GET /api/v1/todo: the caller's to-do queue. It lists the open cases in the caller's scope that
// wait for the caller's role: in a state from which the role may take a step that moves the case
// on, or with an open deadline the role must meet. They come oldest first by the time they entered
// their state. Each item lists which steps the caller may take, whether their guards hold, which
// required documents are not uploaded yet, and the case's next deadline. Record-keeping steps that
// keep the state (such as updating details) do not make a case wait.
#include "deadline_views.h"
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include "engine/waiting_states.h"

#include <algorithm>

namespace sitecycle::http {

namespace {

// A required kind counts as there when a document of that kind is uploaded and not yet handed in
// by an earlier step.
bool has_unused_document(const std::vector<StoredDocument>& documents, std::string_view kind) {
  return std::any_of(documents.begin(), documents.end(), [&](const StoredDocument& document) {
    return document.kind == kind && !document.event_id;
  });
}

nlohmann::json document_kind_json(const Workflow* workflow, const std::string& kind) {
  const DocumentKind* known = workflow != nullptr ? workflow->find_document(kind) : nullptr;
  return {{"kind", kind}, {"title", known != nullptr ? to_json(known->title) : nlohmann::json(kind)}};
}

nlohmann::json step_json(const AvailableTransition& available, const Workflow* workflow,
                         const std::vector<StoredDocument>& documents) {
  nlohmann::json step = available_transition_json(available);
  nlohmann::json missing = nlohmann::json::array();
  for (const std::string& kind : available.transition->required_documents) {
    if (!has_unused_document(documents, kind)) missing.push_back(document_kind_json(workflow, kind));
  }
  step["missing_documents"] = std::move(missing);
  return step;
}

bool moves_on(const AvailableTransition& available) {
  return available.transition != nullptr && available.transition->to.has_value();
}

// The open deadline due first, or null.
nlohmann::json next_deadline_json(const std::vector<DeadlineRecord>& deadlines, const DeadlineDisplay& display) {
  const DeadlineRecord* next = nullptr;
  for (const DeadlineRecord& record : deadlines) {
    if (record.ended_at) continue;
    if (next == nullptr || record.due_at < next->due_at) next = &record;
  }
  return next != nullptr ? deadline_json(*next, display) : nlohmann::json(nullptr);
}

nlohmann::json todo_item_json(const RouteContext& context, const ListedCase& listed) {
  const WorkflowRegistry& registry = context.service.registry();
  nlohmann::json item = listed_case_json(listed, registry);
  nlohmann::json steps = nlohmann::json::array();
  nlohmann::json next_deadline = nullptr;
  Result<CaseDetail> detail = context.service.case_detail(listed.stored.id, context.actor());
  if (detail) {
    WorkflowPtr workflow = registry.find(listed.stored.workflow_id, listed.stored.workflow_version);
    std::vector<StoredDocument> documents = context.service.store().documents_of(listed.stored.id);
    // Steps that move the case on; the record-keeping ones only when there is nothing else, as
    // for a regular report due under a deadline.
    const bool moves = std::any_of(detail->available.begin(), detail->available.end(),
                                   [](const AvailableTransition& available) { return moves_on(available); });
    for (const AvailableTransition& available : detail->available) {
      if (available.transition == nullptr || (moves && !moves_on(available))) continue;
      steps.push_back(step_json(available, workflow.get(), documents));
    }
    DeadlineDisplay display{registry, context.service.deadlines(), context.clock.now().instant};
    next_deadline = next_deadline_json(detail->deadlines, display);
  }
  item["steps"] = std::move(steps);
  item["next_deadline"] = std::move(next_deadline);
  return item;
}

}  // namespace

RouteResult list_todo(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {"limit", "offset"}); !names) return names.problem();
  Result<Paging> paging = read_paging(context.request);
  if (!paging) return std::move(paging).take_problem();

  CaseQuery query;
  query.scope = context.scope();
  query.waiting_role = context.actor().role;
  query.waiting_states = states_waiting_for(context.service.registry(), context.actor().role);
  query.closed = false;
  query.order = CaseOrder::state_entered_at;
  query.limit = paging->limit;
  query.offset = paging->offset;
  if (query.waiting_role->empty()) return JsonReply{200, page_json(nlohmann::json::array(), 0), {}};

  Page<ListedCase> page = context.service.store().list_case_listings(query);
  nlohmann::json items = nlohmann::json::array();
  for (const ListedCase& listed : page.items) items.push_back(todo_item_json(context, listed));
  return JsonReply{200, page_json(std::move(items), page.total), {}};
}

}  // namespace sitecycle::http
