// JSON views of deadline cycles as the API returns them, in the conventions of json_views.h:
// snake_case keys, titles and texts as {"zh-CN": ..., "en": ...}, instants in UTC ISO 8601,
// dates as YYYY-MM-DD and absent values as null.
#pragma once

#include "engine/deadline.h"
#include "engine/deadline_tracker.h"
#include "engine/instant.h"
#include "engine/localized_text.h"
#include "engine/workflow_registry.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace sitecycle::http {

// The context in which one reply shows deadlines: the registry with the rule titles, and the
// tracker that computes the light at `now`. `tracker` is null when the server runs without
// deadline calendars, and lights and working-day counts are then null.
struct DeadlineDisplay {
  const WorkflowRegistry& registry;
  const DeadlineTracker* tracker;
  Instant now;
};

// The title of the record's rule in the workflow version the record was started on, or nullopt
// when the registry no longer contains that version or rule.
std::optional<LocalizedText> deadline_title(const DeadlineRecord& record, const WorkflowRegistry& registry);

// The light, the counts and the summary at `display.now`. Nullopt for an ended deadline or when
// there is no tracker.
std::optional<DeadlineView> view_at(const DeadlineRecord& record, const DeadlineDisplay& display);

// The short status text of a deadline. An open deadline has the view's summary ("剩余 3 个工作日"
// / "3 working days left"), followed by a provisional mark when its due date relies on a year
// with no calendar. An ended one has "已完成" / "met" or "已取消" / "cancelled". Returns nullopt
// for an open deadline without a view.
std::optional<LocalizedText> deadline_summary(const DeadlineRecord& record, const std::optional<DeadlineView>& view);

// {id, rule, title, cycle, agency, responsible, status, progress, paused, started_on, due_on,
// due_at, warning_at, provisional, missing_years, light, working_days_left, working_days_over,
// summary, escalation_level, pauses: [{from, to}], ended_at, end_reason}. light is green,
// yellow, red or grey, and null once the deadline ended.
nlohmann::json deadline_json(const DeadlineRecord& record, const DeadlineDisplay& display);

// deadline_json of each record, in order.
nlohmann::json deadlines_json(const std::vector<DeadlineRecord>& records, const DeadlineDisplay& display);

// deadline_json plus case_id and workflow, for lists across cases.
nlohmann::json deadline_item_json(const DeadlineRecord& record, const DeadlineDisplay& display);

}  // namespace sitecycle::http
