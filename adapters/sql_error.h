// The edge where SOCI failures become StoreError, so that no soci type leaves adapters/.
#pragma once

#include "engine/result.h"

#include <soci/error.h>

#include <string>
#include <string_view>
#include <utility>

namespace sitecycle::sql {

// The operation during which a statement failed. Every part appears in the error message.
struct OperationContext {
  std::string_view database;      // Database::label(): "SQLite store PATH", "PostgreSQL store ..."
  std::string_view operation;     // "update case", "list cases"
  std::string_view case_id = {};  // empty when the operation addresses no single case
};

// Throws StoreError: "<database>: <operation> [of case '<id>'] failed: <reason>".
// The reason is the database's message without SOCI's statement context, because that context lists
// the bound values, and those include case data.
[[noreturn]] void throw_store_error(const OperationContext& context, const soci::soci_error& error);
[[noreturn]] void throw_store_error(const OperationContext& context, std::string_view reason);

// `text` on one line: libpq's messages span several, and a log record keeps to one.
std::string single_line(std::string_view text);

// Runs `body` and rethrows any SOCI failure as StoreError. Other exceptions pass unchanged.
template <class Body>
decltype(auto) translate_soci_errors(const OperationContext& context, Body&& body) {
  try {
    return std::forward<Body>(body)();
  } catch (const soci::soci_error& error) {
    throw_store_error(context, error);
  }
}

}  // namespace sitecycle::sql
