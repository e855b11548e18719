#include "api/http/http_server.h"

#include "api/http/api_router.h"
#include "adapters/workflow_files.h"
#include "api_fixture.h"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace sitecycle;
using namespace sitecycle::http;
using nlohmann::json;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

namespace {

// A plain TCP client on 127.0.0.1, for what an HTTP library will not send: nothing at all,
// half a request, or garbage.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (socket_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("connect() to 127.0.0.1 failed");
    }
  }
  ~RawClient() { ::close(socket_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(const std::string& data) const {
    std::size_t sent = 0;
    while (sent < data.size()) {
      ssize_t written = ::send(socket_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (written <= 0) throw std::runtime_error("send() failed");
      sent += static_cast<std::size_t>(written);
    }
  }

  // Everything received until the server closes the connection, `expected` has arrived, or
  // `timeout` passes.
  std::string receive(milliseconds timeout, const std::string& expected = {}) const {
    std::string received;
    auto deadline = SteadyClock::now() + timeout;
    while (SteadyClock::now() < deadline) {
      if (!expected.empty() && received.find(expected) != std::string::npos) break;
      auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - SteadyClock::now());
      timeval wait{static_cast<time_t>(left.count() / 1'000'000),
                   static_cast<suseconds_t>(left.count() % 1'000'000)};
      ::setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
      char buffer[4096];
      ssize_t count = ::recv(socket_, buffer, sizeof buffer, 0);
      if (count <= 0) {
        closed_ = count == 0;
        break;
      }
      received.append(buffer, static_cast<std::size_t>(count));
    }
    return received;
  }

  // Whether the last receive() ended because the server closed the connection.
  bool closed_by_server() const { return closed_; }

 private:
  int socket_;
  mutable bool closed_ = false;
};

HttpServerOptions test_options() {
  HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  return options;
}

HttpResponse echo(const HttpRequest& request) {
  json query = json::object();
  for (const auto& [name, value] : request.query) query[name] = value;
  json headers = json::object();
  for (const auto& [name, value] : request.headers) headers[name] = value;
  HttpResponse response;
  response.status = 200;
  response.set_header("Content-Type", "application/json");
  response.body = json{{"method", request.method}, {"path", request.path}, {"query", query},
                       {"headers", headers}, {"body", request.body}}
                      .dump();
  return response;
}

// The API of tests/data/api served on a free loopback port, over a store in a fresh directory.
// The headers of the test user holding `role`, for the socket client.
httplib::Headers socket_headers(const std::string& role) {
  testing::Headers headers = testing::actor_headers(role);
  return httplib::Headers(headers.begin(), headers.end());
}

struct ServedApi {
  explicit ServedApi(HttpServerOptions options, ApiSettings settings = {})
      : store(open_sqlite_store(directory.file("cases.db"))),
        side(directory.file("cases.db"), directory.path() / "documents"),
        service(testing::api_registry(), *store),
        clock(testing::test_start_instant()),
        router({service, side.identities, side.idempotency, side.webhooks, side.documents, clock}, settings),
        server([this](const HttpRequest& request) { return router.handle(request); }, std::move(options),
               router.upload_rules()) {
    testing::add_test_users(side.identities, testing::test_city_bureau(clock.now().instant),
                            testing::test_roles(service.registry()));
    port = server.start();
  }

  testing::TempDirectory directory;
  std::unique_ptr<SqlCaseStore> store;
  testing::ApiSideStores side;
  CaseService service;
  ManualClock clock;
  ApiRouter router;
  HttpServer server;
  std::uint16_t port = 0;
};

// The message start() throws, or "" when the server starts.
std::string start_failure(HttpServer& server) {
  try {
    server.start();
    return "";
  } catch (const HttpServerError& error) {
    return error.what();
  }
}

int count_of(const std::string& text, const std::string& part) {
  int count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

}  // namespace

TEST_CASE("server passes requests to the handler", "[api]") {
  HttpServer server(echo, test_options());
  std::uint16_t port = server.start();
  REQUIRE(port != 0);

  httplib::Client client("127.0.0.1", port);
  auto result = client.Post("/api/v1/things?name=%E5%9C%B0%E5%9D%97&x=1",
                            httplib::Headers{{"X-Request-Note", "land_bureau"}}, "{\"a\":1}",
                            "application/json");
  REQUIRE(result);
  CHECK(result->status == 200);
  json body = json::parse(result->body);
  CHECK(body.at("method") == "POST");
  CHECK(body.at("path") == "/api/v1/things");
  CHECK(body.at("query") == json{{"name", "地块"}, {"x", "1"}});
  CHECK(body.at("headers").at("x-request-note") == "land_bureau");
  CHECK(body.at("body") == "{\"a\":1}");
  server.stop();
}

TEST_CASE("concurrent clients are all served", "[api]") {
  ServedApi api(test_options());
  std::uint16_t port = api.port;

  constexpr int kClients = 6;
  constexpr int kCasesEach = 4;
  std::atomic<int> created{0};
  std::vector<std::thread> clients;
  for (int client_index = 0; client_index < kClients; ++client_index) {
    clients.emplace_back([&created, port, client_index] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(20, 0);
      for (int i = 0; i < kCasesEach; ++i) {
        json body{{"workflow", "site"},
                  {"id", "site_c" + std::to_string(client_index) + "_" + std::to_string(i)},
                  {"data", {{"name", "并发地块"}, {"planned_class", 1}}}};
        auto result = client.Post("/api/v1/cases", socket_headers("land_bureau"),
                                  body.dump(), "application/json");
        if (result && result->status == 201) ++created;
      }
    });
  }
  for (std::thread& client : clients) client.join();

  CHECK(created == kClients * kCasesEach);
  httplib::Client reader("127.0.0.1", port);
  auto listed = reader.Get("/api/v1/cases?limit=1", socket_headers("land_bureau"));
  REQUIRE(listed);
  CHECK(json::parse(listed->body).at("total") == kClients * kCasesEach);
}

TEST_CASE("server serves the API end to end", "[api]") {
  HttpServerOptions options = test_options();
  options.body_limit = 4096;
  ServedApi api(options);
  httplib::Client client("127.0.0.1", api.port);
  client.set_read_timeout(10, 0);

  auto health = client.Get("/api/v1/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(json::parse(health->body) == json{{"status", "ok"}});

  httplib::Headers actor = socket_headers("land_bureau");
  actor.emplace("Accept-Language", "en");
  json create{{"workflow", "site"}, {"id", "site_http"}, {"data", {{"name", "网络地块"}, {"planned_class", 1}}}};
  auto created = client.Post("/api/v1/cases", actor, create.dump(), "application/json");
  REQUIRE(created);
  CHECK(created->status == 201);
  CHECK(created->get_header_value("Location") == "/api/v1/cases/site_http");
  CHECK(created->get_header_value("Content-Language") == "en");
  CHECK(json::parse(created->body).at("data").at("name") == "网络地块");

  auto fired = client.Post("/api/v1/cases/site_http/transitions/propose_supply", actor, "", "application/json");
  REQUIRE(fired);
  CHECK(fired->status == 200);
  CHECK(json::parse(fired->body).at("state") == "supply_proposed");

  SECTION("body over the limit answers 413 and the case is unchanged") {
    json big{{"input", {{"remark", std::string(8000, 'x')}}}};
    auto rejected = client.Post("/api/v1/cases/site_http/transitions/add_remark", actor, big.dump(),
                                "application/json");
    REQUIRE(rejected);
    CHECK(rejected->status == 413);
    CHECK(rejected->get_header_value("Content-Type") == "application/problem+json");
    CHECK(json::parse(rejected->body).at("code") == "payload_too_large");
    CHECK(api.store->find_case("site_http")->version == 2);
  }
  SECTION("errors keep the server serving") {
    auto unknown = client.Get("/api/v1/nothing");
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    auto missing_token = client.Post("/api/v1/cases", create.dump(), "application/json");
    REQUIRE(missing_token);
    CHECK(missing_token->status == 401);
    CHECK(missing_token->get_header_value("WWW-Authenticate") == "Bearer realm=\"sitecycle\"");
    CHECK(json::parse(missing_token->body).at("detail").get<std::string>().find("Authorization: Bearer") !=
          std::string::npos);
    auto wrong_method = client.Delete("/api/v1/cases");
    REQUIRE(wrong_method);
    CHECK(wrong_method->status == 405);
    CHECK(wrong_method->get_header_value("Allow") == "GET, POST");
  }

  auto events = client.Get("/api/v1/cases/site_http/events", actor);
  REQUIRE(events);
  CHECK(json::parse(events->body).at("total") == 2);
}

TEST_CASE("non-loopback hosts are refused", "[api]") {
  for (const char* host : {"0.0.0.0", "192.168.1.10", "::", "example.com"}) {
    INFO(host);
    HttpServerOptions options = test_options();
    options.host = host;
    HttpServer server(echo, options);
    std::string message = start_failure(server);
    CHECK(message.find(std::string("\"") + host + "\"") != std::string::npos);
    CHECK(message.find("--listen 127.0.0.1:8080") != std::string::npos);
  }
}

TEST_CASE("loopback hosts are accepted", "[api]") {
  for (const char* host : {"localhost", "127.0.0.1", "127.0.0.2"}) {
    INFO(host);
    HttpServerOptions options = test_options();
    options.host = host;
    HttpServer server(echo, options);
    CHECK(server.start() != 0);
    server.stop();
  }
}

TEST_CASE("invalid options and a second start are refused", "[api]") {
  HttpServerOptions no_threads = test_options();
  no_threads.threads = 0;
  CHECK_THROWS_AS(HttpServer(echo, no_threads).start(), HttpServerError);

  HttpServerOptions no_timeout = test_options();
  no_timeout.read_timeout = milliseconds{0};
  CHECK_THROWS_AS(HttpServer(echo, no_timeout).start(), HttpServerError);

  HttpServer server(echo, test_options());
  std::uint16_t port = server.start();
  CHECK_THROWS_AS(server.start(), HttpServerError);

  HttpServerOptions same_port = test_options();
  same_port.port = port;
  HttpServer second(echo, same_port);
  CHECK(start_failure(second).find(std::to_string(port)) != std::string::npos);
}

TEST_CASE("silent and slow clients do not block others", "[api]") {
  HttpServerOptions options = test_options();
  options.threads = 1;
  HttpServer server(echo, options);
  std::uint16_t port = server.start();

  RawClient silent(port);
  RawClient half_request(port);
  half_request.send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Partial: ");

  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(5, 0);
  auto started = SteadyClock::now();
  auto result = client.Get("/api/v1/health");
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(SteadyClock::now() - started < std::chrono::seconds{2});
  server.stop();
}

TEST_CASE("idle connections close after the idle timeout", "[api]") {
  HttpServerOptions options = test_options();
  options.idle_timeout = milliseconds{200};
  HttpServer server(echo, options);
  RawClient silent(server.start());

  auto started = SteadyClock::now();
  silent.receive(milliseconds{5000});
  CHECK(silent.closed_by_server());
  CHECK(SteadyClock::now() - started < milliseconds{3000});
}

TEST_CASE("an unfinished request closes after the read timeout", "[api]") {
  HttpServerOptions options = test_options();
  options.read_timeout = milliseconds{300};
  HttpServer server(echo, options);
  RawClient slow(server.start());
  slow.send("POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"a\"");

  auto started = SteadyClock::now();
  std::string received = slow.receive(milliseconds{5000});
  CHECK(slow.closed_by_server());
  CHECK(received.empty());
  CHECK(SteadyClock::now() - started < milliseconds{3000});
}

TEST_CASE("malformed requests answer 400 problems", "[api]") {
  HttpServer server(echo, test_options());
  std::uint16_t port = server.start();

  SECTION("garbage request line") {
    RawClient client(port);
    client.send("HELLO THERE\r\n\r\n");
    std::string received = client.receive(milliseconds{5000});
    CHECK(received.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(received.find("application/problem+json") != std::string::npos);
    CHECK(received.find("\"code\":\"bad_request\"") != std::string::npos);
  }
  SECTION("header over 8 KiB") {
    RawClient client(port);
    client.send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(9000, 'a') +
                "\r\n\r\n");
    std::string received = client.receive(milliseconds{5000});
    CHECK(received.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(received.find("8192") != std::string::npos);
  }
  SECTION("declared body over the limit") {
    RawClient client(port);
    client.send("POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: en\r\n"
                "Content-Length: 5000000\r\n\r\n{");
    std::string received = client.receive(milliseconds{5000});
    CHECK(received.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(received.find("1048576 bytes") != std::string::npos);
  }

  httplib::Client healthy("127.0.0.1", port);
  auto result = healthy.Get("/still/serving");
  REQUIRE(result);
  CHECK(result->status == 200);
}

TEST_CASE("keep-alive serves several requests on one connection", "[api]") {
  HttpServer server(echo, test_options());
  RawClient client(server.start());
  client.send("GET /first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /second HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  std::string received = client.receive(milliseconds{5000}, "/second");
  CHECK(count_of(received, "HTTP/1.1 200 OK") == 2);
  CHECK_FALSE(client.closed_by_server());

  client.send("GET /last HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  std::string last = client.receive(milliseconds{5000});
  CHECK(last.find("/last") != std::string::npos);
  CHECK(client.closed_by_server());
}

TEST_CASE("HEAD answers like GET without a body", "[api]") {
  HttpServer server(echo, test_options());
  RawClient client(server.start());
  client.send("HEAD /first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /second HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  std::string received = client.receive(milliseconds{5000}, "/second");

  // The HEAD response ends at its blank line, so the next bytes are the GET response.
  std::size_t head_end = received.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  CHECK(received.rfind("HTTP/1.1 200 OK", 0) == 0);
  CHECK(received.substr(head_end + 4).rfind("HTTP/1.1 200 OK", 0) == 0);
  CHECK(received.substr(0, head_end).find("Content-Length: 0") == std::string::npos);
  CHECK(received.find("\"method\":\"GET\",\"path\":\"/first\"") == std::string::npos);
}

TEST_CASE("Expect 100-continue gets an interim response", "[api]") {
  HttpServer server(echo, test_options());
  RawClient client(server.start());
  client.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  CHECK(client.receive(milliseconds{5000}, "\r\n\r\n").rfind("HTTP/1.1 100 Continue", 0) == 0);
  client.send("abcd");
  std::string received = client.receive(milliseconds{5000}, "abcd");
  CHECK(received.rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("handler exceptions answer 500 and the server keeps serving", "[api]") {
  HttpServer server(
      [](const HttpRequest& request) -> HttpResponse {
        if (request.path == "/throw") throw std::runtime_error("secret internal detail");
        return echo(request);
      },
      test_options());
  httplib::Client client("127.0.0.1", server.start());

  auto failed = client.Get("/throw");
  REQUIRE(failed);
  CHECK(failed->status == 500);
  CHECK(failed->body.find("secret") == std::string::npos);
  CHECK(json::parse(failed->body).at("code") == "internal");
  auto served = client.Get("/fine");
  REQUIRE(served);
  CHECK(served->status == 200);
}

TEST_CASE("stop closes open connections promptly", "[api]") {
  HttpServer server(echo, test_options());
  std::uint16_t port = server.start();
  RawClient idle(port);
  RawClient partial(port);
  partial.send("GET /api/v1/health HTTP/1.1\r\n");
  httplib::Client client("127.0.0.1", port);
  REQUIRE(client.Get("/accepted"));  // the connections above were accepted before this one

  auto started = SteadyClock::now();
  server.stop();
  CHECK(SteadyClock::now() - started < milliseconds{3000});
  idle.receive(milliseconds{2000});
  CHECK(idle.closed_by_server());
  CHECK_THROWS(RawClient(port));
}

TEST_CASE("wait returns after a stop requested elsewhere", "[api]") {
  HttpServer server(echo, test_options());
  std::uint16_t port = server.start();
  std::thread stopper([&server] { server.request_stop(); });
  server.wait();
  stopper.join();
  CHECK_THROWS(RawClient(port));
  server.stop();  // a second stop is harmless
}

TEST_CASE("documents upload as streams over the socket", "[api][documents]") {
  ApiSettings settings;
  settings.upload_limit = 64 * 1024;
  ServedApi api(test_options(), settings);
  httplib::Client client("127.0.0.1", api.port);
  client.set_read_timeout(10, 0);
  json create{{"workflow", "site"}, {"id", "site_files"}, {"data", {{"name", "文件地块"}, {"planned_class", 1}}}};
  REQUIRE(client.Post("/api/v1/cases", socket_headers("land_bureau"), create.dump(), "application/json")->status == 201);
  std::string target = "/api/v1/cases/site_files/documents?kind=site_plan";

  SECTION("a file within the limit is stored with its hash") {
    std::string content(50 * 1024, 'p');
    auto uploaded = client.Post(target, socket_headers("land_bureau"), content, "application/pdf");
    REQUIRE(uploaded);
    INFO(uploaded->body);
    REQUIRE(uploaded->status == 201);
    json document = json::parse(uploaded->body);
    CHECK(document.at("size") == content.size());
    CHECK(document.at("sha256") == sha256_hex(content));
    auto downloaded = client.Get(uploaded->get_header_value("Location"), socket_headers("land_bureau"));
    REQUIRE(downloaded);
    CHECK(downloaded->status == 200);
    CHECK(downloaded->body == content);
    CHECK(downloaded->get_header_value("Content-Type") == "application/pdf");
  }
  SECTION("a declared length over the limit is refused before the body") {
    auto refused = client.Post(target, socket_headers("land_bureau"), std::string(100 * 1024, 'x'), "application/pdf");
    REQUIRE(refused);
    CHECK(refused->status == 413);
  }
  SECTION("a chunked body over the limit is cut off with 413") {
    std::string content(100 * 1024, 'x');
    auto refused = client.Post(
        target, socket_headers("land_bureau"),
        [&content](std::size_t offset, httplib::DataSink& sink) {
          std::size_t size = std::min<std::size_t>(8192, content.size() - offset);
          sink.write(content.data() + offset, size);
          if (offset + size == content.size()) sink.done();
          return true;
        },
        "application/pdf");
    REQUIRE(refused);
    CHECK(refused->status == 413);
  }
  SECTION("an upload without a token is refused before the body") {
    auto refused = client.Post(target, std::string(1000, 'x'), "application/pdf");
    REQUIRE(refused);
    CHECK(refused->status == 401);
  }
  // Nothing refused is kept, and no temporary file is left behind.
  auto listed = client.Get("/api/v1/cases/site_files/documents", socket_headers("land_bureau"));
  REQUIRE(listed);
  std::size_t leftovers = 0;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator(api.side.documents.temporary_folder(), ignored)) {
    (void)entry;
    ++leftovers;
  }
  CHECK(leftovers == 0);
}

TEST_CASE("uploads have their own size limit", "[api][documents]") {
  HttpServerOptions options = test_options();
  options.body_limit = 4096;
  ApiSettings settings;
  settings.upload_limit = 64 * 1024;
  ServedApi api(options, settings);
  httplib::Client client("127.0.0.1", api.port);
  json create{{"workflow", "site"}, {"id", "site_big"}, {"data", {{"name", "大文件地块"}, {"planned_class", 1}}}};
  REQUIRE(client.Post("/api/v1/cases", socket_headers("land_bureau"), create.dump(), "application/json")->status == 201);

  auto uploaded = client.Post("/api/v1/cases/site_big/documents?kind=site_plan", socket_headers("land_bureau"),
                              std::string(50 * 1024, 'u'), "application/pdf");
  REQUIRE(uploaded);
  CHECK(uploaded->status == 201);
  json big{{"input", {{"remark", std::string(8000, 'x')}}}};
  auto refused = client.Post("/api/v1/cases/site_big/transitions/add_remark", socket_headers("land_bureau"), big.dump(),
                             "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 413);
  CHECK(api.store->find_case("site_big")->version == 1);
}

TEST_CASE("event stream sends visible events", "[api][stream]") {
  HttpServerOptions options = test_options();
  options.stream_poll_interval = std::chrono::milliseconds(50);
  ServedApi api(options);
  testing::add_test_users(api.side.identities,
                          {"other_firm", OrganisationType::firm, "", {"另一企业", "Another firm"}, "", api.clock.now().instant},
                          {"firm_user"});

  // Two listeners: the city bureau's observer may read every case, the firm none of them.
  auto listen = [&api](const std::string& role, std::string& received, std::atomic<bool>& done) {
    httplib::Client client("127.0.0.1", api.port);
    client.set_read_timeout(10, 0);
    return client.Get("/api/v1/stream", socket_headers(role), [&](const char* data, std::size_t size) {
      received.append(data, size);
      return !done && received.find("event: cn.sitecycle.case.created") == std::string::npos;
    });
  };
  std::string city;
  std::string firm;
  std::atomic<bool> done{false};
  std::thread city_listener([&] { listen("observer", city, done); });
  std::thread firm_listener([&] { listen("firm_user", firm, done); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  httplib::Client writer("127.0.0.1", api.port);
  json create{{"workflow", "site"}, {"id", "site_streamed"}, {"data", {{"name", "推送地块"}, {"planned_class", 1}}}};
  REQUIRE(writer.Post("/api/v1/cases", socket_headers("land_bureau"), create.dump(), "application/json")->status == 201);
  city_listener.join();
  done = true;
  firm_listener.join();

  CHECK(city.rfind("retry: 3000", 0) == 0);
  CHECK(city.find("event: cn.sitecycle.case.created\ndata: {") != std::string::npos);
  CHECK(city.find("\"case_id\":\"site_streamed\"") != std::string::npos);
  CHECK(firm.find("site_streamed") == std::string::npos);
}

TEST_CASE("racing writers: one wins, rest 409", "[api][concurrency]") {
  ServedApi api(test_options());
  httplib::Client creator("127.0.0.1", api.port);
  json create{{"workflow", "site"}, {"id", "site_race"}, {"data", {{"name", "并发地块"}, {"planned_class", 1}}}};
  REQUIRE(creator.Post("/api/v1/cases", socket_headers("land_bureau"), create.dump(), "application/json")->status == 201);

  constexpr int kWriters = 8;
  std::atomic<int> won{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&] {
      httplib::Client client("127.0.0.1", api.port);
      client.set_read_timeout(20, 0);
      auto result = client.Post("/api/v1/cases/site_race/transitions/propose_supply", socket_headers("land_bureau"), "{}",
                                "application/json");
      if (result && result->status == 200) ++won;
      if (result && result->status == 409) ++conflicts;
    });
  }
  for (std::thread& writer : writers) writer.join();

  CHECK(won == 1);
  CHECK(conflicts == kWriters - 1);
  Page<StoredEvent> events = api.store->events_of("site_race", 100, 0);
  REQUIRE(events.total == 2);  // created, then the one transition: no lost or doubled update
  CHECK(events.items.at(1).case_version == 2);
}
