// Workflow settings: named values that the law leaves open (whether a step is required, a count),
// declared with a default under `settings:` and overridden per agency in agencies.yaml. Guards
// read them as `setting.NAME`.
#pragma once

#include "agency.h"
#include "localized_text.h"
#include "position.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

enum class SettingType { boolean, integer };

struct WorkflowSetting {
  std::string id;
  LocalizedText title;
  SettingType type = SettingType::boolean;
  nlohmann::json default_value;  // a boolean, or an integer >= 0
  std::string basis;
  std::string source_status;  // as for deadline rules, such as not_found or setting
  bool needs_legal_check = false;
  std::string note;
  Position position;
};

std::string_view to_string(SettingType type);

// Returns whether `value` has the setting's type: a boolean, or an integer of 0 or more.
bool fits(const WorkflowSetting& setting, const nlohmann::json& value);

// Returns the value of every setting for one case, as an object keyed by setting id: the override of the
// agency `selector` picks for `case_data` when it has one of the right type, else the default.
// Without a catalog every setting has its default.
nlohmann::json resolve_settings(const std::vector<WorkflowSetting>& settings, const AgencySelector& selector,
                                const nlohmann::json& case_data, const AgencyCatalog* agencies);

}  // namespace sitecycle
