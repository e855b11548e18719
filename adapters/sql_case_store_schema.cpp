#include "adapters/sql_case_store_schema.h"

// The SQLite list of migrations. postgresql_case_store_schema.cpp has the PostgreSQL one.

namespace sitecycle::sql {

namespace {

// Instants are ISO 8601 UTC text of fixed width ("2026-03-16T01:30:00Z"), so text order is time
// order. JSON columns hold nlohmann::json::dump() output.
constexpr std::string_view kCreateCaseTables[] = {
    "CREATE TABLE cases ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " workflow_id TEXT NOT NULL,"
    " workflow_version INTEGER NOT NULL,"
    " state TEXT NOT NULL,"
    " data TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " closed INTEGER NOT NULL CHECK (closed IN (0, 1)),"
    " created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL)",
    "CREATE INDEX cases_by_workflow_state ON cases (workflow_id, state)",
    // list_cases orders by (created_at, id).
    "CREATE INDEX cases_by_created_at ON cases (created_at, id)",

    // AUTOINCREMENT keeps event ids increasing across the whole store and never reuses one.
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " case_id TEXT NOT NULL REFERENCES cases (id),"
    " case_version INTEGER NOT NULL,"
    " kind TEXT NOT NULL,"
    " transition TEXT NOT NULL,"
    " from_state TEXT NOT NULL,"
    " to_state TEXT NOT NULL,"
    " actor_role TEXT NOT NULL,"
    " actor_org TEXT NOT NULL,"
    " actor_user TEXT NOT NULL,"
    " at TEXT NOT NULL,"
    " input TEXT NOT NULL,"
    " comment TEXT NOT NULL,"
    " effects TEXT NOT NULL,"
    " UNIQUE (case_id, case_version))",
    // The history is an audit record, so these triggers reject every UPDATE and DELETE.
    "CREATE TRIGGER events_reject_update BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only; UPDATE is not allowed'); END",
    "CREATE TRIGGER events_reject_delete BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only; DELETE is not allowed'); END",

    // `sequence` orders a case's links by insertion, so the last link per role is the most
    // recent one even when several share a created_at second.
    "CREATE TABLE case_links ("
    " sequence INTEGER PRIMARY KEY AUTOINCREMENT,"
    " case_id TEXT NOT NULL REFERENCES cases (id),"
    " role TEXT NOT NULL,"
    " linked_case_id TEXT NOT NULL REFERENCES cases (id),"
    " created_at TEXT NOT NULL,"
    " UNIQUE (case_id, role, linked_case_id))",

    "CREATE TABLE case_counters ("
    " workflow_id TEXT PRIMARY KEY NOT NULL,"
    " next_number INTEGER NOT NULL)",

    "CREATE TABLE workflow_definitions ("
    " workflow_id TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " source_file TEXT NOT NULL,"
    " yaml_text TEXT NOT NULL,"
    " PRIMARY KEY (workflow_id, version))",
};

// A deadline keeps its whole record as JSON in `record`; the other columns copy what lists
// filter and order by. The scheduler finds due rows through the partial index on next_fire_at,
// so waking up costs one index probe, not a scan of all cases.
constexpr std::string_view kCreateDeadlineTables[] = {
    "CREATE TABLE deadlines ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " case_id TEXT NOT NULL REFERENCES cases (id),"
    " rule_id TEXT NOT NULL,"
    " cycle INTEGER NOT NULL,"
    " agency_id TEXT NOT NULL,"
    " responsible TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " due_at TEXT NOT NULL,"
    " next_fire_at TEXT,"
    " provisional INTEGER NOT NULL CHECK (provisional IN (0, 1)),"
    " version INTEGER NOT NULL,"
    " record TEXT NOT NULL,"
    " UNIQUE (case_id, rule_id, cycle))",
    "CREATE INDEX deadlines_by_next_fire_at ON deadlines (next_fire_at) WHERE next_fire_at IS NOT NULL",
    "CREATE INDEX deadlines_by_status_due ON deadlines (status, due_at, id)",
    "CREATE INDEX deadlines_by_due ON deadlines (due_at, id)",
    "CREATE INDEX deadlines_provisional ON deadlines (provisional) WHERE provisional = 1",

    // Notifications for deadline events, written in the transaction of their event.
    "CREATE TABLE outbox ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " event_id INTEGER NOT NULL REFERENCES events (id),"
    " case_id TEXT NOT NULL REFERENCES cases (id),"
    " deadline_id INTEGER NOT NULL REFERENCES deadlines (id),"
    " kind TEXT NOT NULL,"
    " recipients TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " delivered_at TEXT)",
};

// The lifecycle fields the scheduler changes on every firing get columns of their own, so a
// firing rewrites a few cells instead of the whole record. Where a column is set it takes
// precedence over the record's copy; rows written before this migration have '' or -1.
constexpr std::string_view kAddDeadlineLifecycleColumns[] = {
    "ALTER TABLE deadlines ADD COLUMN progress TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE deadlines ADD COLUMN paused INTEGER NOT NULL DEFAULT -1",
    "ALTER TABLE deadlines ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT -1",
    "ALTER TABLE deadlines ADD COLUMN updated_at TEXT NOT NULL DEFAULT ''",
};

// Organisations, users and API tokens; failed sign-ins, for lock-out; the audit trail of
// failed sign-ins and denied actions; and grants of case access to organisations.
constexpr std::string_view kCreateIdentityTables[] = {
    "CREATE TABLE organisations ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " type TEXT NOT NULL,"
    " district TEXT NOT NULL,"
    " name_zh_cn TEXT NOT NULL,"
    " name_en TEXT NOT NULL,"
    " credit_code TEXT NOT NULL,"
    " created_at TEXT NOT NULL)",
    "CREATE TABLE users ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " org_id TEXT NOT NULL REFERENCES organisations (id),"
    " role TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),"
    " created_at TEXT NOT NULL)",
    "CREATE TABLE api_tokens ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " user_id TEXT NOT NULL REFERENCES users (id),"
    " secret_hash TEXT NOT NULL,"
    " label TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " expires_at TEXT,"
    " revoked_at TEXT)",
    "CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at, id)",
    "CREATE TABLE auth_failures ("
    " subject TEXT NOT NULL,"
    " at TEXT NOT NULL)",
    "CREATE INDEX auth_failures_by_subject ON auth_failures (subject, at)",
    "CREATE TABLE audit_records ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " at TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " user_id TEXT NOT NULL,"
    " org_id TEXT NOT NULL,"
    " remote_address TEXT NOT NULL,"
    " method TEXT NOT NULL,"
    " path TEXT NOT NULL,"
    " detail TEXT NOT NULL)",
    "CREATE TRIGGER audit_records_reject_update BEFORE UPDATE ON audit_records"
    " BEGIN SELECT RAISE(ABORT, 'audit records are append-only; UPDATE is not allowed'); END",
    "CREATE TRIGGER audit_records_reject_delete BEFORE DELETE ON audit_records"
    " BEGIN SELECT RAISE(ABORT, 'audit records are append-only; DELETE is not allowed'); END",
    "CREATE TABLE case_parties ("
    " case_id TEXT NOT NULL REFERENCES cases (id),"
    " org_id TEXT NOT NULL,"
    " granted_by TEXT NOT NULL,"
    " granted_at TEXT NOT NULL,"
    " PRIMARY KEY (case_id, org_id))",
    // Row-level access looks up whether an organisation acted on a case.
    "CREATE INDEX events_by_actor_org ON events (actor_org, case_id)",
};

// Metadata of uploaded documents (the content is stored by SHA-256 outside the database), and
// the responses kept for Idempotency-Key retries.
constexpr std::string_view kCreateDocumentTables[] = {
    "CREATE TABLE documents ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " case_id TEXT NOT NULL REFERENCES cases (id),"
    " kind TEXT NOT NULL,"
    " title TEXT NOT NULL,"
    " content_type TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " uploaded_role TEXT NOT NULL,"
    " uploaded_org TEXT NOT NULL,"
    " uploaded_user TEXT NOT NULL,"
    " uploaded_at TEXT NOT NULL,"
    " event_id INTEGER REFERENCES events (id))",
    "CREATE INDEX documents_by_case ON documents (case_id, uploaded_at, id)",
    "CREATE TABLE idempotency_keys ("
    " user_id TEXT NOT NULL,"
    " key TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL,"
    " completed INTEGER NOT NULL CHECK (completed IN (0, 1)),"
    " status INTEGER NOT NULL,"
    " headers TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " PRIMARY KEY (user_id, key))",
    "CREATE INDEX idempotency_keys_by_created_at ON idempotency_keys (created_at)",
};

// Webhook subscriptions of organisations, with their place in the event log, and every attempt
// to deliver an event.
constexpr std::string_view kCreateWebhookTables[] = {
    "CREATE TABLE webhook_subscriptions ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " org_id TEXT NOT NULL,"
    " url TEXT NOT NULL,"
    " secret TEXT NOT NULL,"
    " created_by TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " active INTEGER NOT NULL CHECK (active IN (0, 1)),"
    " delivered_through INTEGER NOT NULL,"
    " attempts INTEGER NOT NULL,"
    " next_attempt_at TEXT)",
    "CREATE INDEX webhook_subscriptions_by_org ON webhook_subscriptions (org_id, created_at, id)",
    "CREATE TABLE webhook_deliveries ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),"
    " event_id INTEGER NOT NULL,"
    " attempt INTEGER NOT NULL,"
    " at TEXT NOT NULL,"
    " status INTEGER NOT NULL,"
    " outcome TEXT NOT NULL,"
    " error TEXT NOT NULL)",
    "CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, id)",
};

// A node delivering a subscription's events takes its lease, so that two nodes never deliver one
// subscription at the same time. A lease that ran out (its node stopped) may be taken over.
constexpr std::string_view kAddWebhookLeases[] = {
    "ALTER TABLE webhook_subscriptions ADD COLUMN lease_holder TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE webhook_subscriptions ADD COLUMN lease_until TEXT",
};

constexpr Migration kMigrations[] = {
    {1, "create case tables", kCreateCaseTables},
    {2, "create deadline and outbox tables", kCreateDeadlineTables},
    {3, "add deadline lifecycle columns", kAddDeadlineLifecycleColumns},
    {4, "create identity and access tables", kCreateIdentityTables},
    {5, "create document and idempotency tables", kCreateDocumentTables},
    {6, "create webhook tables", kCreateWebhookTables},
    {7, "add webhook delivery leases", kAddWebhookLeases},
};

}  // namespace

std::span<const Migration> case_store_migrations(Backend backend) {
  if (backend == Backend::postgresql) return postgresql_case_store_migrations();
  return kMigrations;
}

}  // namespace sitecycle::sql
