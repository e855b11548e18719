#include "adapters/sql_document_table.h"

#include "adapters/sql_dialect.h"

#include "adapters/sql_cells.h"
#include "adapters/sql_statement.h"

#include <fmt/format.h>
#include <soci/soci.h>

#include <string>

namespace sitecycle::sql {

namespace {

constexpr std::string_view kSelect =
    "SELECT id, case_id, kind, title, content_type, size, sha256, uploaded_role, uploaded_org, uploaded_user,"
    " uploaded_at, event_id FROM documents";

struct DocumentRow {
  std::string id;
  std::string case_id;
  std::string kind;
  std::string title;
  std::string content_type;
  long long size = 0;
  std::string sha256;
  std::string role;
  std::string org;
  std::string user;
  std::string uploaded_at;
  long long event_id = 0;
  soci::indicator event_indicator = soci::i_null;
};

void exchange_into_row(soci::statement& statement, DocumentRow& row) {
  exchange_into(statement, row.id, row.case_id, row.kind, row.title, row.content_type, row.size, row.sha256, row.role,
                row.org, row.user, row.uploaded_at);
  statement.exchange(soci::into(row.event_id, row.event_indicator));
}

StoredDocument decode_document(const DocumentRow& row) {
  StoredDocument document;
  document.id = row.id;
  document.case_id = row.case_id;
  document.kind = row.kind;
  document.title = row.title;
  document.content_type = row.content_type;
  document.size = row.size;
  document.sha256 = row.sha256;
  document.uploaded_by = {row.role, row.org, row.user};
  document.uploaded_at = decode_instant(row.uploaded_at, "documents.uploaded_at", row.case_id);
  if (row.event_indicator == soci::i_ok) document.event_id = row.event_id;
  return document;
}

std::vector<StoredDocument> select_documents(soci::session& session, const std::string& where, const std::string& key) {
  DocumentRow row;
  soci::statement select(session);
  exchange_into_row(select, row);
  select.exchange(soci::use(key, "key"));
  prepare_statement(select, std::string(kSelect) + where);
  select.execute();
  std::vector<StoredDocument> documents;
  while (select.fetch()) documents.push_back(decode_document(row));
  return documents;
}

}  // namespace

void insert_document(soci::session& session, const StoredDocument& document) {
  const std::string uploaded_at = format_instant(document.uploaded_at);
  const long long size = document.size;
  session << "INSERT INTO documents (id, case_id, kind, title, content_type, size, sha256, uploaded_role, uploaded_org,"
             " uploaded_user, uploaded_at, event_id) VALUES (:id, :case_id, :kind, :title, :content_type, :size,"
             " :sha256, :role, :org, :user, :uploaded_at, NULL)",
      soci::use(document.id, "id"), soci::use(document.case_id, "case_id"), soci::use(document.kind, "kind"),
      soci::use(document.title, "title"), soci::use(document.content_type, "content_type"), soci::use(size, "size"),
      soci::use(document.sha256, "sha256"), soci::use(document.uploaded_by.role, "role"),
      soci::use(document.uploaded_by.org, "org"), soci::use(document.uploaded_by.user, "user"),
      soci::use(uploaded_at, "uploaded_at");
}

std::optional<StoredDocument> find_document(soci::session& session, std::string_view document_id) {
  std::vector<StoredDocument> found = select_documents(session, " WHERE id = :key", std::string(document_id));
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<StoredDocument> documents_of(soci::session& session, std::string_view case_id) {
  // The upload order column follows insertion, so uploads within one second keep their order.
  return select_documents(session,
                          fmt::format(" WHERE case_id = :key ORDER BY uploaded_at, {}",
                                      document_upload_order(backend_of(session))),
                          std::string(case_id));
}

bool attach_documents(soci::session& session, std::string_view case_id, const std::vector<std::string>& document_ids,
                      std::int64_t event_id) {
  const std::string owner(case_id);
  const long long event = event_id;
  for (const std::string& id : document_ids) {
    soci::statement update =
        (session.prepare << "UPDATE documents SET event_id = :event_id"
                            " WHERE id = :id AND case_id = :case_id AND event_id IS NULL",
         soci::use(event, "event_id"), soci::use(id, "id"), soci::use(owner, "case_id"));
    update.execute(true);
    if (update.get_affected_rows() != 1) return false;
  }
  return true;
}

}  // namespace sitecycle::sql
