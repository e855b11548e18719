// Statements on the deadlines and outbox tables. Each function runs on a session its caller has
// locked, and throws soci::soci_error on database failures and StoreError on cells that do not
// decode.
#pragma once

#include "engine/case_store.h"

#include <soci/session.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sitecycle::sql {

std::vector<DeadlineRecord> deadlines_of(soci::session& session, std::string_view case_id);
// Returns the id the database assigned, ignoring `record.id`.
std::int64_t insert_deadline(soci::session& session, const DeadlineRecord& record);
bool update_deadline(soci::session& session, const DeadlineRecord& record, std::int64_t expected_version);
std::vector<DeadlineRecord> due_deadlines(soci::session& session, Instant now, std::int64_t limit);
std::vector<DeadlineRecord> provisional_deadlines(soci::session& session);
Page<DeadlineRecord> list_deadlines(soci::session& session, const DeadlineQuery& query);
std::optional<Instant> next_deadline_fire_at(soci::session& session);

std::int64_t insert_outbox(soci::session& session, const OutboxMessage& message);

// Batch forms for the deadline scheduler: each prepares its statements once for the whole batch.
std::vector<std::int64_t> record_deadline_firings(soci::session& session, std::vector<DeadlineFiringWrite>& firings);
bool update_deadline_lifecycles(soci::session& session, const std::vector<DeadlineRecord>& records);
Page<OutboxMessage> outbox(soci::session& session, std::int64_t limit, std::int64_t offset);

}  // namespace sitecycle::sql
