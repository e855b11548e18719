#include "adapters/sql_link_table.h"

#include "adapters/sql_cells.h"

#include <soci/soci.h>

#include <string>

namespace sitecycle::sql {

void insert_link(soci::session& session, const CaseLink& link) {
  const std::string created_at = format_instant(link.created_at);
  session << "INSERT INTO case_links (case_id, role, linked_case_id, created_at)"
             " VALUES (:case_id, :role, :linked_case_id, :created_at)",
      soci::use(link.case_id, "case_id"), soci::use(link.role, "role"),
      soci::use(link.linked_case_id, "linked_case_id"), soci::use(created_at, "created_at");
}

std::vector<CaseLink> links_of(soci::session& session, std::string_view case_id) {
  const std::string id(case_id);
  std::string role;
  std::string linked_case_id;
  std::string created_at;
  soci::statement select =
      (session.prepare << "SELECT role, linked_case_id, created_at FROM case_links WHERE case_id = :case_id"
                          " ORDER BY sequence",
       soci::into(role), soci::into(linked_case_id), soci::into(created_at), soci::use(id, "case_id"));

  std::vector<CaseLink> links;
  select.execute();
  while (select.fetch()) {
    links.push_back(
        CaseLink{id, role, linked_case_id, decode_instant(created_at, "case_links.created_at", id)});
  }
  return links;
}

}  // namespace sitecycle::sql
