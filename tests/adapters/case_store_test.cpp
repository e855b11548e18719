#include "adapters/sql_case_store.h"

#include "adapters/sql_case_store_schema.h"
#include "temp_directory.h"
#include "test_database.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <vector>

using namespace sitecycle;
using Catch::Matchers::Contains;
using sitecycle::testing::TempDirectory;
using sitecycle::testing::TestDatabase;

namespace {

Instant instant(std::string_view text) {
  auto parsed = parse_utc_instant(text);
  if (!parsed) throw std::invalid_argument(fmt::format("bad instant in test: {}", text));
  return *parsed;
}

StoredCase make_case(const std::string& id, const std::string& workflow_id = "parcel",
                     const std::string& state = "registered",
                     Instant created_at = instant("2026-03-16T01:30:00Z")) {
  StoredCase stored;
  stored.id = id;
  stored.workflow_id = workflow_id;
  stored.workflow_version = 1;
  stored.state = state;
  stored.data = {{"district", "浦东新区"}, {"area_m2", 1250.5}};
  stored.version = 1;
  stored.created_at = created_at;
  stored.updated_at = created_at;
  return stored;
}

StoredEvent make_event(const std::string& case_id, std::int64_t case_version) {
  StoredEvent event;
  event.case_id = case_id;
  event.case_version = case_version;
  event.kind = case_version == 1 ? "created" : "transition";
  event.transition = case_version == 1 ? "" : "review";
  event.from_state = case_version == 1 ? "" : "registered";
  event.to_state = "registered";
  event.actor = Actor{"district_officer", "pudong_eco", "wang.li"};
  event.at = instant("2026-03-16T01:30:00Z");
  event.input = {{"note", "现场核查"}};
  event.comment = "first look";
  event.effects = nlohmann::json::array({{{"open_case", "survey"}}});
  return event;
}

// Writes a case and its "created" event in one committed transaction.
void create_case(CaseStore& store, const StoredCase& stored) {
  auto transaction = store.begin();
  transaction->insert_case(stored);
  transaction->append_event(make_event(stored.id, stored.version));
  transaction->commit();
}

CaseQuery query_of(std::optional<std::string> workflow, std::optional<std::string> state, std::int64_t limit,
                   std::int64_t offset) {
  CaseQuery query;
  query.workflow_id = std::move(workflow);
  query.state = std::move(state);
  query.limit = limit;
  query.offset = offset;
  return query;
}

std::vector<std::string> ids_of(const std::vector<StoredCase>& cases) {
  std::vector<std::string> ids;
  for (const StoredCase& stored : cases) ids.push_back(stored.id);
  return ids;
}

// SQL on the store's database through a separate SOCI session, bypassing the adapter.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& sqlite_path)
      : session_(std::make_unique<soci::session>(*soci::factory_sqlite3(), sqlite_path)) {}
  explicit RawDatabase(const TestDatabase& database) : session_(database.raw_session()) {}

  void execute(const std::string& sql) { *session_ << sql; }

  long long count(const std::string& table) {
    long long rows = 0;
    *session_ << "SELECT COUNT(*) FROM " + table, soci::into(rows);
    return rows;
  }

  std::string text(const std::string& sql) {
    std::string value;
    *session_ << sql, soci::into(value);
    return value;
  }

 private:
  std::unique_ptr<soci::session> session_;
};

}  // namespace

TEST_CASE("migrations are applied once and recorded", "[store]") {
  TestDatabase database;
  const auto migrations = sql::case_store_migrations(database.target().backend);
  REQUIRE_FALSE(migrations.empty());

  database.open_case_store();
  RawDatabase raw(database);
  CHECK(raw.count("schema_migrations") == static_cast<long long>(migrations.size()));
  CHECK(raw.text("SELECT name FROM schema_migrations WHERE version = 1") == "create case tables");
  const std::string first_applied_at = raw.text("SELECT applied_at FROM schema_migrations WHERE version = 1");
  CHECK(parse_utc_instant(first_applied_at));

  database.open_case_store();
  CHECK(raw.count("schema_migrations") == static_cast<long long>(migrations.size()));
  CHECK(raw.text("SELECT applied_at FROM schema_migrations WHERE version = 1") == first_applied_at);
}

TEST_CASE("file store enables WAL and foreign keys", "[sqlite]") {
  TempDirectory directory;
  const std::string path = directory.file("cases.db");
  auto store = open_sqlite_store(path);

  CHECK(RawDatabase(path).text("PRAGMA journal_mode") == "wal");

  // Foreign keys are a per-connection setting; an event for a missing case proves it is on.
  auto transaction = store->begin();
  CHECK_THROWS_WITH(transaction->append_event(make_event("no_such_case", 1)), Contains("FOREIGN KEY"));
}

TEST_CASE("reopened store keeps its data", "[store]") {
  TestDatabase database;
  {
    auto store = database.open_case_store();
    create_case(*store, make_case("parcel_000001"));
    create_case(*store, make_case("survey_000001", "survey"));
    auto transaction = store->begin();
    transaction->insert_link(
        CaseLink{"parcel_000001", "survey", "survey_000001", instant("2026-03-17T00:00:00Z")});
    transaction->commit();
    REQUIRE(store->save_definition(StoredDefinition{"parcel", 1, "abc123", "parcel.yaml", "id: parcel\n"}));
  }

  auto store = database.open_case_store();
  auto stored = store->find_case("parcel_000001");
  REQUIRE(stored);
  CHECK(stored->workflow_id == "parcel");
  CHECK(stored->workflow_version == 1);
  CHECK(stored->state == "registered");
  CHECK(stored->data == make_case("x").data);
  CHECK(stored->version == 1);
  CHECK_FALSE(stored->closed);
  CHECK(stored->created_at == instant("2026-03-16T01:30:00Z"));
  CHECK(stored->updated_at == instant("2026-03-16T01:30:00Z"));

  auto events = store->events_of("parcel_000001", 10, 0);
  REQUIRE(events.items.size() == 1);
  const StoredEvent& event = events.items.front();
  const StoredEvent expected = make_event("parcel_000001", 1);
  CHECK(event.id > 0);
  CHECK(event.kind == "created");
  CHECK(event.actor.role == expected.actor.role);
  CHECK(event.actor.org == expected.actor.org);
  CHECK(event.actor.user == expected.actor.user);
  CHECK(event.at == expected.at);
  CHECK(event.input == expected.input);
  CHECK(event.comment == expected.comment);
  CHECK(event.effects == expected.effects);

  auto links = store->links_of("parcel_000001");
  REQUIRE(links.size() == 1);
  CHECK(links.front().linked_case_id == "survey_000001");
  CHECK(links.front().created_at == instant("2026-03-17T00:00:00Z"));

  REQUIRE(store->definitions().size() == 1);
  CHECK(store->definitions().front().yaml_text == "id: parcel\n");
}

TEST_CASE("transaction destroyed without commit leaves no trace", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  create_case(*store, make_case("parcel_000001"));

  {
    auto transaction = store->begin();
    CHECK(transaction->next_case_number("parcel") == 1);
    transaction->insert_case(make_case("parcel_000002"));
    transaction->append_event(make_event("parcel_000002", 1));
    transaction->insert_link(
        CaseLink{"parcel_000001", "successor", "parcel_000002", instant("2026-03-17T00:00:00Z")});
    StoredCase changed = make_case("parcel_000001", "parcel", "stored");
    changed.version = 2;
    REQUIRE(transaction->update_case(changed, 1));
    transaction->append_event(make_event("parcel_000001", 2));
  }

  CHECK_FALSE(store->find_case("parcel_000002"));
  CHECK(store->find_case("parcel_000001")->state == "registered");
  CHECK(store->find_case("parcel_000001")->version == 1);
  CHECK(store->events_of("parcel_000001", 10, 0).total == 1);
  CHECK(store->links_of("parcel_000001").empty());
  RawDatabase raw(database);
  CHECK(raw.count("cases") == 1);
  CHECK(raw.count("events") == 1);
  CHECK(raw.count("case_links") == 0);
  CHECK(raw.count("case_counters") == 0);
}

TEST_CASE("stale update returns false, writes nothing", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  create_case(*store, make_case("parcel_000001"));

  StoredCase changed = make_case("parcel_000001", "parcel", "stored");
  changed.version = 3;
  changed.closed = true;
  auto transaction = store->begin();
  CHECK_FALSE(transaction->update_case(changed, 2));
  CHECK_FALSE(transaction->update_case(make_case("no_such_case"), 1));
  transaction->commit();

  auto stored = store->find_case("parcel_000001");
  REQUIRE(stored);
  CHECK(stored->state == "registered");
  CHECK(stored->version == 1);
  CHECK_FALSE(stored->closed);
}

TEST_CASE("current-version update writes the projection", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  create_case(*store, make_case("parcel_000001"));

  StoredCase changed = make_case("parcel_000001", "parcel", "closed_out");
  changed.workflow_version = 2;
  changed.data = {{"area_m2", 99}};
  changed.version = 2;
  changed.closed = true;
  changed.updated_at = instant("2026-04-01T08:00:00Z");
  auto transaction = store->begin();
  CHECK(transaction->update_case(changed, 1));
  transaction->commit();

  auto stored = store->find_case("parcel_000001");
  REQUIRE(stored);
  CHECK(stored->workflow_version == 2);
  CHECK(stored->state == "closed_out");
  CHECK(stored->data == nlohmann::json{{"area_m2", 99}});
  CHECK(stored->version == 2);
  CHECK(stored->closed);
  CHECK(stored->created_at == instant("2026-03-16T01:30:00Z"));
  CHECK(stored->updated_at == instant("2026-04-01T08:00:00Z"));
}

TEST_CASE("events cannot be updated or deleted", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  create_case(*store, make_case("parcel_000001"));

  RawDatabase raw(database);
  CHECK_THROWS_WITH(raw.execute("UPDATE events SET comment = 'edited'"), Contains("append-only"));
  CHECK_THROWS_WITH(raw.execute("DELETE FROM events"), Contains("append-only"));
  CHECK(raw.count("events") == 1);
  CHECK(store->events_of("parcel_000001", 10, 0).items.front().comment == "first look");
}

TEST_CASE("append_event returns increasing ids", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  auto transaction = store->begin();
  transaction->insert_case(make_case("parcel_000001"));
  transaction->insert_case(make_case("parcel_000002"));

  const std::int64_t first = transaction->append_event(make_event("parcel_000001", 1));
  const std::int64_t second = transaction->append_event(make_event("parcel_000002", 1));
  const std::int64_t third = transaction->append_event(make_event("parcel_000001", 2));
  CHECK(second > first);
  CHECK(third > second);
  transaction->commit();

  auto events = store->events_of("parcel_000001", 10, 0);
  REQUIRE(events.items.size() == 2);
  CHECK(events.items[0].id == first);
  CHECK(events.items[1].id == third);
}

TEST_CASE("append_event rejects a repeated case version", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  auto transaction = store->begin();
  transaction->insert_case(make_case("parcel_000001"));
  transaction->append_event(make_event("parcel_000001", 1));

  try {
    transaction->append_event(make_event("parcel_000001", 1));
    FAIL("a repeated case version was accepted");
  } catch (const StoreError& error) {
    CHECK_THAT(error.what(), Contains("parcel_000001") && Contains("unique", Catch::CaseSensitive::No));
  }
}

TEST_CASE("insert_case rejects a taken id", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  create_case(*store, make_case("parcel_000001"));

  {
    auto transaction = store->begin();
    CHECK_THROWS_WITH(transaction->insert_case(make_case("parcel_000001")), Contains("parcel_000001"));
    // A failed statement ends the unit of work on both backends (PostgreSQL aborts it).
    CHECK_THROWS_WITH(transaction->insert_case(make_case("parcel_000002")), Contains("earlier failure"));
  }
  auto transaction = store->begin();
  transaction->insert_case(make_case("parcel_000002"));
  transaction->commit();
  CHECK(store->find_case("parcel_000002"));
}

TEST_CASE("links are listed oldest first", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  for (const char* id : {"parcel_000001", "survey_000001", "survey_000002", "permit_000001"}) {
    create_case(*store, make_case(id));
  }

  // Same created_at on purpose: the order must come from insertion, not from the timestamp.
  const Instant same_second = instant("2026-03-17T00:00:00Z");
  auto transaction = store->begin();
  transaction->insert_link(CaseLink{"parcel_000001", "survey", "survey_000002", same_second});
  transaction->insert_link(CaseLink{"parcel_000001", "permit", "permit_000001", same_second});
  transaction->insert_link(CaseLink{"parcel_000001", "survey", "survey_000001", same_second});
  transaction->insert_link(CaseLink{"survey_000001", "parcel", "parcel_000001", same_second});
  transaction->commit();

  auto links = store->links_of("parcel_000001");
  REQUIRE(links.size() == 3);
  CHECK(links[0].linked_case_id == "survey_000002");
  CHECK(links[1].linked_case_id == "permit_000001");
  CHECK(links[2].linked_case_id == "survey_000001");
  CHECK(links[2].case_id == "parcel_000001");
  CHECK(links[2].role == "survey");
  CHECK(store->begin()->links_of("parcel_000001").size() == 3);

  auto reverse = store->links_of("survey_000001");
  REQUIRE(reverse.size() == 1);
  CHECK(reverse[0].linked_case_id == "parcel_000001");
}

TEST_CASE("list_cases filters, pages and counts", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  // Inserted out of order; parcel_b and parcel_a share a created_at, so id breaks the tie.
  create_case(*store, make_case("parcel_c", "parcel", "stored", instant("2026-03-18T00:00:00Z")));
  create_case(*store, make_case("parcel_b", "parcel", "registered", instant("2026-03-17T00:00:00Z")));
  create_case(*store, make_case("parcel_a", "parcel", "registered", instant("2026-03-17T00:00:00Z")));
  create_case(*store, make_case("survey_a", "survey", "registered", instant("2026-03-16T00:00:00Z")));

  SECTION("no filter lists every case by created_at, then id") {
    auto page = store->list_cases(CaseQuery{});
    CHECK(page.total == 4);
    CHECK(ids_of(page.items) == std::vector<std::string>{"survey_a", "parcel_a", "parcel_b", "parcel_c"});
  }
  SECTION("workflow filter") {
    auto page = store->list_cases(query_of("parcel", std::nullopt, 50, 0));
    CHECK(page.total == 3);
    CHECK(ids_of(page.items) == std::vector<std::string>{"parcel_a", "parcel_b", "parcel_c"});
  }
  SECTION("state filter") {
    auto page = store->list_cases(query_of(std::nullopt, "registered", 50, 0));
    CHECK(page.total == 3);
    CHECK(ids_of(page.items) == std::vector<std::string>{"survey_a", "parcel_a", "parcel_b"});
  }
  SECTION("workflow and state filters together") {
    auto page = store->list_cases(query_of("parcel", "registered", 50, 0));
    CHECK(page.total == 2);
    CHECK(ids_of(page.items) == std::vector<std::string>{"parcel_a", "parcel_b"});
  }
  SECTION("pages keep the total of all matches") {
    auto first = store->list_cases(query_of(std::nullopt, std::nullopt, 3, 0));
    auto second = store->list_cases(query_of(std::nullopt, std::nullopt, 3, 3));
    CHECK(first.total == 4);
    CHECK(second.total == 4);
    CHECK(ids_of(first.items) == std::vector<std::string>{"survey_a", "parcel_a", "parcel_b"});
    CHECK(ids_of(second.items) == std::vector<std::string>{"parcel_c"});
  }
  SECTION("no match") {
    auto page = store->list_cases(query_of("unknown_workflow", std::nullopt, 50, 0));
    CHECK(page.total == 0);
    CHECK(page.items.empty());
  }
  SECTION("odd limits and offsets do not fail") {
    CHECK(store->list_cases(query_of(std::nullopt, std::nullopt, 0, 0)).items.empty());
    CHECK(store->list_cases(query_of(std::nullopt, std::nullopt, -5, 0)).items.empty());
    CHECK(store->list_cases(query_of(std::nullopt, std::nullopt, -5, 0)).total == 4);
    CHECK(store->list_cases(query_of(std::nullopt, std::nullopt, 2, -7)).items.size() == 2);
    CHECK(store->list_cases(query_of(std::nullopt, std::nullopt, 2, 1'000'000)).items.empty());
    CHECK(store->list_cases(query_of(std::nullopt, std::nullopt, INT64_MAX, INT64_MAX)).items.empty());
  }
}

TEST_CASE("list_cases finds cases by district and by text", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  StoredCase pudong = make_case("parcel_000001");
  pudong.data = {{"district", "pudong"}, {"name", "东方枢纽 B-1 地块"}, {"area_m2", 100}};
  StoredCase qingpu = make_case("parcel_000002");
  qingpu.data = {{"district", "qingpu"}, {"name", "Qingpu 44-01 (50%_off)"}, {"note", "district pudong nearby"}};
  create_case(*store, pudong);
  create_case(*store, qingpu);

  CaseQuery query;
  query.district = "pudong";
  CHECK(ids_of(store->list_cases(query).items) == std::vector<std::string>{"parcel_000001"});
  query.district = "xuhui";
  CHECK(store->list_cases(query).total == 0);

  auto found = [&](const std::string& text) {
    CaseQuery search;
    search.text = text;
    return ids_of(store->list_cases(search).items);
  };
  CHECK(found("东方枢纽") == std::vector<std::string>{"parcel_000001"});
  CHECK(found("QINGPU 44") == std::vector<std::string>{"parcel_000002"});  // ASCII case ignored
  CHECK(found("000002") == std::vector<std::string>{"parcel_000002"});     // the id
  CHECK(found("50%_") == std::vector<std::string>{"parcel_000002"});       // % and _ taken literally
  CHECK(found("5_%").empty());
  CHECK(found("district").size() == 1);  // values only, not the keys of the data
  CHECK(found("100").empty());           // text values only
}

TEST_CASE("cases_by_state counts cases and their time in state", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  create_case(*store, make_case("parcel_000001"));
  create_case(*store, make_case("parcel_000002", "parcel", "registered", instant("2026-03-18T01:30:00Z")));
  create_case(*store, make_case("survey_000001", "survey"));
  StoredCase pudong = make_case("parcel_000003");
  pudong.data = {{"district", "xuhui"}};
  create_case(*store, pudong);

  // A step that moves parcel_000001 to "stored" on 2026-04-01, then one that keeps it there.
  auto transaction = store->begin();
  StoredCase moved = make_case("parcel_000001", "parcel", "stored");
  moved.version = 3;
  REQUIRE(transaction->update_case(moved, 1));
  StoredEvent to_stored = make_event("parcel_000001", 2);
  to_stored.from_state = "registered";
  to_stored.to_state = "stored";
  to_stored.at = instant("2026-04-01T00:00:00Z");
  transaction->append_event(to_stored);
  StoredEvent stays_stored = make_event("parcel_000001", 3);
  stays_stored.from_state = "stored";
  stays_stored.to_state = "stored";
  stays_stored.at = instant("2026-04-20T00:00:00Z");
  transaction->append_event(stays_stored);
  transaction->commit();

  std::vector<StateCount> counts = store->cases_by_state(CaseScope{});
  REQUIRE(counts.size() == 3);
  CHECK(counts.at(0).workflow_id == "parcel");
  CHECK(counts.at(0).state == "registered");
  CHECK(counts.at(0).entered_at.size() == 2);
  CHECK(counts.at(1).state == "stored");
  CHECK(counts.at(1).entered_at == std::vector<Instant>{instant("2026-04-01T00:00:00Z")});
  CHECK(counts.at(2).workflow_id == "survey");

  CaseScope xuhui;
  xuhui.district = "xuhui";
  std::vector<StateCount> scoped = store->cases_by_state(xuhui);
  REQUIRE(scoped.size() == 1);
  CHECK(scoped.at(0).entered_at.size() == 1);
}

TEST_CASE("events_of pages by event id", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  auto transaction = store->begin();
  transaction->insert_case(make_case("parcel_000001"));
  for (int version = 1; version <= 5; ++version)
    transaction->append_event(make_event("parcel_000001", version));
  transaction->commit();

  auto page = store->events_of("parcel_000001", 2, 1);
  CHECK(page.total == 5);
  REQUIRE(page.items.size() == 2);
  CHECK(page.items[0].case_version == 2);
  CHECK(page.items[1].case_version == 3);
  CHECK(store->events_of("parcel_000001", 0, 0).items.empty());
  CHECK(store->events_of("parcel_000001", 10, -1).items.size() == 5);
  CHECK(store->events_of("no_such_case", 10, 0).total == 0);
}

TEST_CASE("save_definition rejects a changed sha256", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  const StoredDefinition parcel_v1{"parcel", 1, "sha-one", "workflows/parcel.yaml",
                                   "id: parcel\nversion: 1\n"};

  CHECK(store->save_definition(parcel_v1));
  CHECK(store->save_definition(parcel_v1));

  StoredDefinition edited = parcel_v1;
  edited.sha256 = "sha-two";
  edited.yaml_text = "id: parcel\nversion: 1\n# edited\n";
  CHECK_FALSE(store->save_definition(edited));

  StoredDefinition parcel_v2 = edited;
  parcel_v2.version = 2;
  CHECK(store->save_definition(parcel_v2));
  CHECK(store->save_definition(StoredDefinition{"audit", 1, "sha-a", "workflows/audit.yaml", "id: audit\n"}));

  auto stored = store->definitions();
  REQUIRE(stored.size() == 3);
  CHECK(stored[0].workflow_id == "audit");
  CHECK(stored[1].workflow_id == "parcel");
  CHECK(stored[1].version == 1);
  CHECK(stored[1].sha256 == "sha-one");
  CHECK(stored[1].yaml_text == parcel_v1.yaml_text);
  CHECK(stored[2].version == 2);
  CHECK(stored[2].source_file == "workflows/parcel.yaml");
}

TEST_CASE("next_case_number is per workflow and transactional", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();

  {
    auto transaction = store->begin();
    CHECK(transaction->next_case_number("parcel") == 1);
    CHECK(transaction->next_case_number("parcel") == 2);
    CHECK(transaction->next_case_number("survey") == 1);
    transaction->commit();
  }
  {
    auto transaction = store->begin();
    CHECK(transaction->next_case_number("parcel") == 3);
  }
  auto transaction = store->begin();
  CHECK(transaction->next_case_number("parcel") == 3);
  CHECK(transaction->next_case_number("survey") == 2);
}

TEST_CASE("concurrent writers on distinct cases all land", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();
  create_case(*store, make_case("parcel_a"));
  create_case(*store, make_case("parcel_b"));
  constexpr int kTransitionsPerWriter = 40;

  auto write_transitions = [&](const std::string& case_id) {
    for (int step = 0; step < kTransitionsPerWriter; ++step) {
      auto transaction = store->begin();
      const StoredCase current = transaction->find_case(case_id).value();
      StoredCase next = current;
      next.version = current.version + 1;
      next.state = fmt::format("step_{}", step);
      transaction->append_event(make_event(case_id, next.version));
      if (!transaction->update_case(next, current.version)) {
        throw std::runtime_error("version changed while this writer held the transaction");
      }
      transaction->commit();
    }
  };
  // Reads on a third thread, concurrent with both writers, must neither fail nor see a torn page.
  auto read_pages = [&] {
    for (int round = 0; round < kTransitionsPerWriter; ++round) {
      if (store->list_cases(CaseQuery{}).total != 2) throw std::runtime_error("list_cases lost a case");
      auto events = store->events_of("parcel_a", 1000, 0);
      if (static_cast<std::int64_t>(events.items.size()) != events.total) {
        throw std::runtime_error("events_of page disagrees with its total");
      }
    }
  };

  auto writer_a = std::async(std::launch::async, write_transitions, std::string("parcel_a"));
  auto writer_b = std::async(std::launch::async, write_transitions, std::string("parcel_b"));
  auto reader = std::async(std::launch::async, read_pages);
  writer_a.get();
  writer_b.get();
  reader.get();

  for (const char* case_id : {"parcel_a", "parcel_b"}) {
    auto stored = store->find_case(case_id);
    REQUIRE(stored);
    CHECK(stored->version == kTransitionsPerWriter + 1);
    CHECK(stored->state == fmt::format("step_{}", kTransitionsPerWriter - 1));
    auto events = store->events_of(case_id, 1000, 0);
    CHECK(events.total == kTransitionsPerWriter + 1);
    for (std::size_t i = 0; i < events.items.size(); ++i) {
      CHECK(events.items[i].case_version == static_cast<std::int64_t>(i) + 1);
    }
  }
}

TEST_CASE("store reads see only committed data", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();

  auto transaction = store->begin();
  transaction->insert_case(make_case("parcel_000001"));
  CHECK(transaction->find_case("parcel_000001"));
  CHECK_FALSE(store->find_case("parcel_000001"));
  CHECK(store->list_cases(CaseQuery{}).total == 0);
  transaction->commit();

  CHECK(store->find_case("parcel_000001"));
}

TEST_CASE("nested begin on one thread throws", "[sqlite]") {
  TempDirectory directory;
  auto store = open_sqlite_store(directory.file("cases.db"));

  auto transaction = store->begin();
  CHECK_THROWS_WITH(store->begin(), Contains("already holds"));
  CHECK_THROWS_AS(store->save_definition(StoredDefinition{"parcel", 1, "sha", "parcel.yaml", ""}),
                  StoreError);
  transaction.reset();

  CHECK(store->begin());
}

TEST_CASE("committed transaction releases the write connection", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();

  auto first = store->begin();
  first->insert_case(make_case("parcel_000001"));
  first->commit();
  auto second = store->begin();
  second->insert_case(make_case("parcel_000002"));
  second->commit();
  CHECK(store->save_definition(StoredDefinition{"parcel", 1, "sha", "parcel.yaml", ""}));

  CHECK(store->list_cases(CaseQuery{}).total == 2);
}

TEST_CASE("committed transaction rejects further statements", "[store]") {
  TestDatabase database;
  auto store = database.open_case_store();

  auto transaction = store->begin();
  transaction->commit();
  CHECK_THROWS_WITH(transaction->insert_case(make_case("parcel_000001")), Contains("already committed"));
  CHECK_THROWS_AS(transaction->commit(), StoreError);
  transaction.reset();
  CHECK_FALSE(store->find_case("parcel_000001"));
}

TEST_CASE("in-memory store shares one connection", "[sqlite]") {
  auto store = open_sqlite_store(":memory:");
  create_case(*store, make_case("parcel_000001"));
  CHECK(store->find_case("parcel_000001"));
  CHECK(store->list_cases(CaseQuery{}).total == 1);

  auto transaction = store->begin();
  CHECK_THROWS_WITH(store->find_case("parcel_000001"), Contains("read through the open transaction"));
  CHECK(transaction->find_case("parcel_000001"));
}

TEST_CASE("newer schema version is rejected", "[store]") {
  TestDatabase database;
  database.open_case_store();
  const int known = sql::case_store_migrations(database.target().backend).back().version;
  RawDatabase(database).execute(
      fmt::format("INSERT INTO schema_migrations (version, name, applied_at) VALUES ({}, 'from the future', "
                  "'2030-01-01T00:00:00Z')",
                  known + 1));

  const std::string expected =
      fmt::format("database schema version {} is newer than this sitecycle supports ({}); upgrade sitecycle",
                  known + 1, known);
  CHECK_THROWS_WITH(database.open_case_store(), Contains(expected));
  CHECK_THROWS_WITH(database.open_case_store(), Contains(database.name_in_messages()));
}

TEST_CASE("open creates missing parent directories", "[sqlite]") {
  TempDirectory directory;
  const std::string path = directory.file("nested/deeper/cases.db");

  auto store = open_sqlite_store(path);
  create_case(*store, make_case("parcel_000001"));
  CHECK(std::filesystem::is_regular_file(path));
}

TEST_CASE("open rejects a directory path", "[sqlite]") {
  TempDirectory directory;
  const std::string path = directory.path().string();

  CHECK_THROWS_AS(open_sqlite_store(path), StoreError);
  CHECK_THROWS_WITH(open_sqlite_store(path), Contains(path));
  CHECK_THROWS_WITH(open_sqlite_store(path), Contains("is a directory"));
}

TEST_CASE("open rejects a non-SQLite file", "[sqlite]") {
  TempDirectory directory;
  const std::string path = directory.file("notes.txt");
  std::ofstream(path)
      << "this is a text file, long enough to fill an SQLite header of one hundred bytes or more "
         "so that SQLite reads it as a database and rejects it\n";

  CHECK_THROWS_AS(open_sqlite_store(path), StoreError);
  CHECK_THROWS_WITH(open_sqlite_store(path), Contains(path));
}

TEST_CASE("open rejects an empty path", "[sqlite]") { CHECK_THROWS_AS(open_sqlite_store(""), StoreError); }

TEST_CASE("unusual file paths open", "[sqlite]") {
  // SOCI 4.0 parses its SQLite connect string as key=value pairs, so '=' and spaces need care.
  for (const char* name : {"site=shanghai/cases.db", "site data/cases.db", "地块/案件.db"}) {
    CAPTURE(name);
    TempDirectory directory;
    const std::string path = directory.file(name);

    create_case(*open_sqlite_store(path), make_case("parcel_000001"));
    CHECK(open_sqlite_store(path)->find_case("parcel_000001"));
    CHECK(std::filesystem::is_regular_file(path));
  }
}

TEST_CASE("path with both '=' and a space is rejected", "[sqlite]") {
  TempDirectory directory;
  const std::string path = directory.file("site data/a=b.db");

  CHECK_THROWS_AS(open_sqlite_store(path), StoreError);
  CHECK_THROWS_WITH(open_sqlite_store(path), Contains(path));
  CHECK_FALSE(std::filesystem::exists(directory.path() / "site data"));
}

TEST_CASE("corrupt cells name the case and column", "[store]") {
  struct Corruption {
    const char* column;
    const char* sql;
  };
  const Corruption corruptions[] = {
      {"cases.data", "UPDATE cases SET data = '{not json'"},
      {"cases.created_at", "UPDATE cases SET created_at = 'yesterday'"},
      {"cases.updated_at", "UPDATE cases SET updated_at = '2026-03-16 01:30'"},
      {"events.effects", "UPDATE events SET effects = '[1,'"},
      {"events.at", "UPDATE events SET at = ''"},
  };

  for (const Corruption& corruption : corruptions) {
    CAPTURE(corruption.column);
    TestDatabase database;
    auto store = database.open_case_store();
    create_case(*store, make_case("parcel_000001"));
    RawDatabase raw(database);
    // A hand edit that bypasses the append-only guard, as an operator with a database shell could.
    raw.execute(database.is_postgresql() ? "DROP TRIGGER events_reject_update ON events"
                                         : "DROP TRIGGER events_reject_update");
    raw.execute(corruption.sql);

    auto read_everything = [&] {
      store->find_case("parcel_000001");
      store->list_cases(CaseQuery{});
      store->events_of("parcel_000001", 10, 0);
    };
    CHECK_THROWS_AS(read_everything(), StoreError);
    CHECK_THROWS_WITH(read_everything(), Contains("parcel_000001"));
    CHECK_THROWS_WITH(read_everything(), Contains(corruption.column));
  }
}
