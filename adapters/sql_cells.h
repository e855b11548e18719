// Encoding and decoding of the values the case store keeps as text cells: JSON documents and
// instants. A cell that does not decode means a corrupt or hand-edited database.
#pragma once

#include "engine/instant.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace sitecycle::sql {

// Serialises `value` with nlohmann::json::dump(). Throws StoreError naming `column` and
// `case_id` when the value contains a string that is not valid UTF-8.
std::string encode_json(const nlohmann::json& value, std::string_view column, std::string_view case_id);

// Throws StoreError naming `column` and `case_id` when `text` is not JSON.
nlohmann::json decode_json(const std::string& text, std::string_view column, std::string_view case_id);

// Throws StoreError naming `column` and `case_id` when `text` is not an instant with a UTC
// offset.
Instant decode_instant(const std::string& text, std::string_view column, std::string_view case_id);

}  // namespace sitecycle::sql
