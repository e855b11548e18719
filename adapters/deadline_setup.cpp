#include "adapters/deadline_setup.h"

#include "adapters/agency_files.h"

#include <fmt/format.h>

#include <set>

namespace sitecycle {

namespace {

namespace fs = std::filesystem;

void append(Diagnostics& into, Diagnostics from) {
  for (Diagnostic& diagnostic : from) into.push_back(std::move(diagnostic));
}

Diagnostic problem_at(const std::string& file, Position position, std::string key_path, LocalizedText found,
                      LocalizedText expected) {
  Diagnostic diagnostic;
  diagnostic.file = file;
  diagnostic.line = position.line;
  diagnostic.column = position.column;
  diagnostic.key_path = std::move(key_path);
  diagnostic.found = std::move(found);
  diagnostic.expected = std::move(expected);
  return diagnostic;
}

std::set<std::string> declared_parameters(const std::vector<WorkflowPtr>& workflows) {
  std::set<std::string> names;
  for (const WorkflowPtr& workflow : workflows) {
    for (const DeadlineRule& rule : workflow->deadlines) {
      for (const DeadlineAmount* amount : {&rule.duration.amount, &rule.warning_working_days}) {
        if (amount->parameter) names.insert(*amount->parameter);
      }
    }
  }
  return names;
}

void check_rules_against_agencies(const std::vector<WorkflowPtr>& workflows, const AgencyCatalog* agencies,
                                  const fs::path& agencies_file, Diagnostics& diagnostics) {
  for (const WorkflowPtr& workflow : workflows) {
    for (const DeadlineRule& rule : workflow->deadlines) {
      if (!rule.agency.agency_id) continue;
      if (agencies != nullptr && agencies->find(*rule.agency.agency_id) != nullptr) continue;
      diagnostics.push_back(problem_at(workflow->source_file, rule.position,
                                       fmt::format("deadlines.{}.agency", rule.id), verbatim(*rule.agency.agency_id),
                                       {"agencies.yaml 中定义的机构", "an agency defined in agencies.yaml"}));
    }
  }
  if (agencies == nullptr) return;
  std::set<std::string> parameters = declared_parameters(workflows);
  for (const Agency& agency : agencies->agencies()) {
    for (const auto& [name, override] : agency.parameters) {
      if (parameters.contains(name)) continue;
      std::string known = parameters.empty() ? std::string("none declared") : fmt::format("{}", fmt::join(parameters, ", "));
      diagnostics.push_back(problem_at(agencies_file.string(), override.position,
                                       fmt::format("agencies.{}.parameters.{}", agency.id, name), verbatim(name),
                                       {"期限规则声明的参数：" + known, "a parameter a deadline rule declares: " + known}));
    }
  }
}

}  // namespace

LoadedDeadlineEnvironment load_deadline_environment(const fs::path& workflows_folder,
                                                    const std::vector<WorkflowPtr>& workflows) {
  LoadedDeadlineEnvironment loaded;
  auto environment = std::make_unique<DeadlineEnvironment>();

  fs::path calendars_folder = workflows_folder / "calendars";
  std::error_code error;
  if (fs::exists(calendars_folder, error)) {
    LoadedCalendars calendars = load_calendar_folder(calendars_folder);
    loaded.unreadable = loaded.unreadable || calendars.unreadable;
    append(loaded.diagnostics, std::move(calendars.diagnostics));
    environment->calendars = std::move(calendars.set);
  }

  fs::path agencies_file = workflows_folder / "agencies.yaml";
  if (fs::exists(agencies_file, error)) {
    std::set<std::string> known_calendars;
    for (const auto& [id, calendar] : environment->calendars.calendars) known_calendars.insert(id);
    LoadedAgencies agencies = load_agencies_file(agencies_file, known_calendars);
    loaded.unreadable = loaded.unreadable || agencies.unreadable;
    append(loaded.diagnostics, std::move(agencies.diagnostics));
    environment->agencies = std::move(agencies.catalog);
  }
  check_rules_against_agencies(workflows, environment->agencies ? &*environment->agencies : nullptr, agencies_file,
                               loaded.diagnostics);
  if (!loaded.diagnostics.empty() || loaded.unreadable) return loaded;

  environment->tracker = std::make_unique<DeadlineTracker>(environment->agencies ? &*environment->agencies : nullptr,
                                                           environment->calendars.calendars, environment->zones);
  loaded.environment = std::move(environment);
  return loaded;
}

}  // namespace sitecycle
