// The JSON form of a stored deadline record, shared by the stores. The store keeps the whole
// record in one JSON cell and copies the fields it filters and orders by into columns.
#pragma once

#include "engine/deadline.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace sitecycle {

nlohmann::json encode_deadline(const DeadlineRecord& record);

// Throws std::invalid_argument naming the field when `json` is not a record encode_deadline wrote.
DeadlineRecord decode_deadline(const nlohmann::json& json);

}  // namespace sitecycle
