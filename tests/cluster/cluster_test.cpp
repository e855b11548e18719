// Two sitecycle server processes on one PostgreSQL database, as behind a load balancer:
// conflicting transitions from 32 clients, 10,000 deadlines falling due on both nodes at once,
// and a PostgreSQL restart in the middle of a load. ctest runs these on the server that
// ./test.sh starts.
#include "adapters/clock.h"
#include "adapters/sql_case_store.h"
#include "adapters/sql_identity_store.h"
#include "server_process.h"
#include "test_database.h"
#include "test_identities.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace sitecycle;
using namespace sitecycle::testing;
using nlohmann::json;
using WallClock = std::chrono::steady_clock;

namespace {

constexpr const char* kRole = "city_eeb";

Instant at(std::string_view text) {
  std::optional<Instant> parsed = parse_instant(text);
  if (!parsed) throw std::invalid_argument(fmt::format("bad instant in test: {}", text));
  return *parsed;
}

// Two nodes serving one database, each with a pool of 4 connections, and a city-level user with
// the city_eeb role (see test_identities.h).
class TwoNodes {
 public:
  explicit TwoNodes(const TestDatabase& database, const std::string& now = "") : database_(database) {
    REQUIRE(database.is_postgresql());
    Organisation city;
    city.id = kTestOrganisation;
    city.type = OrganisationType::ecology_bureau;
    city.name = {"市生态环境局（测试）", "City ecology bureau (test)"};
    city.created_at = at("2026-01-01T00:00:00Z");
    SqlIdentityStore identities(database.open());
    add_test_users(identities, city, {kRole});
    start(now);
  }

  // Starts both nodes at once, so that they also race through start-up (migrations, workflow
  // definitions).
  void start(const std::string& now) {
    std::vector<std::string> arguments{"--listen", "127.0.0.1:0", "--db", database_.target().location,
                                       "--documents", documents_.file("documents"), "--db-pool", "4"};
    if (!now.empty()) {
      arguments.push_back("--now");
      arguments.push_back(now);
    }
    for (int node = 0; node < 2; ++node) {
      nodes_.push_back(std::make_unique<ServerProcess>(arguments, documents_.file(fmt::format("node{}.log", node))));
    }
    ports_.clear();
    for (auto& node : nodes_) {
      std::string line = node->first_line();
      INFO("a node did not start; its log is in " << documents_.path());
      REQUIRE(line.rfind("listening on http://127.0.0.1:", 0) == 0);
      ports_.push_back(port_of(line));
    }
  }

  void stop() {
    for (auto& node : nodes_) CHECK(node->stop() == 0);
    nodes_.clear();
  }

  int port(std::size_t node) const { return ports_.at(node); }

  // A keep-alive client of a node, signed in as the city_eeb test user.
  std::unique_ptr<httplib::Client> client(std::size_t node) const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port(node));
    client->set_read_timeout(60, 0);
    client->set_default_headers({{"Authorization", actor_headers(kRole).at("authorization")}});
    return client;
  }

  // Creates a listing case (名录) through node 0; its risk-control report clock starts at once.
  void create_listing(const std::string& id) const {
    json body = {{"workflow", "listing"},
                 {"id", id},
                 {"data",
                  {{"parcel_name", "测试地块 " + id},
                   {"district", "pudong"},
                   {"target_class", 1},
                   {"risk_control_targets", "阻断暴露途径"}}}};
    httplib::Result created = client(0)->Post("/api/v1/cases", body.dump(), "application/json");
    REQUIRE(created);
    INFO(created->body);
    REQUIRE(created->status == 201);
  }

 private:
  const TestDatabase& database_;
  TempDirectory documents_;
  std::vector<std::unique_ptr<ServerProcess>> nodes_;
  std::vector<int> ports_;
};

// A transition the server acknowledged: the case reached `version` with `source_url` as input.
struct Acknowledged {
  std::string case_id;
  std::int64_t version = 0;
  std::string source_url;
};

// What the clients saw.
struct LoadReport {
  std::vector<Acknowledged> acknowledged;
  std::map<int, int> statuses;  // HTTP status (0: no response) -> count
};

// Clients that fire update_details on `cases` through both nodes, each naming the version it
// read in If-Match, until each made `attempts` attempts or `deadline` passed. Several clients
// read the same version, so most attempts conflict.
LoadReport run_clients(const TwoNodes& nodes, const std::vector<std::string>& cases, int clients, int attempts,
                       WallClock::time_point deadline) {
  LoadReport report;
  std::mutex mutex;
  std::vector<std::thread> threads;
  for (int index = 0; index < clients; ++index) {
    threads.emplace_back([&, index] {
      auto client = nodes.client(static_cast<std::size_t>(index % 2));
      for (int attempt = 0; attempt < attempts && WallClock::now() < deadline; ++attempt) {
        const std::string& case_id = cases[static_cast<std::size_t>(attempt + index) % cases.size()];
        httplib::Result read = client->Get("/api/v1/cases/" + case_id);
        if (!read || read->status != 200) {
          std::lock_guard lock(mutex);
          ++report.statuses[read ? read->status : 0];
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          continue;
        }
        const std::int64_t version = json::parse(read->body).at("version").get<std::int64_t>();
        const std::string source_url = fmt::format("https://example.org/client{}/attempt{}", index, attempt);
        json body = {{"input", {{"source_url", source_url}}}};
        httplib::Headers headers{{"If-Match", fmt::format("\"{}-v{}\"", case_id, version)}};
        httplib::Result fired = client->Post("/api/v1/cases/" + case_id + "/transitions/update_details", headers,
                                             body.dump(), "application/json");
        std::lock_guard lock(mutex);
        ++report.statuses[fired ? fired->status : 0];
        if (fired && fired->status == 200) {
          report.acknowledged.push_back({case_id, json::parse(fired->body).at("version").get<std::int64_t>(), source_url});
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return report;
}

// Checks that every case's events carry versions 1, 2, 3 ... in event-id order, and that every
// acknowledged transition is stored with its input.
void check_history(SqlCaseStore& store, const std::vector<std::string>& cases, const LoadReport& report) {
  std::map<std::pair<std::string, std::int64_t>, std::string> stored_inputs;
  for (const std::string& case_id : cases) {
    Page<StoredEvent> events = store.events_of(case_id, 100000, 0);
    CAPTURE(case_id);
    REQUIRE(events.total == static_cast<std::int64_t>(events.items.size()));
    std::int64_t expected_version = 1;
    std::int64_t previous_id = 0;
    for (const StoredEvent& event : events.items) {
      CHECK(event.case_version == expected_version);
      CHECK(event.id > previous_id);
      ++expected_version;
      previous_id = event.id;
      if (event.transition == "update_details") {
        stored_inputs[{case_id, event.case_version}] = event.input.value("source_url", "");
      }
    }
    CHECK(store.find_case(case_id)->version == expected_version - 1);
  }
  for (const Acknowledged& acknowledged : report.acknowledged) {
    CAPTURE(acknowledged.case_id, acknowledged.version);
    auto found = stored_inputs.find({acknowledged.case_id, acknowledged.version});
    REQUIRE(found != stored_inputs.end());
    CHECK(found->second == acknowledged.source_url);
  }
}

}  // namespace

TEST_CASE("two nodes lose no update to conflicting transitions", "[cluster]") {
  TestDatabase database;
  TwoNodes nodes(database);
  const std::vector<std::string> cases{"race_a", "race_b", "race_c", "race_d"};
  for (const std::string& id : cases) nodes.create_listing(id);

  LoadReport report = run_clients(nodes, cases, 32, 25, WallClock::now() + std::chrono::seconds(120));
  nodes.stop();

  INFO("statuses: " << json(report.statuses).dump());
  CHECK(report.statuses[0] == 0);
  CHECK(report.statuses[500] == 0);
  CHECK(report.statuses[503] == 0);
  CHECK(report.acknowledged.size() >= cases.size());
  // Every other response is a lost race: 412 for a version already gone, 409 for a write that
  // lost after reading the same version.
  CHECK(report.statuses[200] + report.statuses[409] + report.statuses[412] == 32 * 25);
  check_history(*database.open_case_store(), cases, report);
}

TEST_CASE("two nodes fire 10000 due deadlines once each", "[cluster]") {
  TestDatabase database;
  constexpr int kCases = 100;
  constexpr int kCyclesPerCase = 100;
  std::vector<std::string> cases;
  {
    // Listed on 5 January 2026: each case's risk-control report falls due six months later.
    TwoNodes nodes(database, "2026-01-05T09:00:00+08:00");
    for (int index = 0; index < kCases; ++index) {
      cases.push_back(fmt::format("due_{:03}", index));
      nodes.create_listing(cases.back());
    }
    nodes.stop();
  }

  // Copies each case's clock into 99 more cycles, so 10,000 clocks fall due together.
  auto store = database.open_case_store();
  {
    auto transaction = store->begin();
    for (const std::string& case_id : cases) {
      std::vector<DeadlineRecord> records = transaction->deadlines_of(case_id);
      REQUIRE(records.size() == 1);
      for (int cycle = 2; cycle <= kCyclesPerCase; ++cycle) {
        DeadlineRecord copy = records.front();
        copy.cycle = cycle;
        transaction->insert_deadline(copy);
      }
    }
    transaction->commit();
  }
  REQUIRE(store->list_deadlines(DeadlineQuery{}).total == kCases * kCyclesPerCase);

  // A year later both nodes start, and both schedulers find all 10,000 due.
  TwoNodes later(database, "2027-01-05T09:00:00+08:00");
  const Instant started = at("2027-01-05T01:00:00Z");
  auto deadline = WallClock::now() + std::chrono::seconds(600);
  while (WallClock::now() < deadline) {
    std::optional<Instant> next = store->next_deadline_fire_at();
    if (!next || *next > started + std::chrono::hours(24)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  later.stop();

  std::unique_ptr<soci::session> raw = database.raw_session();
  long long repeated = -1;
  *raw << "SELECT COUNT(*) FROM (SELECT CAST(input AS jsonb) ->> 'deadline_id', kind,"
          " CAST(input AS jsonb) ->> 'escalation_level' FROM events WHERE kind LIKE 'deadline_%'"
          " GROUP BY 1, 2, 3 HAVING COUNT(*) > 1) AS repeats",
      soci::into(repeated);
  CHECK(repeated == 0);
  long long breached = 0;
  *raw << "SELECT COUNT(DISTINCT CAST(input AS jsonb) ->> 'deadline_id') FROM events"
          " WHERE kind = 'deadline_breached'",
      soci::into(breached);
  CHECK(breached == kCases * kCyclesPerCase);
  check_history(*store, cases, LoadReport{});
}

TEST_CASE("two nodes recover from a PostgreSQL restart under load", "[cluster][restart]") {
  const char* restart = std::getenv("SITECYCLE_TEST_POSTGRESQL_RESTART");
  REQUIRE(restart != nullptr);
  TestDatabase database;
  TwoNodes nodes(database);
  const std::vector<std::string> cases{"restart_a", "restart_b", "restart_c", "restart_d"};
  for (const std::string& id : cases) nodes.create_listing(id);

  std::atomic<int> restart_status{-1};
  std::thread restarter([&] {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    restart_status = std::system(restart);
  });
  LoadReport during = run_clients(nodes, cases, 8, 400, WallClock::now() + std::chrono::seconds(12));
  restarter.join();
  REQUIRE(restart_status == 0);

  // Without manual action, both nodes serve requests again once the server is back.
  LoadReport after = run_clients(nodes, cases, 8, 4, WallClock::now() + std::chrono::seconds(60));
  nodes.stop();
  INFO("during: " << json(during.statuses).dump() << " after: " << json(after.statuses).dump());
  CHECK(during.statuses[500] == 0);
  CHECK(after.statuses[0] + after.statuses[500] + after.statuses[503] == 0);
  CHECK(after.acknowledged.size() > 0);

  LoadReport all = during;
  all.acknowledged.insert(all.acknowledged.end(), after.acknowledged.begin(), after.acknowledged.end());
  check_history(*database.open_case_store(), cases, all);
}
