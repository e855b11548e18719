// sitecycle_load: transitions per second and latency percentiles of sitecycle nodes over HTTP.
//
// It adds a test user to the database, starts --nodes `sitecycle serve` processes on it, creates
// one listing case (名录) per client, and has --clients threads fire update_details on their own
// case --transitions times each, spread over the nodes in turn. No two clients touch one case, so
// every transition should succeed; a failed one is counted and reported. Prints one line of
// JSON. See docs/benchmarks.md.
#include "adapters/api_token.h"
#include "adapters/sql_database.h"
#include "adapters/sql_identity_store.h"
#include "bench/latency_recorder.h"
#include "bench/load/node_process.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

using namespace sitecycle;
using nlohmann::json;
using WallClock = std::chrono::steady_clock;

namespace {

struct LoadOptions {
  std::string binary = SITECYCLE_LOAD_SERVER_BINARY;
  std::string database;
  std::string documents;
  int nodes = 1;
  int clients = 16;
  int transitions = 200;
  int pool = 8;
};

// Adds a city-level bureau and a city_eeb user, and returns the user's bearer token.
std::string add_load_user(const sql::DatabaseTarget& target) {
  SqlIdentityStore identities(std::make_shared<sql::Database>(target));
  const Instant now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  Organisation city;
  city.id = "load_city_eeb";
  city.type = OrganisationType::ecology_bureau;
  city.name = {"市生态环境局（压测）", "City ecology bureau (load test)"};
  city.created_at = now;
  identities.add_organisation(city);
  identities.add_user({"load_user", city.id, "city_eeb", "压测用户", false, now});
  GeneratedToken token = generate_token();
  identities.add_token({token.parts.id, "load_user", token.secret_hash, "load", now, std::nullopt, std::nullopt});
  return token.text;
}

std::unique_ptr<httplib::Client> client_of(int port, const std::string& token) {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port);
  client->set_read_timeout(60, 0);
  client->set_default_headers({{"Authorization", "Bearer " + token}});
  return client;
}

void create_case(httplib::Client& client, const std::string& id) {
  json body = {{"workflow", "listing"},
               {"id", id},
               {"data",
                {{"parcel_name", "压测地块 " + id},
                 {"district", "pudong"},
                 {"target_class", 1},
                 {"risk_control_targets", "阻断暴露途径"}}}};
  httplib::Result created = client.Post("/api/v1/cases", body.dump(), "application/json");
  if (!created || created->status != 201) {
    throw std::runtime_error("creating case " + id + " failed: " + (created ? created->body : "no response"));
  }
}

// Fires update_details on `case_id` once, naming `version` in If-Match. True when it succeeded.
bool fire(httplib::Client& client, const std::string& case_id, std::int64_t version, int sequence) {
  json body = {{"input", {{"source_url", fmt::format("https://example.org/load/{}", sequence)}}}};
  httplib::Headers headers{{"If-Match", fmt::format("\"{}-v{}\"", case_id, version)}};
  httplib::Result fired =
      client.Post("/api/v1/cases/" + case_id + "/transitions/update_details", headers, body.dump(), "application/json");
  return fired && fired->status == 200;
}

int run(const LoadOptions& options) {
  std::optional<sql::DatabaseTarget> target = sql::parse_database_target(options.database);
  if (!target) throw std::runtime_error("--db must be sqlite:PATH or postgresql://...");
  const std::string token = add_load_user(*target);

  std::vector<std::unique_ptr<bench::NodeProcess>> nodes;
  for (int node = 0; node < options.nodes; ++node) {
    nodes.push_back(std::make_unique<bench::NodeProcess>(
        options.binary,
        std::vector<std::string>{"--listen", "127.0.0.1:0", "--db", options.database, "--documents", options.documents,
                                 "--db-pool", std::to_string(options.pool)},
        options.documents + fmt::format("/node{}.log", node)));
  }

  auto setup = client_of(nodes.front()->port(), token);
  for (int index = 0; index < options.clients; ++index) create_case(*setup, fmt::format("load_{:03}", index));

  std::atomic<int> failed{0};
  std::mutex mutex;
  bench::LatencyRecorder latencies(static_cast<std::size_t>(options.clients * options.transitions));
  std::vector<std::thread> threads;
  const auto started = WallClock::now();
  for (int index = 0; index < options.clients; ++index) {
    threads.emplace_back([&, index] {
      auto client = client_of(nodes[static_cast<std::size_t>(index) % nodes.size()]->port(), token);
      const std::string case_id = fmt::format("load_{:03}", index);
      std::int64_t version = 1;  // a new listing case; each success adds one
      for (int sequence = 0; sequence < options.transitions; ++sequence) {
        const auto before = WallClock::now();
        if (fire(*client, case_id, version, sequence)) {
          ++version;
        } else {
          ++failed;
        }
        const auto took = WallClock::now() - before;
        std::lock_guard lock(mutex);
        latencies.record(took);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(WallClock::now() - started).count();
  const int total = options.clients * options.transitions;

  json report = {{"database", target->backend == sql::Backend::sqlite ? "sqlite" : "postgresql"},
                 {"nodes", options.nodes},
                 {"clients", options.clients},
                 {"transitions", total},
                 {"failed", failed.load()},
                 {"seconds", seconds},
                 {"transitions_per_second", (total - failed.load()) / seconds},
                 {"p50_ms", latencies.percentile_microseconds(0.50) / 1000},
                 {"p99_ms", latencies.percentile_microseconds(0.99) / 1000}};
  std::cout << report.dump() << std::endl;
  return failed.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  LoadOptions options;
  CLI::App app{"Transitions per second and latency of sitecycle nodes over HTTP"};
  app.add_option("--server", options.binary, "The sitecycle binary (default: the one built beside this program)");
  app.add_option("--db", options.database, "sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE, empty")->required();
  app.add_option("--documents", options.documents, "A folder for the nodes' documents and logs")->required();
  app.add_option("--nodes", options.nodes, "Server processes (default 1)")->check(CLI::Range(1, 8));
  app.add_option("--clients", options.clients, "Client threads, one case each (default 16)")->check(CLI::Range(1, 256));
  app.add_option("--transitions", options.transitions, "Transitions per client (default 200)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--db-pool", options.pool, "PostgreSQL connections per node (default 8)")->check(CLI::Range(1, 512));
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::cerr << "sitecycle_load: " << error.what() << '\n';
    return 2;
  }
}
