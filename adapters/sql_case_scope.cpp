#include "adapters/sql_case_scope.h"

#include "adapters/sql_dialect.h"

#include <fmt/format.h>
#include <soci/soci.h>

#include <vector>

namespace sitecycle::sql {

// Each parameter is named once per use: SOCI binds a name to a single position.
std::string case_scope_condition(Backend backend, const CaseScope& scope, std::string_view case_id_column) {
  std::vector<std::string> conditions;
  if (scope.district) {
    conditions.push_back(fmt::format(
        "EXISTS (SELECT 1 FROM cases scoped WHERE scoped.id = {} AND {} = :scope_district)", case_id_column,
        json_text_field(backend, "scoped.data", "district")));
  }
  if (scope.party_org) {
    conditions.push_back(fmt::format(
        "EXISTS (SELECT 1 FROM events acted WHERE acted.case_id = {} AND acted.actor_org = :scope_actor_org)",
        case_id_column));
    conditions.push_back(fmt::format(
        "EXISTS (SELECT 1 FROM case_parties granted WHERE granted.case_id = {} AND granted.org_id = :scope_party_org)",
        case_id_column));
  }
  if (scope.credit_code) {
    conditions.push_back(fmt::format(
        "EXISTS (SELECT 1 FROM cases coded WHERE coded.id = {} AND {})", case_id_column,
        json_has_text_value(backend, "coded.data", "scope_credit_code")));
  }
  if (conditions.empty()) return "";
  return fmt::format("({})", fmt::join(conditions, " OR "));
}

void bind_case_scope(soci::statement& statement, const CaseScope& scope) {
  if (scope.district) statement.exchange(soci::use(*scope.district, "scope_district"));
  if (scope.party_org) {
    statement.exchange(soci::use(*scope.party_org, "scope_actor_org"));
    statement.exchange(soci::use(*scope.party_org, "scope_party_org"));
  }
  if (scope.credit_code) statement.exchange(soci::use(*scope.credit_code, "scope_credit_code"));
}

}  // namespace sitecycle::sql
