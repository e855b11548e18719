#include "adapters/sql_webhook_store.h"

#include "adapters/schema_migrations.h"
#include "adapters/sql_case_store_schema.h"
#include "adapters/sql_cells.h"
#include "adapters/sql_database.h"
#include "adapters/sql_dialect.h"
#include "adapters/sql_error.h"
#include "adapters/sql_statement.h"
#include "adapters/sql_transaction.h"

#include <soci/soci.h>

namespace sitecycle {

namespace {

constexpr std::string_view kSubscriptionSelect =
    "SELECT id, org_id, url, secret, created_by, created_at, active, delivered_through, attempts, next_attempt_at"
    " FROM webhook_subscriptions";

struct SubscriptionRow {
  std::string id;
  std::string org_id;
  std::string url;
  std::string secret;
  std::string created_by;
  std::string created_at;
  int active = 0;
  long long delivered_through = 0;
  int attempts = 0;
  std::string next_attempt_at;
  soci::indicator next_indicator = soci::i_null;
};

void exchange_into_row(soci::statement& statement, SubscriptionRow& row) {
  sql::exchange_into(statement, row.id, row.org_id, row.url, row.secret, row.created_by, row.created_at, row.active,
                        row.delivered_through, row.attempts);
  statement.exchange(soci::into(row.next_attempt_at, row.next_indicator));
}

WebhookSubscription decode_subscription(const SubscriptionRow& row) {
  WebhookSubscription subscription;
  subscription.id = row.id;
  subscription.org_id = row.org_id;
  subscription.url = row.url;
  subscription.secret = row.secret;
  subscription.created_by = row.created_by;
  subscription.created_at = sql::decode_instant(row.created_at, "webhook_subscriptions.created_at", "");
  subscription.active = row.active != 0;
  subscription.delivered_through = row.delivered_through;
  subscription.attempts = row.attempts;
  if (row.next_indicator == soci::i_ok) {
    subscription.next_attempt_at = sql::decode_instant(row.next_attempt_at, "webhook_subscriptions.next_attempt_at", "");
  }
  return subscription;
}

// Runs a kSubscriptionSelect query with `where`, binding `key` as :key when given.
std::vector<WebhookSubscription> select_subscriptions(soci::session& session, const std::string& where,
                                                      const std::string* key) {
  SubscriptionRow row;
  soci::statement select(session);
  exchange_into_row(select, row);
  if (key) select.exchange(soci::use(*key, "key"));
  sql::prepare_statement(select, std::string(kSubscriptionSelect) + where);
  select.execute();
  std::vector<WebhookSubscription> subscriptions;
  while (select.fetch()) subscriptions.push_back(decode_subscription(row));
  return subscriptions;
}

}  // namespace

SqlWebhookStore::SqlWebhookStore(const std::string& sqlite_path)
    : SqlWebhookStore(std::make_shared<sql::Database>(sql::DatabaseTarget{sql::Backend::sqlite, sqlite_path})) {}

SqlWebhookStore::SqlWebhookStore(std::shared_ptr<sql::Database> database) : database_(std::move(database)) {
  sql::Database::Lock lock(*database_, sql::Purpose::write);
  sql::apply_migrations(lock.session(), sql::case_store_migrations(database_->backend()), database_->label());
}

SqlWebhookStore::~SqlWebhookStore() = default;

template <class Body>
decltype(auto) SqlWebhookStore::run(std::string_view operation, Body&& body) {
  sql::Database::Lock lock(*database_, sql::Purpose::write);
  return sql::translate_soci_errors({database_->label(), operation}, [&]() -> decltype(auto) { return body(lock.session()); });
}

void SqlWebhookStore::add_subscription(const WebhookSubscription& subscription) {
  run("add webhook subscription " + subscription.id, [&](soci::session& session) {
    const std::string created_at = format_instant(subscription.created_at);
    const int active = subscription.active ? 1 : 0;
    const long long through = subscription.delivered_through;
    session << "INSERT INTO webhook_subscriptions (id, org_id, url, secret, created_by, created_at, active,"
               " delivered_through, attempts, next_attempt_at) VALUES (:id, :org_id, :url, :secret, :created_by,"
               " :created_at, :active, :through, 0, NULL)",
        soci::use(subscription.id, "id"), soci::use(subscription.org_id, "org_id"), soci::use(subscription.url, "url"),
        soci::use(subscription.secret, "secret"), soci::use(subscription.created_by, "created_by"),
        soci::use(created_at, "created_at"), soci::use(active, "active"), soci::use(through, "through");
  });
}

std::optional<WebhookSubscription> SqlWebhookStore::find_subscription(std::string_view id) {
  const std::string key(id);
  return run("find webhook subscription", [&](soci::session& session) -> std::optional<WebhookSubscription> {
    std::vector<WebhookSubscription> found = select_subscriptions(session, " WHERE id = :key", &key);
    if (found.empty()) return std::nullopt;
    return found.front();
  });
}

std::vector<WebhookSubscription> SqlWebhookStore::subscriptions_of(std::string_view org_id) {
  const std::string key(org_id);
  return run("list webhook subscriptions", [&](soci::session& session) {
    return select_subscriptions(session, " WHERE org_id = :key AND active = 1 ORDER BY created_at, id", &key);
  });
}

bool SqlWebhookStore::deactivate_subscription(std::string_view id) {
  const std::string key(id);
  return run("deactivate webhook subscription", [&](soci::session& session) {
    soci::statement update = (session.prepare << "UPDATE webhook_subscriptions SET active = 0 WHERE id = :id AND active = 1",
                              soci::use(key, "id"));
    update.execute(true);
    return update.get_affected_rows() > 0;
  });
}

std::vector<WebhookSubscription> SqlWebhookStore::active_subscriptions() {
  return run("list active webhook subscriptions", [&](soci::session& session) {
    return select_subscriptions(session, " WHERE active = 1 ORDER BY created_at, id", nullptr);
  });
}

std::vector<WebhookSubscription> SqlWebhookStore::due_subscriptions(Instant now) {
  const std::string at = format_instant(now);
  return run("list due webhook subscriptions", [&](soci::session& session) {
    return select_subscriptions(
        session, " WHERE active = 1 AND (next_attempt_at IS NULL OR next_attempt_at <= :key) ORDER BY created_at, id",
        &at);
  });
}

bool SqlWebhookStore::take_lease(std::string_view subscription_id, std::string_view holder, Instant now,
                                 Instant until) {
  const std::string id(subscription_id);
  const std::string holder_text(holder);
  const std::string now_text = format_instant(now);
  const std::string until_text = format_instant(until);
  return run("take webhook delivery lease", [&](soci::session& session) {
    soci::statement update =
        (session.prepare << "UPDATE webhook_subscriptions SET lease_holder = :holder, lease_until = :until"
                            " WHERE id = :id AND (lease_holder = :same_holder OR lease_until IS NULL"
                            " OR lease_until <= :now)",
         soci::use(holder_text, "holder"), soci::use(until_text, "until"), soci::use(id, "id"),
         soci::use(holder_text, "same_holder"), soci::use(now_text, "now"));
    update.execute(true);
    return update.get_affected_rows() > 0;
  });
}

void SqlWebhookStore::release_lease(std::string_view subscription_id, std::string_view holder) {
  const std::string id(subscription_id);
  const std::string holder_text(holder);
  run("release webhook delivery lease", [&](soci::session& session) {
    session << "UPDATE webhook_subscriptions SET lease_holder = '', lease_until = NULL"
               " WHERE id = :id AND lease_holder = :holder",
        soci::use(id, "id"), soci::use(holder_text, "holder");
  });
}

bool SqlWebhookStore::record_delivery(const WebhookDelivery& delivery, std::optional<Instant> retry_at) {
  return run("record webhook delivery", [&](soci::session& session) {
    sql::Transaction transaction(session, sql::TransactionMode::write, database_->label());
    long long through = 0;
    session << "SELECT delivered_through FROM webhook_subscriptions WHERE id = :id" +
                   std::string(sql::lock_rows(sql::backend_of(session))),
        soci::use(delivery.subscription_id, "id"), soci::into(through);
    if (!session.got_data() || through >= delivery.event_id) return false;

    const long long event_id = delivery.event_id;
    const std::string at = format_instant(delivery.at);
    session << "INSERT INTO webhook_deliveries (subscription_id, event_id, attempt, at, status, outcome, error)"
               " VALUES (:subscription_id, :event_id, :attempt, :at, :status, :outcome, :error)",
        soci::use(delivery.subscription_id, "subscription_id"), soci::use(event_id, "event_id"),
        soci::use(delivery.attempt, "attempt"), soci::use(at, "at"), soci::use(delivery.status, "status"),
        soci::use(delivery.outcome, "outcome"), soci::use(delivery.error, "error");
    if (delivery.outcome == "failed") {
      std::string next = retry_at ? format_instant(*retry_at) : at;
      session << "UPDATE webhook_subscriptions SET attempts = :attempts, next_attempt_at = :next WHERE id = :id",
          soci::use(delivery.attempt, "attempts"), soci::use(next, "next"), soci::use(delivery.subscription_id, "id");
    } else {
      session << "UPDATE webhook_subscriptions SET delivered_through = :event_id, attempts = 0, next_attempt_at = NULL"
                 " WHERE id = :id",
          soci::use(event_id, "event_id"), soci::use(delivery.subscription_id, "id");
    }
    transaction.commit();
    return true;
  });
}

std::vector<WebhookDelivery> SqlWebhookStore::deliveries_of(std::string_view subscription_id, std::int64_t limit) {
  const std::string key(subscription_id);
  const long long row_limit = std::max<std::int64_t>(limit, 0);
  return run("list webhook deliveries", [&](soci::session& session) {
    WebhookDelivery delivery;
    long long id = 0;
    long long event_id = 0;
    std::string at;
    soci::statement select(session);
    sql::exchange_into(select, id, delivery.subscription_id, event_id, delivery.attempt, at, delivery.status,
                          delivery.outcome, delivery.error);
    select.exchange(soci::use(key, "key"));
    select.exchange(soci::use(row_limit, "limit"));
    sql::prepare_statement(select,
                              "SELECT id, subscription_id, event_id, attempt, at, status, outcome, error"
                              " FROM webhook_deliveries WHERE subscription_id = :key ORDER BY id DESC LIMIT :limit");
    select.execute();
    std::vector<WebhookDelivery> deliveries;
    while (select.fetch()) {
      delivery.id = id;
      delivery.event_id = event_id;
      delivery.at = sql::decode_instant(at, "webhook_deliveries.at", "");
      deliveries.push_back(delivery);
    }
    return deliveries;
  });
}

}  // namespace sitecycle
