// The PostgreSQL list of migrations: the tables of sql_case_store_schema.cpp in PostgreSQL's
// types. Every text column sorts by byte (COLLATE "C"), as SQLite's do, whatever the database's
// locale, so lists come out in the same order on both backends. Ids that SQLite assigns with
// AUTOINCREMENT come from a sequence (BIGSERIAL), and the append-only guards are triggers on one
// function.
#include "adapters/sql_case_store_schema.h"

namespace sitecycle::sql {

namespace {

constexpr std::string_view kCreateCaseTables[] = {
    "CREATE TABLE cases ("
    " id TEXT COLLATE \"C\" PRIMARY KEY NOT NULL,"
    " workflow_id TEXT COLLATE \"C\" NOT NULL,"
    " workflow_version INTEGER NOT NULL,"
    " state TEXT COLLATE \"C\" NOT NULL,"
    " data TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " closed INTEGER NOT NULL CHECK (closed IN (0, 1)),"
    " created_at TEXT COLLATE \"C\" NOT NULL,"
    " updated_at TEXT COLLATE \"C\" NOT NULL)",
    "CREATE INDEX cases_by_workflow_state ON cases (workflow_id, state)",
    "CREATE INDEX cases_by_created_at ON cases (created_at, id)",

    "CREATE TABLE events ("
    " id BIGSERIAL PRIMARY KEY,"
    " case_id TEXT COLLATE \"C\" NOT NULL REFERENCES cases (id),"
    " case_version BIGINT NOT NULL,"
    " kind TEXT COLLATE \"C\" NOT NULL,"
    " transition TEXT COLLATE \"C\" NOT NULL,"
    " from_state TEXT COLLATE \"C\" NOT NULL,"
    " to_state TEXT COLLATE \"C\" NOT NULL,"
    " actor_role TEXT COLLATE \"C\" NOT NULL,"
    " actor_org TEXT COLLATE \"C\" NOT NULL,"
    " actor_user TEXT COLLATE \"C\" NOT NULL,"
    " at TEXT COLLATE \"C\" NOT NULL,"
    " input TEXT NOT NULL,"
    " comment TEXT NOT NULL,"
    " effects TEXT NOT NULL,"
    " UNIQUE (case_id, case_version))",
    // One guard for every append-only table; its argument names the rows in the message.
    "CREATE FUNCTION sitecycle_reject_change() RETURNS trigger LANGUAGE plpgsql AS"
    " $guard$ BEGIN RAISE EXCEPTION '% are append-only; % is not allowed', TG_ARGV[0], TG_OP; END $guard$",
    "CREATE TRIGGER events_reject_update BEFORE UPDATE ON events"
    " FOR EACH ROW EXECUTE FUNCTION sitecycle_reject_change('events')",
    "CREATE TRIGGER events_reject_delete BEFORE DELETE ON events"
    " FOR EACH ROW EXECUTE FUNCTION sitecycle_reject_change('events')",
    "CREATE TRIGGER events_reject_truncate BEFORE TRUNCATE ON events"
    " FOR EACH STATEMENT EXECUTE FUNCTION sitecycle_reject_change('events')",

    "CREATE TABLE case_links ("
    " sequence BIGSERIAL PRIMARY KEY,"
    " case_id TEXT COLLATE \"C\" NOT NULL REFERENCES cases (id),"
    " role TEXT COLLATE \"C\" NOT NULL,"
    " linked_case_id TEXT COLLATE \"C\" NOT NULL REFERENCES cases (id),"
    " created_at TEXT COLLATE \"C\" NOT NULL,"
    " UNIQUE (case_id, role, linked_case_id))",

    "CREATE TABLE case_counters ("
    " workflow_id TEXT COLLATE \"C\" PRIMARY KEY NOT NULL,"
    " next_number BIGINT NOT NULL)",

    "CREATE TABLE workflow_definitions ("
    " workflow_id TEXT COLLATE \"C\" NOT NULL,"
    " version INTEGER NOT NULL,"
    " sha256 TEXT COLLATE \"C\" NOT NULL,"
    " source_file TEXT NOT NULL,"
    " yaml_text TEXT NOT NULL,"
    " PRIMARY KEY (workflow_id, version))",
};

constexpr std::string_view kCreateDeadlineTables[] = {
    "CREATE TABLE deadlines ("
    " id BIGSERIAL PRIMARY KEY,"
    " case_id TEXT COLLATE \"C\" NOT NULL REFERENCES cases (id),"
    " rule_id TEXT COLLATE \"C\" NOT NULL,"
    " cycle INTEGER NOT NULL,"
    " agency_id TEXT COLLATE \"C\" NOT NULL,"
    " responsible TEXT COLLATE \"C\" NOT NULL,"
    " status TEXT COLLATE \"C\" NOT NULL,"
    " due_at TEXT COLLATE \"C\" NOT NULL,"
    " next_fire_at TEXT COLLATE \"C\","
    " provisional INTEGER NOT NULL CHECK (provisional IN (0, 1)),"
    " version BIGINT NOT NULL,"
    " record TEXT NOT NULL,"
    " UNIQUE (case_id, rule_id, cycle))",
    "CREATE INDEX deadlines_by_next_fire_at ON deadlines (next_fire_at) WHERE next_fire_at IS NOT NULL",
    "CREATE INDEX deadlines_by_status_due ON deadlines (status, due_at, id)",
    "CREATE INDEX deadlines_by_due ON deadlines (due_at, id)",
    "CREATE INDEX deadlines_provisional ON deadlines (provisional) WHERE provisional = 1",

    "CREATE TABLE outbox ("
    " id BIGSERIAL PRIMARY KEY,"
    " event_id BIGINT NOT NULL REFERENCES events (id),"
    " case_id TEXT COLLATE \"C\" NOT NULL REFERENCES cases (id),"
    " deadline_id BIGINT NOT NULL REFERENCES deadlines (id),"
    " kind TEXT COLLATE \"C\" NOT NULL,"
    " recipients TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " created_at TEXT COLLATE \"C\" NOT NULL,"
    " delivered_at TEXT COLLATE \"C\")",
};

constexpr std::string_view kAddDeadlineLifecycleColumns[] = {
    "ALTER TABLE deadlines ADD COLUMN progress TEXT COLLATE \"C\" NOT NULL DEFAULT ''",
    "ALTER TABLE deadlines ADD COLUMN paused INTEGER NOT NULL DEFAULT -1",
    "ALTER TABLE deadlines ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT -1",
    "ALTER TABLE deadlines ADD COLUMN updated_at TEXT COLLATE \"C\" NOT NULL DEFAULT ''",
};

constexpr std::string_view kCreateIdentityTables[] = {
    "CREATE TABLE organisations ("
    " id TEXT COLLATE \"C\" PRIMARY KEY NOT NULL,"
    " type TEXT COLLATE \"C\" NOT NULL,"
    " district TEXT COLLATE \"C\" NOT NULL,"
    " name_zh_cn TEXT NOT NULL,"
    " name_en TEXT NOT NULL,"
    " credit_code TEXT COLLATE \"C\" NOT NULL,"
    " created_at TEXT COLLATE \"C\" NOT NULL)",
    "CREATE TABLE users ("
    " id TEXT COLLATE \"C\" PRIMARY KEY NOT NULL,"
    " org_id TEXT COLLATE \"C\" NOT NULL REFERENCES organisations (id),"
    " role TEXT COLLATE \"C\" NOT NULL,"
    " name TEXT NOT NULL,"
    " disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),"
    " created_at TEXT COLLATE \"C\" NOT NULL)",
    "CREATE TABLE api_tokens ("
    " id TEXT COLLATE \"C\" PRIMARY KEY NOT NULL,"
    " user_id TEXT COLLATE \"C\" NOT NULL REFERENCES users (id),"
    " secret_hash TEXT COLLATE \"C\" NOT NULL,"
    " label TEXT NOT NULL,"
    " created_at TEXT COLLATE \"C\" NOT NULL,"
    " expires_at TEXT COLLATE \"C\","
    " revoked_at TEXT COLLATE \"C\")",
    "CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at, id)",
    "CREATE TABLE auth_failures ("
    " subject TEXT COLLATE \"C\" NOT NULL,"
    " at TEXT COLLATE \"C\" NOT NULL)",
    "CREATE INDEX auth_failures_by_subject ON auth_failures (subject, at)",
    "CREATE TABLE audit_records ("
    " id BIGSERIAL PRIMARY KEY,"
    " at TEXT COLLATE \"C\" NOT NULL,"
    " kind TEXT COLLATE \"C\" NOT NULL,"
    " user_id TEXT COLLATE \"C\" NOT NULL,"
    " org_id TEXT COLLATE \"C\" NOT NULL,"
    " remote_address TEXT NOT NULL,"
    " method TEXT NOT NULL,"
    " path TEXT NOT NULL,"
    " detail TEXT NOT NULL)",
    "CREATE TRIGGER audit_records_reject_update BEFORE UPDATE ON audit_records"
    " FOR EACH ROW EXECUTE FUNCTION sitecycle_reject_change('audit records')",
    "CREATE TRIGGER audit_records_reject_delete BEFORE DELETE ON audit_records"
    " FOR EACH ROW EXECUTE FUNCTION sitecycle_reject_change('audit records')",
    "CREATE TRIGGER audit_records_reject_truncate BEFORE TRUNCATE ON audit_records"
    " FOR EACH STATEMENT EXECUTE FUNCTION sitecycle_reject_change('audit records')",
    "CREATE TABLE case_parties ("
    " case_id TEXT COLLATE \"C\" NOT NULL REFERENCES cases (id),"
    " org_id TEXT COLLATE \"C\" NOT NULL,"
    " granted_by TEXT COLLATE \"C\" NOT NULL,"
    " granted_at TEXT COLLATE \"C\" NOT NULL,"
    " PRIMARY KEY (case_id, org_id))",
    "CREATE INDEX events_by_actor_org ON events (actor_org, case_id)",
};

// upload_sequence orders uploads within one second, as rowid does on SQLite.
constexpr std::string_view kCreateDocumentTables[] = {
    "CREATE TABLE documents ("
    " id TEXT COLLATE \"C\" PRIMARY KEY NOT NULL,"
    " case_id TEXT COLLATE \"C\" NOT NULL REFERENCES cases (id),"
    " kind TEXT COLLATE \"C\" NOT NULL,"
    " title TEXT NOT NULL,"
    " content_type TEXT NOT NULL,"
    " size BIGINT NOT NULL,"
    " sha256 TEXT COLLATE \"C\" NOT NULL,"
    " uploaded_role TEXT COLLATE \"C\" NOT NULL,"
    " uploaded_org TEXT COLLATE \"C\" NOT NULL,"
    " uploaded_user TEXT COLLATE \"C\" NOT NULL,"
    " uploaded_at TEXT COLLATE \"C\" NOT NULL,"
    " event_id BIGINT REFERENCES events (id),"
    " upload_sequence BIGSERIAL NOT NULL)",
    "CREATE INDEX documents_by_case ON documents (case_id, uploaded_at, upload_sequence)",
    "CREATE TABLE idempotency_keys ("
    " user_id TEXT COLLATE \"C\" NOT NULL,"
    " key TEXT COLLATE \"C\" NOT NULL,"
    " fingerprint TEXT COLLATE \"C\" NOT NULL,"
    " completed INTEGER NOT NULL CHECK (completed IN (0, 1)),"
    " status INTEGER NOT NULL,"
    " headers TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " created_at TEXT COLLATE \"C\" NOT NULL,"
    " PRIMARY KEY (user_id, key))",
    "CREATE INDEX idempotency_keys_by_created_at ON idempotency_keys (created_at)",
};

constexpr std::string_view kCreateWebhookTables[] = {
    "CREATE TABLE webhook_subscriptions ("
    " id TEXT COLLATE \"C\" PRIMARY KEY NOT NULL,"
    " org_id TEXT COLLATE \"C\" NOT NULL,"
    " url TEXT NOT NULL,"
    " secret TEXT NOT NULL,"
    " created_by TEXT COLLATE \"C\" NOT NULL,"
    " created_at TEXT COLLATE \"C\" NOT NULL,"
    " active INTEGER NOT NULL CHECK (active IN (0, 1)),"
    " delivered_through BIGINT NOT NULL,"
    " attempts INTEGER NOT NULL,"
    " next_attempt_at TEXT COLLATE \"C\")",
    "CREATE INDEX webhook_subscriptions_by_org ON webhook_subscriptions (org_id, created_at, id)",
    "CREATE TABLE webhook_deliveries ("
    " id BIGSERIAL PRIMARY KEY,"
    " subscription_id TEXT COLLATE \"C\" NOT NULL REFERENCES webhook_subscriptions (id),"
    " event_id BIGINT NOT NULL,"
    " attempt INTEGER NOT NULL,"
    " at TEXT COLLATE \"C\" NOT NULL,"
    " status INTEGER NOT NULL,"
    " outcome TEXT COLLATE \"C\" NOT NULL,"
    " error TEXT NOT NULL)",
    "CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, id)",
};

constexpr std::string_view kAddWebhookLeases[] = {
    "ALTER TABLE webhook_subscriptions ADD COLUMN lease_holder TEXT COLLATE \"C\" NOT NULL DEFAULT ''",
    "ALTER TABLE webhook_subscriptions ADD COLUMN lease_until TEXT COLLATE \"C\"",
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

std::span<const Migration> postgresql_case_store_migrations() { return kMigrations; }

}  // namespace sitecycle::sql
