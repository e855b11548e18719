// Statements on the events table, a case's append-only history. Each function runs on a session
// its caller has locked, and throws soci::soci_error on database failures and StoreError on cells
// that do not decode.
#pragma once

#include "engine/case_store.h"

#include <soci/session.h>
#include <soci/statement.h>

#include <string>

#include <cstdint>
#include <string_view>

namespace sitecycle::sql {

// An INSERT into events prepared once and run for many events, for writers of large batches.
class EventInsert {
 public:
  explicit EventInsert(soci::session& session);
  // Inserts the event and returns the id the database assigned, ignoring `event.id`. Throws
  // soci::soci_error when the case already has an event for `event.case_version` or the case
  // does not exist.
  std::int64_t run(const StoredEvent& event);

 private:
  long long id_ = 0;
  StoredEvent row_;
  long long case_version_ = 0;
  std::string at_;
  std::string input_;
  std::string effects_;
  soci::statement statement_;
};

// Inserts one event; see EventInsert::run.
std::int64_t append_event(soci::session& session, const StoredEvent& event);

// Returns the case's events ordered by id, with `total` counting all of them. A limit below 1
// returns no items and a negative offset counts as 0.
// Events with an id above `after_id` on cases in `scope`, ordered by id, at most `limit`.
std::vector<StoredEvent> events_after(soci::session& session, std::int64_t after_id, const CaseScope& scope,
                                      std::int64_t limit);

std::int64_t last_event_id(soci::session& session);

Page<StoredEvent> events_of(soci::session& session, std::string_view case_id, std::int64_t limit,
                            std::int64_t offset);

}  // namespace sitecycle::sql
