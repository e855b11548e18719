// Organisations, the users who act for them, and which cases each organisation may see.
//
// Row-level access follows the organisation, not the role: a city-level bureau may read every case,
// a district-level one the cases of its district, and a firm only the cases it is a party to.
#pragma once

#include "case_store.h"
#include "instant.h"
#include "localized_text.h"

#include <optional>
#include <string>
#include <string_view>

namespace sitecycle {

enum class OrganisationType {
  land_bureau,          // 规划和自然资源局 acting on land supply
  land_reserve_centre,  // 土地储备中心
  ecology_bureau,       // 生态环境局
  planning_bureau,      // 规划和自然资源局 acting on planning
  government,           // 区人民政府 and its departments (economy, agriculture)
  expert_panel,         // 评审专家组 or a review organisation
  firm,                 // consultancy, contractor or environmental supervisor
  evaluator,            // 效果评估单位
  enterprise,           // land-use-right holder, polluter or key supervised unit
};

std::string_view organisation_type_name(OrganisationType type);
std::optional<OrganisationType> parse_organisation_type(std::string_view name);
// Every type name, comma-separated, for messages.
std::string organisation_type_names();

// Firms, evaluators and enterprises see only the cases they are a party to, whatever their
// district.
bool sees_only_own_cases(OrganisationType type);

// Whether `district` is the id of one of Shanghai's 16 districts, as data.district spells it
// ("pudong", "huangpu", ...).
bool is_shanghai_district(std::string_view district);
// Every district id, comma-separated, for messages.
std::string shanghai_district_names();

struct Organisation {
  std::string id;
  OrganisationType type = OrganisationType::firm;
  std::string district;  // a district id such as "pudong"; empty for a city-level organisation
  LocalizedText name;
  std::string credit_code;  // 统一社会信用代码; may be empty
  Instant created_at{};
};

// The cases an organisation's users may see:
// - a city-level organisation that is not a party-only type: every case;
// - a district-level one: cases whose data.district is its district, and cases it is a party to;
// - firms, evaluators and enterprises: cases they are a party to.
// A party is an organisation that acted on the case, was granted access to it, or whose
// unified social credit code is a value of the case's data.
CaseScope scope_of(const Organisation& organisation);

}  // namespace sitecycle
