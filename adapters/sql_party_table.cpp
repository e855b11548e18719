#include "adapters/sql_party_table.h"

#include "adapters/sql_cells.h"
#include "adapters/sql_statement.h"

#include <soci/soci.h>

#include <string>

namespace sitecycle::sql {

bool insert_case_party(soci::session& session, const CaseParty& party) {
  const std::string granted_at = format_instant(party.granted_at);
  soci::statement insert =
      (session.prepare << "INSERT INTO case_parties (case_id, org_id, granted_by, granted_at)"
                          " VALUES (:case_id, :org_id, :granted_by, :granted_at) ON CONFLICT DO NOTHING",
       soci::use(party.case_id, "case_id"), soci::use(party.org_id, "org_id"),
       soci::use(party.granted_by, "granted_by"), soci::use(granted_at, "granted_at"));
  insert.execute(true);
  return insert.get_affected_rows() > 0;
}

std::vector<CaseParty> parties_of(soci::session& session, std::string_view case_id) {
  const std::string id(case_id);
  std::string org_id;
  std::string granted_by;
  std::string granted_at;
  soci::statement select(session);
  exchange_into(select, org_id, granted_by, granted_at);
  select.exchange(soci::use(id, "case_id"));
  prepare_statement(select,
                    "SELECT org_id, granted_by, granted_at FROM case_parties WHERE case_id = :case_id"
                    " ORDER BY granted_at, org_id");
  select.execute();
  std::vector<CaseParty> parties;
  while (select.fetch()) {
    parties.push_back({id, org_id, granted_by, decode_instant(granted_at, "case_parties.granted_at", id)});
  }
  return parties;
}

}  // namespace sitecycle::sql
