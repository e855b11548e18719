#include "adapters/deadline_setup.h"

#include "adapters/agency_files.h"

#include <fmt/format.h>

#include <map>
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

// The first use of a parameter. Its unit and default must be the same everywhere, because one
// agency override replaces them all.
struct ParameterUse {
  std::string unit;  // the duration kind, or "warning_working_days"
  int default_value = 0;
  int minimum = 0;
  int maximum = 36500;
};

std::string_view unit_of(DurationKind kind) {
  switch (kind) {
    case DurationKind::working_days: return "working_days";
    case DurationKind::calendar_days: return "calendar_days";
    case DurationKind::months: return "months";
    case DurationKind::before_date: return "working_days_before";
    case DurationKind::yearly_by: return "yearly_by";
  }
  return "";
}

// Collects every parameter's use and reports a name used with another unit or default.
std::map<std::string, ParameterUse> collect_parameters(const std::vector<WorkflowPtr>& workflows, Diagnostics& diagnostics) {
  std::map<std::string, ParameterUse> uses;
  for (const WorkflowPtr& workflow : workflows) {
    for (const DeadlineRule& rule : workflow->deadlines) {
      std::vector<std::pair<const DeadlineAmount*, ParameterUse>> amounts;
      DurationKind kind = rule.duration.kind;
      int minimum = kind == DurationKind::working_days || kind == DurationKind::months ? 1 : 0;
      int maximum = kind == DurationKind::months ? 1200 : 36500;
      amounts.push_back({&rule.duration.amount, {std::string(unit_of(kind)), rule.duration.amount.default_value, minimum, maximum}});
      amounts.push_back({&rule.warning_working_days,
                         {"warning_working_days", rule.warning_working_days.default_value, 0, 36500}});
      for (const auto& [amount, use] : amounts) {
        if (!amount->parameter) continue;
        auto [known, inserted] = uses.emplace(*amount->parameter, use);
        if (inserted || (known->second.unit == use.unit && known->second.default_value == use.default_value)) continue;
        std::string first = fmt::format("{} {}", known->second.default_value, known->second.unit);
        diagnostics.push_back(problem_at(workflow->source_file, rule.position, fmt::format("deadlines.{}", rule.id),
                                         verbatim(fmt::format("{}: {} {}", *amount->parameter, use.default_value, use.unit)),
                                         {fmt::format("与其他规则相同的单位和默认值（{}），或另起参数名", first),
                                          fmt::format("the unit and default other rules give it ({}), or another parameter name", first)}));
      }
    }
  }
  return uses;
}

// Collects every workflow setting by name. One agency override applies to every workflow that
// declares the name, so a name declared twice must have one type.
std::map<std::string, const WorkflowSetting*> collect_settings(const std::vector<WorkflowPtr>& workflows,
                                                               Diagnostics& diagnostics) {
  std::map<std::string, const WorkflowSetting*> settings;
  for (const WorkflowPtr& workflow : workflows) {
    for (const WorkflowSetting& setting : workflow->settings) {
      auto [known, inserted] = settings.emplace(setting.id, &setting);
      if (inserted || known->second->type == setting.type) continue;
      diagnostics.push_back(problem_at(workflow->source_file, setting.position, "settings." + setting.id + ".type",
                                       verbatim(std::string(to_string(setting.type))),
                                       {fmt::format("与其他流程中同名设置相同的类型（{}），或另起设置名", to_string(known->second->type)),
                                        fmt::format("the type other workflows give this setting ({}), or another name",
                                                    to_string(known->second->type))}));
    }
  }
  return settings;
}

// Returns the agencies a selector can pick for some case: a fixed agency, every agency of a kind when a
// district field chooses among them, the city agency of a kind, or the default agency.
std::set<std::string> selectable_agencies(const AgencySelector& selector, const AgencyCatalog& agencies) {
  if (selector.agency_id) return {*selector.agency_id};
  std::set<std::string> ids{agencies.default_agency().id};
  if (!selector.kind) return ids;
  if (!selector.district_field) {
    if (const Agency* city = agencies.find_for(*selector.kind, std::nullopt)) return {city->id};
    return ids;
  }
  for (const Agency& agency : agencies.agencies()) {
    if (agency.kind == *selector.kind) ids.insert(agency.id);
  }
  return ids;
}

// Returns, for each parameter and setting name, the agencies whose overrides of it some case reads.
std::map<std::string, std::set<std::string>> override_readers(const std::vector<WorkflowPtr>& workflows,
                                                              const AgencyCatalog& agencies) {
  std::map<std::string, std::set<std::string>> readers;
  for (const WorkflowPtr& workflow : workflows) {
    std::set<std::string> setting_agencies = selectable_agencies(workflow->agency, agencies);
    for (const WorkflowSetting& setting : workflow->settings) readers[setting.id].insert(setting_agencies.begin(), setting_agencies.end());
    for (const DeadlineRule& rule : workflow->deadlines) {
      std::set<std::string> rule_agencies = selectable_agencies(rule.agency, agencies);
      for (const DeadlineAmount* amount : {&rule.duration.amount, &rule.warning_working_days}) {
        if (amount->parameter) readers[*amount->parameter].insert(rule_agencies.begin(), rule_agencies.end());
      }
    }
  }
  return readers;
}

// Reports each override on an agency that no case of any workflow reads it from, because it would
// silently change nothing, naming the agencies that do read the name.
void check_overrides_are_read(const std::vector<WorkflowPtr>& workflows, const AgencyCatalog& agencies,
                              const fs::path& agencies_file, Diagnostics& diagnostics) {
  std::map<std::string, std::set<std::string>> readers = override_readers(workflows, agencies);
  for (const Agency& agency : agencies.agencies()) {
    for (const auto& [name, override] : agency.parameters) {
      auto read_by = readers.find(name);
      if (read_by == readers.end() || read_by->second.count(agency.id) != 0) continue;
      std::string names = fmt::format("{}", fmt::join(read_by->second, ", "));
      diagnostics.push_back(problem_at(agencies_file.string(), override.position,
                                       fmt::format("agencies.{}.parameters.{}", agency.id, name),
                                       {fmt::format("{}（没有流程从 {} 读取它）", name, agency.id),
                                        fmt::format("{} (no workflow reads it from {})", name, agency.id)},
                                       {"在读取它的机构上覆盖：" + names, "an override on an agency that reads it: " + names}));
    }
  }
}

void check_rules_against_agencies(const std::vector<WorkflowPtr>& workflows, const AgencyCatalog* agencies,
                                  const fs::path& agencies_file, Diagnostics& diagnostics) {
  for (const WorkflowPtr& workflow : workflows) {
    if (workflow->agency.agency_id && (agencies == nullptr || agencies->find(*workflow->agency.agency_id) == nullptr)) {
      diagnostics.push_back(problem_at(workflow->source_file, workflow->agency_position, "agency",
                                       verbatim(*workflow->agency.agency_id),
                                       {"agencies.yaml 中定义的机构", "an agency defined in agencies.yaml"}));
    }
    for (const DeadlineRule& rule : workflow->deadlines) {
      if (!rule.agency.agency_id) continue;
      if (agencies != nullptr && agencies->find(*rule.agency.agency_id) != nullptr) continue;
      diagnostics.push_back(problem_at(workflow->source_file, rule.position,
                                       fmt::format("deadlines.{}.agency", rule.id), verbatim(*rule.agency.agency_id),
                                       {"agencies.yaml 中定义的机构", "an agency defined in agencies.yaml"}));
    }
  }
  std::map<std::string, ParameterUse> parameters = collect_parameters(workflows, diagnostics);
  std::map<std::string, const WorkflowSetting*> settings = collect_settings(workflows, diagnostics);
  if (agencies == nullptr) return;
  std::vector<std::string> names;
  for (const auto& [name, use] : parameters) names.push_back(name);
  for (const auto& [name, setting] : settings) names.push_back(name);
  std::string known = names.empty() ? std::string("none declared") : fmt::format("{}", fmt::join(names, ", "));
  for (const Agency& agency : agencies->agencies()) {
    for (const auto& [name, override] : agency.parameters) {
      std::string key_path = fmt::format("agencies.{}.parameters.{}", agency.id, name);
      if (auto setting = settings.find(name); setting != settings.end()) {
        if (fits(*setting->second, override.value)) continue;
        bool boolean = setting->second->type == SettingType::boolean;
        diagnostics.push_back(problem_at(agencies_file.string(), override.position, key_path + ".value",
                                         verbatim(override.value.dump()),
                                         boolean ? LocalizedText{"true 或 false", "true or false"}
                                                 : LocalizedText{"不小于 0 的整数", "an integer of 0 or more"}));
        continue;
      }
      auto use = parameters.find(name);
      if (use == parameters.end()) {
        diagnostics.push_back(problem_at(agencies_file.string(), override.position, key_path, verbatim(name),
                                         {"期限规则声明的参数或流程设置：" + known,
                                          "a parameter a deadline rule declares, or a workflow setting: " + known}));
        continue;
      }
      const ParameterUse& range = use->second;
      bool in_range = override.value.is_number_integer() && override.value.get<long long>() >= range.minimum &&
                      override.value.get<long long>() <= range.maximum;
      if (in_range) continue;
      diagnostics.push_back(problem_at(agencies_file.string(), override.position, key_path + ".value",
                                       verbatim(override.value.dump()),
                                       {fmt::format("{} 到 {} 的整数（单位：{}）", range.minimum, range.maximum, range.unit),
                                        fmt::format("an integer from {} to {} (unit: {})", range.minimum, range.maximum, range.unit)}));
    }
  }
  check_overrides_are_read(workflows, *agencies, agencies_file, diagnostics);
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
  // An agencies file that did not load has been reported already. Checking rules against it would
  // only repeat that as "agency not defined" in every workflow.
  bool agencies_unloaded = fs::exists(agencies_file, error) && !environment->agencies;
  if (!agencies_unloaded) {
    check_rules_against_agencies(workflows, environment->agencies ? &*environment->agencies : nullptr, agencies_file,
                                 loaded.diagnostics);
  }
  if (!loaded.diagnostics.empty() || loaded.unreadable) return loaded;

  environment->tracker = std::make_unique<DeadlineTracker>(environment->agencies ? &*environment->agencies : nullptr,
                                                           environment->calendars.calendars, environment->zones);
  loaded.environment = std::move(environment);
  return loaded;
}

}  // namespace sitecycle
