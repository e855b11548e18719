#include "adapters/sql_dialect.h"

#include <fmt/format.h>

namespace sitecycle::sql {

Backend backend_of(soci::session& session) {
  return session.get_backend_name() == "postgresql" ? Backend::postgresql : Backend::sqlite;
}

std::string json_text_field(Backend backend, std::string_view column, std::string_view field) {
  if (backend == Backend::sqlite) return fmt::format("json_extract({}, '$.{}')", column, field);
  return fmt::format("(CAST({} AS jsonb) ->> '{}')", column, field);
}

std::string json_has_text_value(Backend backend, std::string_view column, std::string_view parameter) {
  if (backend == Backend::sqlite) {
    return fmt::format("EXISTS (SELECT 1 FROM json_each({}) AS value WHERE value.type = 'text' AND value.atom = :{})",
                       column, parameter);
  }
  return fmt::format(
      "EXISTS (SELECT 1 FROM jsonb_each(CAST({} AS jsonb)) AS value WHERE jsonb_typeof(value.value) = 'string'"
      " AND value.value #>> '{{}}' = :{})",
      column, parameter);
}

std::string json_text_value_like(Backend backend, std::string_view column, std::string_view parameter) {
  if (backend == Backend::sqlite) {
    return fmt::format(
        "EXISTS (SELECT 1 FROM json_each({}) AS value WHERE value.type = 'text'"
        " AND LOWER(value.atom) LIKE :{} ESCAPE '\\')",
        column, parameter);
  }
  return fmt::format(
      "EXISTS (SELECT 1 FROM jsonb_each(CAST({} AS jsonb)) AS value WHERE jsonb_typeof(value.value) = 'string'"
      " AND LOWER(value.value #>> '{{}}') LIKE :{} ESCAPE '\\')",
      column, parameter);
}

std::string_view document_upload_order(Backend backend) {
  return backend == Backend::sqlite ? "rowid" : "upload_sequence";
}

std::string_view claim_rows(Backend backend) {
  return backend == Backend::sqlite ? "" : " FOR UPDATE SKIP LOCKED";
}

std::string_view lock_rows(Backend backend) { return backend == Backend::sqlite ? "" : " FOR UPDATE"; }

}  // namespace sitecycle::sql
