#include "adapters/sql_idempotency_store.h"

#include "adapters/schema_migrations.h"
#include "adapters/sql_case_store_schema.h"
#include "adapters/sql_cells.h"
#include "adapters/sql_database.h"
#include "adapters/sql_dialect.h"
#include "adapters/sql_error.h"
#include "adapters/sql_transaction.h"

#include <nlohmann/json.hpp>
#include <soci/soci.h>

namespace sitecycle {

namespace {

std::string encode_headers(const std::vector<std::pair<std::string, std::string>>& headers) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, value] : headers) list.push_back({name, value});
  return list.dump();
}

std::vector<std::pair<std::string, std::string>> decode_headers(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> headers;
  nlohmann::json list = sql::decode_json(text, "idempotency_keys.headers", "");
  for (const nlohmann::json& header : list) {
    headers.emplace_back(header.at(0).get<std::string>(), header.at(1).get<std::string>());
  }
  return headers;
}

}  // namespace

SqlIdempotencyStore::SqlIdempotencyStore(const std::string& sqlite_path)
    : SqlIdempotencyStore(std::make_shared<sql::Database>(sql::DatabaseTarget{sql::Backend::sqlite, sqlite_path})) {}

SqlIdempotencyStore::SqlIdempotencyStore(std::shared_ptr<sql::Database> database) : database_(std::move(database)) {
  sql::Database::Lock lock(*database_, sql::Purpose::write);
  sql::apply_migrations(lock.session(), sql::case_store_migrations(database_->backend()), database_->label());
}

SqlIdempotencyStore::~SqlIdempotencyStore() = default;

ClaimResult SqlIdempotencyStore::claim(std::string_view user_id, std::string_view key, std::string_view fingerprint,
                                          Instant now, Instant expired_before, Instant abandoned_before) {
  const std::string user(user_id);
  const std::string key_text(key);
  const std::string new_fingerprint(fingerprint);
  const std::string created_at = format_instant(now);
  const std::string expired = format_instant(expired_before);
  sql::Database::Lock lock(*database_, sql::Purpose::write);
  return sql::translate_soci_errors({database_->label(), "claim idempotency key"}, [&] {
    soci::session& session = lock.session();
    sql::Transaction transaction(session, sql::TransactionMode::write, database_->label());
    session << "DELETE FROM idempotency_keys WHERE created_at < :expired", soci::use(expired, "expired");

    std::string stored_fingerprint;
    int completed = 0;
    int status = 0;
    std::string headers;
    std::string body;
    std::string stored_at;
    // On PostgreSQL the row stays locked until commit, so two nodes cannot both take over an
    // abandoned claim.
    session << "SELECT fingerprint, completed, status, headers, body, created_at FROM idempotency_keys"
               " WHERE user_id = :user_id AND key = :key" + std::string(sql::lock_rows(sql::backend_of(session))),
        soci::use(user, "user_id"), soci::use(key_text, "key"), soci::into(stored_fingerprint), soci::into(completed),
        soci::into(status), soci::into(headers), soci::into(body), soci::into(stored_at);
    bool found = session.got_data();

    ClaimResult result;
    if (found && stored_fingerprint != new_fingerprint) {
      result.claim = KeyClaim::reused;
    } else if (found && completed != 0) {
      result.claim = KeyClaim::replay;
      result.response = {status, decode_headers(headers), body};
    } else if (found && sql::decode_instant(stored_at, "idempotency_keys.created_at", "") >= abandoned_before) {
      result.claim = KeyClaim::in_progress;
    } else if (found) {
      // An abandoned claim (its request died): take it over.
      session << "UPDATE idempotency_keys SET created_at = :created_at WHERE user_id = :user_id AND key = :key",
          soci::use(created_at, "created_at"), soci::use(user, "user_id"), soci::use(key_text, "key");
      result.claim = KeyClaim::claimed;
    } else {
      // Another node may insert the same key between the SELECT and here, and then that node has
      // the claim.
      soci::statement insert =
          (session.prepare << "INSERT INTO idempotency_keys (user_id, key, fingerprint, completed, status, headers,"
                              " body, created_at) VALUES (:user_id, :key, :fingerprint, 0, 0, '[]', '', :created_at)"
                              " ON CONFLICT (user_id, key) DO NOTHING",
           soci::use(user, "user_id"), soci::use(key_text, "key"), soci::use(new_fingerprint, "fingerprint"),
           soci::use(created_at, "created_at"));
      insert.execute(true);
      result.claim = insert.get_affected_rows() > 0 ? KeyClaim::claimed : KeyClaim::in_progress;
    }
    transaction.commit();
    return result;
  });
}

void SqlIdempotencyStore::complete(std::string_view user_id, std::string_view key, const KeptResponse& response) {
  const std::string user(user_id);
  const std::string key_text(key);
  const std::string headers = encode_headers(response.headers);
  sql::Database::Lock lock(*database_, sql::Purpose::write);
  sql::translate_soci_errors({database_->label(), "keep idempotent response"}, [&] {
    lock.session() << "UPDATE idempotency_keys SET completed = 1, status = :status, headers = :headers, body = :body"
                      " WHERE user_id = :user_id AND key = :key",
        soci::use(response.status, "status"), soci::use(headers, "headers"), soci::use(response.body, "body"),
        soci::use(user, "user_id"), soci::use(key_text, "key");
  });
}

void SqlIdempotencyStore::release(std::string_view user_id, std::string_view key) {
  const std::string user(user_id);
  const std::string key_text(key);
  sql::Database::Lock lock(*database_, sql::Purpose::write);
  sql::translate_soci_errors({database_->label(), "release idempotency key"}, [&] {
    lock.session() << "DELETE FROM idempotency_keys WHERE user_id = :user_id AND key = :key AND completed = 0",
        soci::use(user, "user_id"), soci::use(key_text, "key");
  });
}

}  // namespace sitecycle
