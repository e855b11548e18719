#include "adapters/sql_identity_store.h"

#include "adapters/schema_migrations.h"
#include "adapters/sql_case_store_schema.h"
#include "adapters/sql_cells.h"
#include "adapters/sql_database.h"
#include "adapters/sql_error.h"
#include "adapters/sql_statement.h"
#include "adapters/sql_transaction.h"

#include <soci/soci.h>

#include <algorithm>

namespace sitecycle {

namespace {

struct OrganisationRow {
  std::string id;
  std::string type;
  std::string district;
  std::string name_zh_cn;
  std::string name_en;
  std::string credit_code;
  std::string created_at;
};

Organisation decode_organisation(const OrganisationRow& row) {
  Organisation organisation;
  organisation.id = row.id;
  std::optional<OrganisationType> type = parse_organisation_type(row.type);
  if (!type) throw StoreError("organisation '" + row.id + "' has unknown type '" + row.type + "'");
  organisation.type = *type;
  organisation.district = row.district;
  organisation.name = {row.name_zh_cn, row.name_en};
  organisation.credit_code = row.credit_code;
  organisation.created_at = sql::decode_instant(row.created_at, "organisations.created_at", "");
  return organisation;
}

struct UserRow {
  std::string id;
  std::string org_id;
  std::string role;
  std::string name;
  int disabled = 0;
  std::string created_at;
};

User decode_user(const UserRow& row) {
  return {row.id, row.org_id, row.role, row.name, row.disabled != 0,
          sql::decode_instant(row.created_at, "users.created_at", "")};
}

struct TokenRow {
  std::string id;
  std::string user_id;
  std::string secret_hash;
  std::string label;
  std::string created_at;
  std::string expires_at;
  soci::indicator expires_indicator = soci::i_null;
  std::string revoked_at;
  soci::indicator revoked_indicator = soci::i_null;
};

std::optional<Instant> decode_optional_instant(const std::string& text, soci::indicator indicator,
                                               std::string_view column) {
  if (indicator != soci::i_ok) return std::nullopt;
  return sql::decode_instant(text, column, "");
}

ApiToken decode_token(const TokenRow& row) {
  ApiToken token;
  token.id = row.id;
  token.user_id = row.user_id;
  token.secret_hash = row.secret_hash;
  token.label = row.label;
  token.created_at = sql::decode_instant(row.created_at, "api_tokens.created_at", "");
  token.expires_at = decode_optional_instant(row.expires_at, row.expires_indicator, "api_tokens.expires_at");
  token.revoked_at = decode_optional_instant(row.revoked_at, row.revoked_indicator, "api_tokens.revoked_at");
  return token;
}

constexpr std::string_view kOrganisationSelect =
    "SELECT id, type, district, name_zh_cn, name_en, credit_code, created_at FROM organisations";
constexpr std::string_view kUserSelect = "SELECT id, org_id, role, name, disabled, created_at FROM users";
constexpr std::string_view kTokenSelect =
    "SELECT id, user_id, secret_hash, label, created_at, expires_at, revoked_at FROM api_tokens";

void exchange_into_row(soci::statement& statement, OrganisationRow& row) {
  sql::exchange_into(statement, row.id, row.type, row.district, row.name_zh_cn, row.name_en, row.credit_code,
                        row.created_at);
}

void exchange_into_row(soci::statement& statement, UserRow& row) {
  sql::exchange_into(statement, row.id, row.org_id, row.role, row.name, row.disabled, row.created_at);
}

void exchange_into_row(soci::statement& statement, TokenRow& row) {
  sql::exchange_into(statement, row.id, row.user_id, row.secret_hash, row.label, row.created_at);
  statement.exchange(soci::into(row.expires_at, row.expires_indicator));
  statement.exchange(soci::into(row.revoked_at, row.revoked_indicator));
}

// Runs `select` (a k*Select followed by `where`) and decodes every row with `decode`.
template <class Row, class Decode>
auto select_rows(soci::session& session, std::string_view select_sql, const std::string& where,
                 const std::string* key, Decode decode) {
  Row row;
  soci::statement select(session);
  exchange_into_row(select, row);
  if (key) select.exchange(soci::use(*key, "key"));
  sql::prepare_statement(select, std::string(select_sql) + where);
  select.execute();
  std::vector<decltype(decode(row))> items;
  while (select.fetch()) items.push_back(decode(row));
  return items;
}

template <class Item>
std::optional<Item> first_of(std::vector<Item> items) {
  if (items.empty()) return std::nullopt;
  return std::move(items.front());
}

}  // namespace

SqlIdentityStore::SqlIdentityStore(const std::string& sqlite_path)
    : SqlIdentityStore(std::make_shared<sql::Database>(sql::DatabaseTarget{sql::Backend::sqlite, sqlite_path})) {}

SqlIdentityStore::SqlIdentityStore(std::shared_ptr<sql::Database> database) : database_(std::move(database)) {
  sql::Database::Lock lock(*database_, sql::Purpose::write);
  sql::apply_migrations(lock.session(), sql::case_store_migrations(database_->backend()), database_->label());
}

SqlIdentityStore::~SqlIdentityStore() = default;

template <class Body>
decltype(auto) SqlIdentityStore::run(std::string_view operation, Body&& body) {
  sql::Database::Lock lock(*database_, sql::Purpose::write);
  return sql::translate_soci_errors({database_->label(), operation}, [&]() -> decltype(auto) { return body(lock.session()); });
}

bool SqlIdentityStore::add_organisation(const Organisation& organisation) {
  return run("add organisation " + organisation.id, [&](soci::session& session) {
    const std::string type(organisation_type_name(organisation.type));
    const std::string created_at = format_instant(organisation.created_at);
    soci::statement insert =
        (session.prepare << "INSERT INTO organisations (id, type, district, name_zh_cn, name_en, credit_code,"
                            " created_at) VALUES (:id, :type, :district, :name_zh_cn, :name_en, :credit_code,"
                            " :created_at) ON CONFLICT DO NOTHING",
         soci::use(organisation.id, "id"), soci::use(type, "type"), soci::use(organisation.district, "district"),
         soci::use(organisation.name.zh_cn, "name_zh_cn"), soci::use(organisation.name.en, "name_en"),
         soci::use(organisation.credit_code, "credit_code"), soci::use(created_at, "created_at"));
    insert.execute(true);
    return insert.get_affected_rows() > 0;
  });
}

std::optional<Organisation> SqlIdentityStore::find_organisation(std::string_view id) {
  const std::string key(id);
  return run("find organisation " + key, [&](soci::session& session) {
    return first_of(select_rows<OrganisationRow>(session, kOrganisationSelect, " WHERE id = :key", &key,
                                                 decode_organisation));
  });
}

std::vector<Organisation> SqlIdentityStore::organisations() {
  return run("list organisations", [&](soci::session& session) {
    return select_rows<OrganisationRow>(session, kOrganisationSelect, " ORDER BY id", nullptr, decode_organisation);
  });
}

bool SqlIdentityStore::add_user(const User& user) {
  return run("add user " + user.id, [&](soci::session& session) {
    const int disabled = user.disabled ? 1 : 0;
    const std::string created_at = format_instant(user.created_at);
    soci::statement insert =
        (session.prepare << "INSERT INTO users (id, org_id, role, name, disabled, created_at)"
                            " VALUES (:id, :org_id, :role, :name, :disabled, :created_at) ON CONFLICT (id) DO NOTHING",
         soci::use(user.id, "id"), soci::use(user.org_id, "org_id"), soci::use(user.role, "role"),
         soci::use(user.name, "name"), soci::use(disabled, "disabled"), soci::use(created_at, "created_at"));
    insert.execute(true);
    return insert.get_affected_rows() > 0;
  });
}

std::optional<User> SqlIdentityStore::find_user(std::string_view id) {
  const std::string key(id);
  return run("find user " + key, [&](soci::session& session) {
    return first_of(select_rows<UserRow>(session, kUserSelect, " WHERE id = :key", &key, decode_user));
  });
}

std::vector<User> SqlIdentityStore::users() {
  return run("list users", [&](soci::session& session) {
    return select_rows<UserRow>(session, kUserSelect, " ORDER BY id", nullptr, decode_user);
  });
}

bool SqlIdentityStore::set_user_disabled(std::string_view id, bool disabled) {
  const std::string key(id);
  return run("disable user " + key, [&](soci::session& session) {
    const int value = disabled ? 1 : 0;
    soci::statement update = (session.prepare << "UPDATE users SET disabled = :disabled WHERE id = :id",
                              soci::use(value, "disabled"), soci::use(key, "id"));
    update.execute(true);
    return update.get_affected_rows() > 0;
  });
}

bool SqlIdentityStore::add_token(const ApiToken& token) {
  return run("add token for user " + token.user_id, [&](soci::session& session) {
    const std::string created_at = format_instant(token.created_at);
    std::string expires_at = token.expires_at ? format_instant(*token.expires_at) : std::string();
    soci::indicator expires_indicator = token.expires_at ? soci::i_ok : soci::i_null;
    soci::statement insert =
        (session.prepare << "INSERT INTO api_tokens (id, user_id, secret_hash, label, created_at, expires_at,"
                            " revoked_at) VALUES (:id, :user_id, :secret_hash, :label, :created_at, :expires_at,"
                            " NULL) ON CONFLICT (id) DO NOTHING",
         soci::use(token.id, "id"), soci::use(token.user_id, "user_id"), soci::use(token.secret_hash, "secret_hash"),
         soci::use(token.label, "label"), soci::use(created_at, "created_at"),
         soci::use(expires_at, expires_indicator, "expires_at"));
    insert.execute(true);
    return insert.get_affected_rows() > 0;
  });
}

std::optional<ApiToken> SqlIdentityStore::find_token(std::string_view id) {
  const std::string key(id);
  return run("find token", [&](soci::session& session) {
    return first_of(select_rows<TokenRow>(session, kTokenSelect, " WHERE id = :key", &key, decode_token));
  });
}

std::vector<ApiToken> SqlIdentityStore::tokens_of(std::string_view user_id) {
  const std::string key(user_id);
  return run("list tokens of user " + key, [&](soci::session& session) {
    return select_rows<TokenRow>(session, kTokenSelect, " WHERE user_id = :key ORDER BY created_at, id", &key,
                                 decode_token);
  });
}

bool SqlIdentityStore::revoke_token(std::string_view id, Instant at) {
  const std::string key(id);
  return run("revoke token " + key, [&](soci::session& session) {
    const std::string revoked_at = format_instant(at);
    soci::statement update =
        (session.prepare << "UPDATE api_tokens SET revoked_at = :revoked_at WHERE id = :id AND revoked_at IS NULL",
         soci::use(revoked_at, "revoked_at"), soci::use(key, "id"));
    update.execute(true);
    return update.get_affected_rows() > 0;
  });
}

void SqlIdentityStore::record_auth_failure(std::string_view subject, Instant at) {
  const std::string key(subject);
  run("record failed sign-in", [&](soci::session& session) {
    const std::string when = format_instant(at);
    session << "INSERT INTO auth_failures (subject, at) VALUES (:subject, :at)", soci::use(key, "subject"),
        soci::use(when, "at");
  });
}

std::int64_t SqlIdentityStore::count_auth_failures(std::string_view subject, Instant since) {
  const std::string key(subject);
  return run("count failed sign-ins", [&](soci::session& session) {
    const std::string from = format_instant(since);
    long long count = 0;
    session << "SELECT COUNT(*) FROM auth_failures WHERE subject = :subject AND at >= :since",
        soci::use(key, "subject"), soci::use(from, "since"), soci::into(count);
    return static_cast<std::int64_t>(count);
  });
}

void SqlIdentityStore::append_audit(const AuditRecord& record) {
  run("append audit record", [&](soci::session& session) {
    const std::string at = format_instant(record.at);
    session << "INSERT INTO audit_records (at, kind, user_id, org_id, remote_address, method, path, detail)"
               " VALUES (:at, :kind, :user_id, :org_id, :remote_address, :method, :path, :detail)",
        soci::use(at, "at"), soci::use(record.kind, "kind"), soci::use(record.user_id, "user_id"),
        soci::use(record.org_id, "org_id"), soci::use(record.remote_address, "remote_address"),
        soci::use(record.method, "method"), soci::use(record.path, "path"), soci::use(record.detail, "detail");
  });
}

Page<AuditRecord> SqlIdentityStore::audit_records(std::int64_t limit, std::int64_t offset) {
  return run("read audit records", [&](soci::session& session) {
    sql::Transaction snapshot(session, sql::TransactionMode::read, database_->label());
    Page<AuditRecord> page;
    long long total = 0;
    session << "SELECT COUNT(*) FROM audit_records", soci::into(total);
    page.total = total;
    if (limit < 1) return page;

    const long long page_limit = limit;
    const long long page_offset = std::max<std::int64_t>(offset, 0);
    long long id = 0;
    AuditRecord record;
    std::string at;
    soci::statement select(session);
    sql::exchange_into(select, id, at, record.kind, record.user_id, record.org_id, record.remote_address,
                          record.method, record.path, record.detail);
    select.exchange(soci::use(page_limit, "limit"));
    select.exchange(soci::use(page_offset, "offset"));
    sql::prepare_statement(select,
                              "SELECT id, at, kind, user_id, org_id, remote_address, method, path, detail"
                              " FROM audit_records ORDER BY id DESC LIMIT :limit OFFSET :offset");
    select.execute();
    while (select.fetch()) {
      record.id = id;
      record.at = sql::decode_instant(at, "audit_records.at", "");
      page.items.push_back(record);
    }
    snapshot.commit();
    return page;
  });
}

}  // namespace sitecycle
