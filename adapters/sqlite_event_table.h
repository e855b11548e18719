// Statements on the events table, a case's append-only history. Each function runs on a session
// its caller has locked, and throws soci::soci_error on SQLite failures and StoreError on cells
// that do not decode.
#pragma once

#include "engine/case_store.h"

#include <soci/session.h>

#include <cstdint>
#include <string_view>

namespace sitecycle::sqlite {

// Inserts the event and returns the id SQLite assigned, ignoring `event.id`. Throws
// soci::soci_error when the case already has an event for `event.case_version` or the case does
// not exist.
std::int64_t append_event(soci::session& session, const StoredEvent& event);

// Returns the case's events ordered by id, with `total` counting all of them. A limit below 1
// returns no items and a negative offset counts as 0.
Page<StoredEvent> events_of(soci::session& session, std::string_view case_id, std::int64_t limit,
                            std::int64_t offset);

}  // namespace sitecycle::sqlite
