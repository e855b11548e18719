#include "cli_process.h"
#include "server_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>

using namespace sitecycle::testing;
using Catch::Matchers::Contains;

namespace {

// Sends one HTTP/1.1 GET over a plain socket, with a Bearer token unless `token` is empty,
// and returns the response body.
std::string http_get(int port, const std::string& target, const std::string& token = "") {
  int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(socket_fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);

  std::string authorization = token.empty() ? "" : "Authorization: Bearer " + token + "\r\n";
  std::string request =
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization + "Connection: close\r\n\r\n";
  REQUIRE(send(socket_fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string response;
  char buffer[4096];
  for (ssize_t received; (received = recv(socket_fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, received);
  close(socket_fd);

  auto body = response.find("\r\n\r\n");
  REQUIRE(body != std::string::npos);
  REQUIRE(response.rfind("HTTP/1.1 200", 0) == 0);
  return response.substr(body + 4);
}

std::int64_t parcel_total(int port, const std::string& token) {
  return nlohmann::json::parse(http_get(port, "/api/v1/cases?workflow=parcel", token))["total"].get<std::int64_t>();
}

// The demo tokens file of a server, by user id.
nlohmann::json demo_tokens(const std::filesystem::path& folder) {
  std::ifstream stream(folder / "demo-tokens.json");
  REQUIRE(stream);
  return nlohmann::json::parse(stream).at("users");
}

}  // namespace

TEST_CASE("serve demo lists the example parcels", "[cli][serve]") {
  TemporaryDirectory directory;
  std::string database = "sqlite:" + (directory.path() / "demo.db").string();
  std::int64_t first_total = 0;
  std::string city_token;
  {
    ServerProcess server({"--listen", "127.0.0.1:0", "--db", database, "--demo"});
    std::string line = server.first_line();
    REQUIRE(line.rfind("listening on http://127.0.0.1:", 0) == 0);
    int port = port_of(line);

    nlohmann::json health = nlohmann::json::parse(http_get(port, "/api/v1/health"));
    CHECK(health["status"] == "ok");
    city_token = demo_tokens(directory.path()).at("demo_city_eeb").at("token").get<std::string>();
    first_total = parcel_total(port, city_token);
    CHECK(first_total == 6);
    nlohmann::json parcel =
        nlohmann::json::parse(http_get(port, "/api/v1/cases/jiading_beihongqiao_84_01b", city_token));
    CHECK(parcel["state"] == "supply_preparation");
    CHECK(server.stop() == 0);
  }

  SECTION("the demo tokens file is private and names a user for every role") {
    auto permissions = std::filesystem::status(directory.path() / "demo-tokens.json").permissions();
    CHECK(permissions == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    nlohmann::json users = demo_tokens(directory.path());
    for (const char* user : {"demo_city_eeb", "demo_district_eeb", "demo_consultant", "demo_consultant_b",
                             "demo_land_bureau", "demo_remediation_contractor", "demo_effect_evaluator"}) {
      INFO(user);
      CHECK(users.contains(user));
    }
  }
  SECTION("a second start adds no demo data and keeps the tokens") {
    ServerProcess again({"--listen", "127.0.0.1:0", "--db", database, "--demo"});
    int port = port_of(again.first_line());
    CHECK(parcel_total(port, city_token) == first_total);
    CHECK(demo_tokens(directory.path()).at("demo_city_eeb").at("token") == city_token);
  }
}

TEST_CASE("serve refuses broken workflows and bad options", "[cli][serve]") {
  TemporaryDirectory directory;
  std::filesystem::path folder = directory.path() / "workflows";
  std::filesystem::create_directories(folder);
  std::filesystem::copy_file(std::filesystem::path(SITECYCLE_SOURCE_DIR) / "workflows/roles.yaml", folder / "roles.yaml");
  std::ofstream(folder / "parcel.yaml") << "id: parcel\nversion: one\n";
  std::string database = "sqlite:" + (directory.path() / "x.db").string();

  CommandResult broken = run_sitecycle(fmt::format("serve --listen 127.0.0.1:0 --db '{}' --workflows '{}' --lang en", database, folder.string()));
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.find("parcel.yaml:2:10: version: found \"one\", expected an integer") != std::string::npos);

  CHECK(run_sitecycle(fmt::format("serve --listen 0.0.0.0:0 --db '{}'", database)).exit_code == 2);
  // A refused address or examples folder leaves no database behind.
  CHECK_FALSE(std::filesystem::exists(directory.path() / "x.db"));
  CommandResult no_examples =
      run_sitecycle(fmt::format("serve --listen 127.0.0.1:0 --db '{}' --demo --examples /nonexistent --lang en", database));
  CHECK(no_examples.exit_code == 2);
  CHECK(no_examples.err.find("the examples folder /nonexistent does not exist") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(directory.path() / "x.db"));
  CHECK(run_sitecycle(fmt::format("serve --listen 127.0.0.1:99999 --db '{}'", database)).exit_code == 2);
  // PostgreSQL needs a documents folder that every node shares.
  CommandResult no_documents = run_sitecycle("serve --listen 127.0.0.1:0 --db postgresql://localhost/x --lang en");
  CHECK(no_documents.exit_code == 2);
  CHECK_THAT(no_documents.err, Contains("--documents"));
  // A mistyped scheme is refused without printing the password.
  CommandResult mistyped = run_sitecycle("serve --listen 127.0.0.1:0 --db postgresq://ops:s3cret@localhost/x --lang en");
  CHECK(mistyped.exit_code == 2);
  CHECK_THAT(mistyped.err, Contains("postgresq://ops:***@localhost/x"));
  CHECK_THAT(mistyped.err, !Contains("s3cret"));
  CHECK(run_sitecycle(fmt::format("serve --listen 127.0.0.1:0 --db '{}' --now tomorrow", database)).exit_code == 2);
}

namespace {

// How many events of each deadline kind the case has, read over HTTP.
std::map<std::string, int> deadline_event_counts(int port, const std::string& case_id, const std::string& token) {
  std::map<std::string, int> counts;
  nlohmann::json events =
      nlohmann::json::parse(http_get(port, "/api/v1/cases/" + case_id + "/events?limit=500", token));
  for (const auto& event : events["items"]) {
    std::string kind = event["kind"];
    if (kind.rfind("deadline_", 0) == 0) ++counts[kind];
  }
  return counts;
}

// Adds a city-level bureau and a supervisor to `database` with the CLI and returns a token.
std::string city_supervisor_token(const std::string& database) {
  REQUIRE(run_sitecycle(fmt::format("orgs add --db '{}' --id city_eeb --type ecology_bureau --name-zh 市生态环境局 "
                                    "--name-en 'City bureau'",
                                    database))
              .exit_code == 0);
  REQUIRE(run_sitecycle(fmt::format("users add --db '{}' --id supervisor --org city_eeb --role city_eeb", database))
              .exit_code == 0);
  CommandResult issued = run_sitecycle(fmt::format("tokens issue --db '{}' --user supervisor", database));
  REQUIRE(issued.exit_code == 0);
  return issued.out.substr(0, issued.out.find('\n'));
}

}  // namespace

TEST_CASE("serve fires what fell due once across restarts", "[cli][serve][deadline]") {
  TemporaryDirectory directory;
  std::string database = "sqlite:" + (directory.path() / "deadlines.db").string();
  CommandResult loaded = run_sitecycle(fmt::format("replay tests/scenarios/review_started.yaml --db '{}'", database));
  INFO(loaded.err);
  REQUIRE(loaded.exit_code == 0);
  std::string token = city_supervisor_token(database);
  const std::map<std::string, int> once{{"deadline_breached", 1}, {"deadline_escalated", 1}, {"deadline_warning", 1}};

  {
    // Down since the review started: the warning (10-13), the breach (end of 10-16) and the
    // escalation (end of 10-23) all fell due before this start.
    ServerProcess server({"--listen", "127.0.0.1:0", "--db", database, "--now", "2026-10-26T09:00:00+08:00"});
    int port = port_of(server.first_line());
    std::map<std::string, int> counts;
    // The timer fires at start; the loop only bounds the wait on a slow machine.
    for (int attempt = 0; attempt < 100 && counts != once; ++attempt) {
      counts = deadline_event_counts(port, "test_served_review", token);
      if (counts != once) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(counts == once);
    nlohmann::json overdue = nlohmann::json::parse(http_get(port, "/api/v1/deadlines?status=escalated", token));
    CHECK(overdue["total"] == 1);
    CHECK(server.stop() == 0);
  }

  ServerProcess again({"--listen", "127.0.0.1:0", "--db", database, "--now", "2026-10-27T09:00:00+08:00"});
  int port = port_of(again.first_line());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(deadline_event_counts(port, "test_served_review", token) == once);
}
