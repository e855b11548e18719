// Statements on the case_parties table: organisations granted access to a case. Each function
// runs on a session its caller has locked and throws soci::soci_error on database failures.
#pragma once

#include "engine/case_store.h"

#include <soci/session.h>

#include <string_view>
#include <vector>

namespace sitecycle::sql {

// Returns false when the organisation already has a grant for the case.
bool insert_case_party(soci::session& session, const CaseParty& party);

std::vector<CaseParty> parties_of(soci::session& session, std::string_view case_id);

}  // namespace sitecycle::sql
