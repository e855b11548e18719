#include "adapters/sqlite_error.h"

#include <fmt/format.h>

namespace sitecycle::sqlite {

void throw_store_error(const OperationContext& context, const soci::soci_error& error) {
  throw_store_error(context, error.get_error_message());
}

void throw_store_error(const OperationContext& context, std::string_view reason) {
  std::string subject(context.operation);
  if (!context.case_id.empty()) subject += fmt::format(" of case '{}'", context.case_id);
  throw StoreError(fmt::format("SQLite store {}: {} failed: {}", context.database, subject, reason));
}

}  // namespace sitecycle::sqlite
