#include "adapters/deadline_codec.h"

#include <fmt/format.h>

namespace sitecycle {

namespace {

std::string date_text(Date date) { return format_date(date); }

Date date_of(const nlohmann::json& json, const char* field) {
  auto date = parse_date(json.at(field).get<std::string>());
  if (!date) throw std::invalid_argument(fmt::format("deadline field {} is not a date", field));
  return *date;
}

Instant instant_of(const nlohmann::json& json, const char* field) {
  auto instant = parse_utc_instant(json.at(field).get<std::string>());
  if (!instant) throw std::invalid_argument(fmt::format("deadline field {} is not an instant", field));
  return *instant;
}

std::optional<Instant> optional_instant_of(const nlohmann::json& json, const char* field) {
  auto value = json.find(field);
  if (value == json.end() || value->is_null()) return std::nullopt;
  return instant_of(json, field);
}

nlohmann::json optional_instant(const std::optional<Instant>& instant) {
  return instant ? nlohmann::json(format_instant(*instant)) : nlohmann::json();
}

}  // namespace

nlohmann::json encode_deadline(const DeadlineRecord& record) {
  nlohmann::json pauses = nlohmann::json::array();
  for (const PauseInterval& pause : record.pauses) {
    pauses.push_back({{"from", date_text(pause.from)}, {"to", pause.to ? nlohmann::json(date_text(*pause.to)) : nlohmann::json()}});
  }
  return {
      {"case_id", record.case_id},
      {"workflow_id", record.workflow_id},
      {"workflow_version", record.workflow_version},
      {"rule_id", record.rule_id},
      {"cycle", record.cycle},
      {"agency_id", record.agency_id},
      {"calendar_id", record.calendar_id},
      {"time_zone", record.time_zone},
      {"responsible", record.responsible},
      {"progress", deadline_progress_name(record.state.progress)},
      {"paused", record.state.paused},
      {"amount", record.amount},
      {"warning_working_days", record.warning_working_days},
      {"started_on", date_text(record.started_on)},
      {"started_at", format_instant(record.started_at)},
      {"anchor_on", date_text(record.anchor_on.ok() ? record.anchor_on : record.started_on)},
      {"periods", record.periods},
      {"pauses", pauses},
      {"due_on", date_text(record.due_on)},
      {"due_at", format_instant(record.due_at)},
      {"warning_at", format_instant(record.warning_at)},
      {"escalation_level", record.escalation_level},
      {"next_fire_at", optional_instant(record.next_fire_at)},
      {"provisional", record.provisional},
      {"missing_years", record.missing_years},
      {"ended_at", optional_instant(record.ended_at)},
      {"end_reason", record.end_reason},
      {"created_at", format_instant(record.created_at)},
      {"updated_at", format_instant(record.updated_at)},
  };
}

DeadlineRecord decode_deadline(const nlohmann::json& json) {
  try {
    DeadlineRecord record;
    record.case_id = json.at("case_id").get<std::string>();
    record.workflow_id = json.at("workflow_id").get<std::string>();
    record.workflow_version = json.at("workflow_version").get<int>();
    record.rule_id = json.at("rule_id").get<std::string>();
    record.cycle = json.at("cycle").get<int>();
    record.agency_id = json.at("agency_id").get<std::string>();
    record.calendar_id = json.at("calendar_id").get<std::string>();
    record.time_zone = json.at("time_zone").get<std::string>();
    record.responsible = json.at("responsible").get<std::string>();
    auto progress = parse_deadline_progress(json.at("progress").get<std::string>());
    if (!progress) throw std::invalid_argument("deadline field progress is not a known progress");
    record.state = DeadlineState{*progress, json.at("paused").get<bool>()};
    record.amount = json.at("amount").get<int>();
    record.warning_working_days = json.at("warning_working_days").get<int>();
    record.started_on = date_of(json, "started_on");
    record.started_at = instant_of(json, "started_at");
    record.anchor_on = json.contains("anchor_on") ? date_of(json, "anchor_on") : record.started_on;
    record.periods = json.value("periods", 1);
    for (const auto& pause : json.at("pauses")) {
      PauseInterval interval{date_of(pause, "from"), std::nullopt};
      if (!pause.at("to").is_null()) interval.to = date_of(pause, "to");
      record.pauses.push_back(interval);
    }
    record.due_on = date_of(json, "due_on");
    record.due_at = instant_of(json, "due_at");
    record.warning_at = instant_of(json, "warning_at");
    record.escalation_level = json.at("escalation_level").get<int>();
    record.next_fire_at = optional_instant_of(json, "next_fire_at");
    record.provisional = json.at("provisional").get<bool>();
    record.missing_years = json.at("missing_years").get<std::vector<int>>();
    record.ended_at = optional_instant_of(json, "ended_at");
    record.end_reason = json.at("end_reason").get<std::string>();
    record.created_at = instant_of(json, "created_at");
    record.updated_at = instant_of(json, "updated_at");
    return record;
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(fmt::format("deadline record does not decode: {}", error.what()));
  }
}

}  // namespace sitecycle
