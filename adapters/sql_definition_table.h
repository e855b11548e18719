// Statements on the workflow_definitions table. Each function runs on a session its caller has
// locked, and throws soci::soci_error on database failures.
#pragma once

#include "engine/case_store.h"

#include <soci/session.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle::sql {

// The sha256 stored for (workflow_id, version), if that definition is stored.
std::optional<std::string> definition_sha256(soci::session& session, std::string_view workflow_id,
                                             int version);

// Returns false, writing nothing, when (workflow_id, version) is already stored, also when
// another node stored it since this transaction last looked.
bool insert_definition(soci::session& session, const StoredDefinition& definition);

// Every stored definition, ordered by workflow id, then version.
std::vector<StoredDefinition> definitions(soci::session& session);

}  // namespace sitecycle::sql
