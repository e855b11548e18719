// The agency catalog (workflows/agencies.yaml): each agency's kind, jurisdiction, working-day
// calendar, time zone and overrides of named deadline parameters. Parsing only: reading the file
// and checking calendars and time zones against what is installed is done by
// adapters/agency_files.h.
#pragma once

#include "diagnostic.h"
#include "localized_text.h"
#include "position.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

// Agency kinds: ecology and environment bureau, planning and natural resources bureau, land
// reserve centre.
inline constexpr std::array<std::string_view, 3> kAgencyKinds{"eeb", "pnrb", "land_reserve"};
inline constexpr std::array<std::string_view, 2> kAgencyLevels{"city", "district"};
// The 16 Shanghai districts, in the order and spelling of the `district` enum of
// workflows/investigation.yaml (a test keeps the two equal).
inline constexpr std::array<std::string_view, 16> kShanghaiDistricts{
    "huangpu", "xuhui",   "changning", "jingan",  "putuo",     "hongkou", "yangpu",   "minhang",
    "baoshan", "jiading", "pudong",    "jinshan", "songjiang", "qingpu",  "fengxian", "chongming"};
// How a parameter override's value is backed, from a published rule (verified) to a local choice
// (setting).
inline constexpr std::array<std::string_view, 5> kSourceStatuses{"verified", "unverified", "not_found", "analogue",
                                                                 "setting"};

// An agency's value for a named deadline parameter or workflow setting, with the source that
// publishes it.
struct ParameterOverride {
  nlohmann::json value;  // an integer >= 0 (in the parameter's unit, such as working days) or a boolean
  std::string source;
  std::string source_status;  // one of kSourceStatuses
  Position position;          // of the parameter's name
};

struct Agency {
  std::string id;
  LocalizedText title;
  std::string kind;                     // one of kAgencyKinds
  std::string level;                    // one of kAgencyLevels
  std::optional<std::string> district;  // set exactly when level is "district"
  std::string calendar;                 // a calendar id, such as CN
  std::string time_zone;                // an IANA name of the form Area/Location
  std::map<std::string, ParameterOverride, std::less<>> parameters;
  Position position;  // of the agency's id
  Position calendar_position;
  Position time_zone_position;
};

// The agency whose calendar, time zone and parameter overrides apply to a case's clock or
// setting: a fixed agency, or the agency of `kind` in the district named by a case field (the
// city agency of that kind when the field is empty). With neither, the catalog's default agency
// applies.
struct AgencySelector {
  std::optional<std::string> agency_id;
  std::optional<std::string> kind;
  std::optional<std::string> district_field;

  bool empty() const { return !agency_id && !kind; }
};

// The agencies of one catalog file. Immutable after construction, so one catalog may be shared
// between threads. Pointers and references it returns live as long as the catalog.
class AgencyCatalog {
 public:
  // Takes `agencies` in file order. Throws std::invalid_argument when two agencies share an id or
  // `default_agency_id` names none of them. parse_agencies never builds such a catalog.
  AgencyCatalog(std::vector<Agency> agencies, std::string_view default_agency_id);

  // The agency with `id`, or nullptr.
  const Agency* find(std::string_view id) const;
  // The district agency of `kind` for `district`, else the city agency of `kind`. Returns nullptr
  // when neither exists.
  const Agency* find_for(std::string_view kind, std::optional<std::string_view> district) const;
  const Agency& default_agency() const { return agencies_[default_index_]; }
  // The agency `selector` picks for a case with `case_data`; the default agency when it picks
  // none.
  const Agency& select(const AgencySelector& selector, const nlohmann::json& case_data) const;
  // In file order.
  const std::vector<Agency>& agencies() const { return agencies_; }
  // The agency's override of a parameter, or nullptr (also for an unknown agency).
  const ParameterOverride* parameter(std::string_view agency_id, std::string_view name) const;

 private:
  std::vector<Agency> agencies_;
  std::map<std::string, std::size_t, std::less<>> index_by_id_;
  std::size_t default_index_ = 0;
};

// Parses an agency catalog:
//   default_agency: city_eeb
//   agencies:
//     pudong_eeb:
//       title: {zh-CN: 上海市浦东新区生态环境局, en: Pudong New Area Ecology and Environment Bureau}
//       kind: eeb                  # eeb | pnrb | land_reserve
//       level: district            # city | district
//       district: pudong           # required for level district, not allowed for level city
//       calendar: CN
//       time_zone: Asia/Shanghai
//       parameters:                # optional
//         review_sla_wd: {value: 15, source: ..., source_status: verified}
// Every problem is appended to `diagnostics` with file:line:column in zh-CN and en; the catalog
// is returned only when there were none. Checked: unknown and missing keys, snake_case agency and
// parameter ids, bilingual titles, kind, level, district and source_status among their values,
// at most one agency of a kind per district and one per kind at city level, default_agency
// naming an agency, calendar ids, time zones of the form Area/Location, and override values that
// are integers >= 0 with a non-empty source. Whether the calendar and the time zone exist is not
// checked here.
std::optional<AgencyCatalog> parse_agencies(std::string_view yaml_text, const std::string& file_name,
                                            Diagnostics& diagnostics);

}  // namespace sitecycle
