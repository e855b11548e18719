#include "adapters/sql_error.h"

#include <fmt/format.h>

namespace sitecycle::sql {

void throw_store_error(const OperationContext& context, const soci::soci_error& error) {
  throw_store_error(context, error.get_error_message());
}

std::string single_line(std::string_view text) {
  std::string line(text);
  for (char& character : line) {
    if (character == '\n' || character == '\t') character = ' ';
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

void throw_store_error(const OperationContext& context, std::string_view reason) {
  std::string subject(context.operation);
  if (!context.case_id.empty()) subject += fmt::format(" of case '{}'", context.case_id);
  throw StoreError(fmt::format("{}: {} failed: {}", context.database, subject, single_line(reason)));
}

}  // namespace sitecycle::sql
