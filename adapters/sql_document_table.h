// Statements on the documents table: metadata of uploaded files. Each function runs on a session
// its caller has locked and throws soci::soci_error on database failures and StoreError on cells
// that do not decode.
#pragma once

#include "engine/case_store.h"

#include <soci/session.h>

#include <optional>
#include <string_view>
#include <vector>

namespace sitecycle::sql {

void insert_document(soci::session& session, const StoredDocument& document);

std::optional<StoredDocument> find_document(soci::session& session, std::string_view document_id);

std::vector<StoredDocument> documents_of(soci::session& session, std::string_view case_id);

// Sets event_id on each document of `case_id` not handed in yet. Returns false when one of them
// is missing, belongs to another case or was handed in before.
bool attach_documents(soci::session& session, std::string_view case_id, const std::vector<std::string>& document_ids,
                      std::int64_t event_id);

}  // namespace sitecycle::sql
