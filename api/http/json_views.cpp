#include "json_views.h"

#include "engine/instant.h"

namespace sitecycle::http {

namespace {

nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json state_json(const State& state) {
  return {{"id", state.id},
          {"title", to_json(state.title)},
          {"initial", state.initial},
          {"final", state.final}};
}

nlohmann::json transition_json(const Transition& transition) {
  return {{"id", transition.id},
          {"title", to_json(transition.title)},
          {"from", transition.from},
          {"to", transition.to ? nlohmann::json(*transition.to) : nlohmann::json(nullptr)},
          {"roles", transition.roles},
          {"input", {{"required", transition.input.required}, {"optional", transition.input.optional}}},
          {"documents", transition.documents},
          {"required_documents", transition.required_documents}};
}

nlohmann::json document_kind_json(const DocumentKind& document) {
  return {{"id", document.id}, {"title", to_json(document.title)}, {"basis", text_or_null(document.basis)}};
}

// The setting as declared; the value an agency overrides it with is not shown here.
// A field of the workflow's schema, with what a form needs to build its input: type, title,
// whether it is required at creation or written only by effects, bounds, choices and, for
// lists and objects, the fields inside.
nlohmann::json field_json(const FieldSpec& spec) {
  nlohmann::json field = {{"id", spec.id},
                          {"type", std::string(to_string(spec.type))},
                          {"title", to_json(spec.title)},
                          {"required", spec.required},
                          {"read_only", spec.read_only}};
  if (spec.minimum) field["min"] = *spec.minimum;
  if (spec.maximum) field["max"] = *spec.maximum;
  if (spec.minimum_date) field["min"] = *spec.minimum_date;
  if (spec.maximum_date) field["max"] = *spec.maximum_date;
  if (spec.pattern) field["pattern"] = *spec.pattern;
  if (spec.format) field["format"] = *spec.format;
  if (!spec.values.empty()) {
    nlohmann::json values = nlohmann::json::array();
    for (const std::string& value : spec.values) {
      auto title = spec.value_titles.find(value);
      values.push_back({{"id", value}, {"title", title != spec.value_titles.end() ? to_json(title->second) : nullptr}});
    }
    field["values"] = std::move(values);
  }
  if (spec.items) field["items"] = field_json(*spec.items);
  if (!spec.fields.empty()) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& [id, inner] : spec.fields) fields.push_back(field_json(inner));
    field["fields"] = std::move(fields);
  }
  return field;
}

nlohmann::json setting_json(const WorkflowSetting& setting) {
  return {{"id", setting.id},
          {"title", to_json(setting.title)},
          {"type", to_string(setting.type)},
          {"default", setting.default_value},
          {"basis", text_or_null(setting.basis)},
          {"source_status", setting.source_status},
          {"needs_legal_check", setting.needs_legal_check}};
}

nlohmann::json link_json(const CaseLink& link) {
  return {{"role", link.role}, {"case_id", link.linked_case_id}};
}

nlohmann::json actor_json(const Actor& actor) {
  return {{"role", text_or_null(actor.role)},
          {"org", text_or_null(actor.org)},
          {"user", text_or_null(actor.user)}};
}

}  // namespace

nlohmann::json state_title_json(const StoredCase& stored, const WorkflowRegistry& registry) {
  WorkflowPtr workflow = registry.find(stored.workflow_id, stored.workflow_version);
  if (!workflow) return nullptr;
  const State* state = workflow->find_state(stored.state);
  return state ? to_json(state->title) : nlohmann::json(nullptr);
}

nlohmann::json available_transition_json(const AvailableTransition& available) {
  const Transition& transition = *available.transition;
  return {{"id", transition.id},
          {"title", to_json(transition.title)},
          {"to", transition.to ? nlohmann::json(*transition.to) : nlohmann::json(nullptr)},
          {"documents", transition.documents},
          {"guard_holds", available.guard_holds},
          {"blocked_reason",
           available.blocked_reason ? to_json(*available.blocked_reason) : nlohmann::json(nullptr)},
          {"blocking_case", text_or_null(available.blocking_case)}};
}

nlohmann::json workflow_json(const Workflow& workflow) {
  nlohmann::json states = nlohmann::json::array();
  for (const State& state : workflow.states) states.push_back(state_json(state));

  nlohmann::json transitions = nlohmann::json::array();
  for (const Transition& transition : workflow.transitions) {
    transitions.push_back(transition_json(transition));
  }

  nlohmann::json documents = nlohmann::json::array();
  for (const DocumentKind& document : workflow.documents) documents.push_back(document_kind_json(document));
  nlohmann::json settings = nlohmann::json::array();
  for (const WorkflowSetting& setting : workflow.settings) settings.push_back(setting_json(setting));
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& [id, spec] : workflow.fields) fields.push_back(field_json(spec));

  return {{"id", workflow.id},
          {"version", workflow.version},
          {"title", to_json(workflow.title)},
          {"states", std::move(states)},
          {"transitions", std::move(transitions)},
          {"fields", std::move(fields)},
          {"documents", std::move(documents)},
          {"settings", std::move(settings)}};
}

nlohmann::json case_summary_json(const StoredCase& stored, const WorkflowRegistry& registry) {
  return {{"id", stored.id},
          {"workflow", stored.workflow_id},
          {"workflow_version", stored.workflow_version},
          {"state", stored.state},
          {"state_title", state_title_json(stored, registry)},
          {"version", stored.version},
          {"closed", stored.closed},
          {"created_at", format_instant(stored.created_at)},
          {"updated_at", format_instant(stored.updated_at)},
          {"data", stored.data}};
}

nlohmann::json listed_case_json(const ListedCase& listed, const WorkflowRegistry& registry) {
  nlohmann::json body = case_summary_json(listed.stored, registry);
  body["state_entered_at"] = format_instant(listed.listing.state_entered_at);
  body["light"] = std::string(to_string(listed.listing.light));
  body["next_due_at"] =
      listed.listing.next_due_at ? nlohmann::json(format_instant(*listed.listing.next_due_at)) : nlohmann::json(nullptr);
  return body;
}

nlohmann::json case_detail_json(const CaseDetail& detail, const WorkflowRegistry& registry) {
  nlohmann::json body = case_summary_json(detail.stored, registry);

  nlohmann::json links = nlohmann::json::array();
  for (const CaseLink& link : detail.links) links.push_back(link_json(link));
  body["links"] = std::move(links);

  nlohmann::json transitions = nlohmann::json::array();
  for (const AvailableTransition& available : detail.available) {
    if (available.transition) transitions.push_back(available_transition_json(available));
  }
  body["transitions"] = std::move(transitions);
  return body;
}

nlohmann::json event_json(const StoredEvent& event) {
  return {{"id", event.id},
          {"case_id", event.case_id},
          {"case_version", event.case_version},
          {"kind", event.kind},
          {"transition", text_or_null(event.transition)},
          {"from", text_or_null(event.from_state)},
          {"to", text_or_null(event.to_state)},
          {"actor", actor_json(event.actor)},
          {"at", format_instant(event.at)},
          {"input", event.input},
          {"comment", text_or_null(event.comment)},
          {"effects", event.effects}};
}

nlohmann::json events_json(const std::vector<StoredEvent>& events) {
  nlohmann::json items = nlohmann::json::array();
  for (const StoredEvent& event : events) items.push_back(event_json(event));
  return items;
}

nlohmann::json page_json(nlohmann::json items, std::int64_t total) {
  return {{"items", std::move(items)}, {"total", total}};
}

nlohmann::json parties_json(const std::vector<CaseParty>& parties) {
  nlohmann::json items = nlohmann::json::array();
  for (const CaseParty& party : parties) {
    items.push_back({{"org_id", party.org_id}, {"granted_by", party.granted_by},
                     {"granted_at", format_instant(party.granted_at)}});
  }
  return items;
}

nlohmann::json document_json(const StoredDocument& document) {
  return {{"id", document.id},
          {"case_id", document.case_id},
          {"kind", document.kind},
          {"title", document.title},
          {"content_type", document.content_type},
          {"size", document.size},
          {"sha256", document.sha256},
          {"uploaded_by", {{"role", document.uploaded_by.role}, {"org", document.uploaded_by.org},
                           {"user", document.uploaded_by.user}}},
          {"uploaded_at", format_instant(document.uploaded_at)},
          {"event_id", document.event_id ? nlohmann::json(*document.event_id) : nlohmann::json()}};
}

}  // namespace sitecycle::http
