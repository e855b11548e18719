// Running a statement built piece by piece, for queries whose parameters depend on the input.
#pragma once

#include <soci/into.h>
#include <soci/statement.h>

#include <string>

namespace sitecycle::sql {

// Binds `columns` to the statement's result columns, in order.
template <class... Columns>
void exchange_into(soci::statement& statement, Columns&... columns) {
  (statement.exchange(soci::into(columns)), ...);
}

// Prepares `statement` for `sql` once its into and use elements are exchanged. Throws
// soci::soci_error.
inline void prepare_statement(soci::statement& statement, const std::string& sql) {
  statement.alloc();
  statement.prepare(sql);
  statement.define_and_bind();
}

}  // namespace sitecycle::sql
