// The case store's tables, as the migrations that build them.
#pragma once

#include "adapters/schema_migrations.h"

#include <span>

namespace sitecycle::sqlite {

// Every migration this build supports, sorted by version. Append new ones. Never edit a
// released one, because databases that already applied it will not run it again.
std::span<const Migration> case_store_migrations();

}  // namespace sitecycle::sqlite
