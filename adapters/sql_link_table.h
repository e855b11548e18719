// Statements on the case_links table. Each function runs on a session its caller has locked,
// and throws soci::soci_error on database failures and StoreError on cells that do not decode.
#pragma once

#include "engine/case_store.h"

#include <soci/session.h>

#include <string_view>
#include <vector>

namespace sitecycle::sql {

// Inserts the one directed row given. The caller inserts the reverse row under its own role.
// Throws soci::soci_error when the same (case, role, linked case) row exists or either case
// does not.
void insert_link(soci::session& session, const CaseLink& link);

// Returns the links from `case_id`, oldest first by insertion order, so the last one of a role
// is the most recent.
std::vector<CaseLink> links_of(soci::session& session, std::string_view case_id);

}  // namespace sitecycle::sql
