#include "workflow_setting.h"

namespace sitecycle {

std::string_view to_string(SettingType type) {
  switch (type) {
    case SettingType::boolean: return "boolean";
    case SettingType::integer: return "integer";
  }
  return "";
}

bool fits(const WorkflowSetting& setting, const nlohmann::json& value) {
  if (setting.type == SettingType::boolean) return value.is_boolean();
  return value.is_number_integer() && value.get<long long>() >= 0;
}

nlohmann::json resolve_settings(const std::vector<WorkflowSetting>& settings, const AgencySelector& selector,
                                const nlohmann::json& case_data, const AgencyCatalog* agencies) {
  nlohmann::json values = nlohmann::json::object();
  const Agency* agency = agencies != nullptr ? &agencies->select(selector, case_data) : nullptr;
  for (const WorkflowSetting& setting : settings) {
    values[setting.id] = setting.default_value;
    if (agency == nullptr) continue;
    const ParameterOverride* override = agencies->parameter(agency->id, setting.id);
    if (override != nullptr && fits(setting, override->value)) values[setting.id] = override->value;
  }
  return values;
}

}  // namespace sitecycle
