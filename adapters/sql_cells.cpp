#include "adapters/sql_cells.h"

#include "engine/result.h"

#include <fmt/format.h>

namespace sitecycle::sql {

std::string encode_json(const nlohmann::json& value, std::string_view column, std::string_view case_id) {
  try {
    return value.dump();
  } catch (const nlohmann::json::exception& error) {
    throw StoreError(fmt::format("cannot store column {} of case '{}': {}", column, case_id, error.what()));
  }
}

nlohmann::json decode_json(const std::string& text, std::string_view column, std::string_view case_id) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    throw StoreError(fmt::format("column {} of case '{}' contains invalid JSON ({}); the database is corrupt",
                                 column, case_id, error.what()));
  }
}

Instant decode_instant(const std::string& text, std::string_view column, std::string_view case_id) {
  if (auto instant = parse_utc_instant(text)) return *instant;
  throw StoreError(
      fmt::format("column {} of case '{}' contains '{}', which is not an ISO 8601 UTC instant; the "
                  "database is corrupt",
                  column, case_id, text));
}

}  // namespace sitecycle::sql
