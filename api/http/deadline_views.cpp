#include "deadline_views.h"

#include "engine/deadline_lifecycle.h"

#include <fmt/format.h>

namespace sitecycle::http {

namespace {

nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json pause_json(const PauseInterval& pause) {
  return {{"from", format_date(pause.from)}, {"to", pause.to ? nlohmann::json(format_date(*pause.to)) : nlohmann::json(nullptr)}};
}

nlohmann::json pauses_json(const std::vector<PauseInterval>& pauses) {
  nlohmann::json items = nlohmann::json::array();
  for (const PauseInterval& pause : pauses) items.push_back(pause_json(pause));
  return items;
}

// "（待确认：2027 年日历未发布）" / " (provisional: no calendar for 2027)".
LocalizedText provisional_mark(const std::vector<int>& missing_years) {
  if (missing_years.empty()) return {"（待确认）", " (provisional)"};
  return {fmt::format("（待确认：{} 年日历未发布）", fmt::join(missing_years, "、")),
          fmt::format(" (provisional: no calendar for {})", fmt::join(missing_years, ", "))};
}

LocalizedText ended_summary(DeadlineProgress progress) {
  if (progress == DeadlineProgress::met) return {"已完成", "met"};
  return {"已取消", "cancelled"};
}

nlohmann::json count_or_null(const std::optional<DeadlineView>& view, int DeadlineView::*member) {
  return view ? nlohmann::json((*view).*member) : nlohmann::json(nullptr);
}

}  // namespace

std::optional<LocalizedText> deadline_title(const DeadlineRecord& record, const WorkflowRegistry& registry) {
  WorkflowPtr workflow = registry.find(record.workflow_id, record.workflow_version);
  if (!workflow) return std::nullopt;
  for (const DeadlineRule& rule : workflow->deadlines) {
    if (rule.id == record.rule_id) return rule.title;
  }
  return std::nullopt;
}

std::optional<DeadlineView> view_at(const DeadlineRecord& record, const DeadlineDisplay& display) {
  if (display.tracker == nullptr || !is_open(record.state)) return std::nullopt;
  return display.tracker->view(record, display.now);
}

std::optional<LocalizedText> deadline_summary(const DeadlineRecord& record, const std::optional<DeadlineView>& view) {
  if (!is_open(record.state)) return ended_summary(record.state.progress);
  if (!view) return std::nullopt;

  LocalizedText summary = view->summary;
  if (record.provisional) {
    LocalizedText mark = provisional_mark(record.missing_years);
    summary.zh_cn += mark.zh_cn;
    summary.en += mark.en;
  }
  return summary;
}

nlohmann::json deadline_json(const DeadlineRecord& record, const DeadlineDisplay& display) {
  std::optional<LocalizedText> title = deadline_title(record, display.registry);
  std::optional<DeadlineView> view = view_at(record, display);
  std::optional<LocalizedText> summary = deadline_summary(record, view);

  return {{"id", record.id},
          {"rule", record.rule_id},
          {"title", title ? to_json(*title) : nlohmann::json(nullptr)},
          {"cycle", record.cycle},
          {"agency", text_or_null(record.agency_id)},
          {"responsible", text_or_null(record.responsible)},
          {"status", deadline_status_name(record.state)},
          {"progress", deadline_progress_name(record.state.progress)},
          {"paused", record.state.paused},
          {"started_on", format_date(record.started_on)},
          {"due_on", format_date(record.due_on)},
          {"due_at", format_instant(record.due_at)},
          {"warning_at", format_instant(record.warning_at)},
          {"provisional", record.provisional},
          {"missing_years", record.missing_years},
          {"light", view ? nlohmann::json(to_string(view->light)) : nlohmann::json(nullptr)},
          {"working_days_left", count_or_null(view, &DeadlineView::working_days_left)},
          {"working_days_over", count_or_null(view, &DeadlineView::working_days_over)},
          {"summary", summary ? to_json(*summary) : nlohmann::json(nullptr)},
          {"escalation_level", record.escalation_level},
          {"pauses", pauses_json(record.pauses)},
          {"ended_at", record.ended_at ? nlohmann::json(format_instant(*record.ended_at)) : nlohmann::json(nullptr)},
          {"end_reason", text_or_null(record.end_reason)}};
}

nlohmann::json deadlines_json(const std::vector<DeadlineRecord>& records, const DeadlineDisplay& display) {
  nlohmann::json items = nlohmann::json::array();
  for (const DeadlineRecord& record : records) items.push_back(deadline_json(record, display));
  return items;
}

nlohmann::json deadline_item_json(const DeadlineRecord& record, const DeadlineDisplay& display) {
  nlohmann::json item = deadline_json(record, display);
  item["case_id"] = record.case_id;
  item["workflow"] = record.workflow_id;
  return item;
}

}  // namespace sitecycle::http
