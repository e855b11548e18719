#include "organisation.h"

#include <array>
#include <utility>

namespace sitecycle {

namespace {

constexpr std::array<std::pair<OrganisationType, std::string_view>, 9> kTypeNames{{
    {OrganisationType::land_bureau, "land_bureau"},
    {OrganisationType::land_reserve_centre, "land_reserve_centre"},
    {OrganisationType::ecology_bureau, "ecology_bureau"},
    {OrganisationType::planning_bureau, "planning_bureau"},
    {OrganisationType::government, "government"},
    {OrganisationType::expert_panel, "expert_panel"},
    {OrganisationType::firm, "firm"},
    {OrganisationType::evaluator, "evaluator"},
    {OrganisationType::enterprise, "enterprise"},
}};

constexpr std::array<std::string_view, 16> kDistricts{
    "huangpu", "xuhui",  "changning", "jingan",   "putuo",   "hongkou", "yangpu", "minhang",
    "baoshan", "jiading", "pudong",   "jinshan", "songjiang", "qingpu", "fengxian", "chongming",
};

}  // namespace

bool is_shanghai_district(std::string_view district) {
  for (std::string_view known : kDistricts) {
    if (known == district) return true;
  }
  return false;
}

std::string shanghai_district_names() {
  std::string names;
  for (std::string_view district : kDistricts) {
    if (!names.empty()) names += ", ";
    names += district;
  }
  return names;
}

std::string_view organisation_type_name(OrganisationType type) {
  for (const auto& [value, name] : kTypeNames) {
    if (value == type) return name;
  }
  return "firm";
}

std::optional<OrganisationType> parse_organisation_type(std::string_view name) {
  for (const auto& [value, type_name] : kTypeNames) {
    if (type_name == name) return value;
  }
  return std::nullopt;
}

std::string organisation_type_names() {
  std::string names;
  for (const auto& [value, name] : kTypeNames) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

bool sees_only_own_cases(OrganisationType type) {
  return type == OrganisationType::firm || type == OrganisationType::evaluator ||
         type == OrganisationType::enterprise;
}

CaseScope scope_of(const Organisation& organisation) {
  CaseScope scope;
  if (sees_only_own_cases(organisation.type)) {
    scope.party_org = organisation.id;
    if (!organisation.credit_code.empty()) scope.credit_code = organisation.credit_code;
    return scope;
  }
  if (organisation.district.empty()) return scope;
  scope.district = organisation.district;
  scope.party_org = organisation.id;
  return scope;
}

}  // namespace sitecycle
