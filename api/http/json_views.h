// JSON views of workflows, cases and events as the API returns them. Keys are snake_case,
// titles are {"zh-CN": ..., "en": ...} objects, absent text is null, and instants are UTC
// ISO 8601 ("2026-03-16T01:30:00Z").
#pragma once

#include "engine/case_service.h"
#include "engine/case_store.h"
#include "engine/workflow.h"
#include "engine/workflow_registry.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace sitecycle::http {

// {id, version, title, states: [{id, title, initial, final}],
//  transitions: [{id, title, from, to, roles, input: {required, optional}, documents,
//  required_documents}]}.
nlohmann::json workflow_json(const Workflow& workflow);

// {id, workflow, workflow_version, state, state_title, version, closed, created_at, updated_at,
// data}. state_title is null when the registry no longer contains the case's workflow version.
nlohmann::json case_summary_json(const StoredCase& stored, const WorkflowRegistry& registry);

// The summary plus links [{role, case_id}] and the transitions the caller's role may fire
// [{id, title, to, guard_holds, blocked_reason, blocking_case}].
// The summary with what a list shows: state_entered_at, light and next_due_at.
nlohmann::json listed_case_json(const ListedCase& listed, const WorkflowRegistry& registry);
// The title of the case's state in its workflow version, or null when that version is gone.
nlohmann::json state_title_json(const StoredCase& stored, const WorkflowRegistry& registry);
// {id, title, to, documents, guard_holds, blocked_reason, blocking_case}: a step the caller may
// take, and whether its guard holds on the case's current data.
nlohmann::json available_transition_json(const AvailableTransition& available);
nlohmann::json case_detail_json(const CaseDetail& detail, const WorkflowRegistry& registry);

// {id, case_id, case_version, kind, transition, from, to, actor: {role, org, user}, at, input,
// comment, effects}.
nlohmann::json event_json(const StoredEvent& event);

nlohmann::json events_json(const std::vector<StoredEvent>& events);

// [{org_id, granted_by, granted_at}].
nlohmann::json parties_json(const std::vector<CaseParty>& parties);

// {id, case_id, kind, title, content_type, size, sha256, uploaded_by: {role, org, user},
// uploaded_at, event_id}; event_id is null until a step hands the document in.
nlohmann::json document_json(const StoredDocument& document);

// {"items": [...], "total": N}.
nlohmann::json page_json(nlohmann::json items, std::int64_t total);

}  // namespace sitecycle::http
