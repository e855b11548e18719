#include "api/http/http_server_options.h"

#include <catch2/catch.hpp>

#include <string>

using namespace sitecycle::http;

TEST_CASE("loopback hosts give their bind address", "[api]") {
  CHECK(loopback_bind_address("localhost") == "127.0.0.1");
  CHECK(loopback_bind_address("127.0.0.1") == "127.0.0.1");
  CHECK(loopback_bind_address("127.255.3.4") == "127.255.3.4");
  CHECK(loopback_bind_address("::1") == "::1");
  CHECK(loopback_bind_address("[::1]") == "::1");
}

TEST_CASE("other hosts are refused with the fix", "[api]") {
  for (const char* host : {"0.0.0.0", "128.0.0.1", "192.168.1.10", "::", "::ffff:127.0.0.1",
                           "example.com", "localhost.example.com", "127.1", "", "[127.0.0.1]x"}) {
    INFO(host);
    try {
      loopback_bind_address(host);
      FAIL("accepted a non-loopback host");
    } catch (const HttpServerError& error) {
      CHECK(std::string(error.what()).find(std::string("\"") + host + "\"") != std::string::npos);
      CHECK(std::string(error.what()).find("--listen 127.0.0.1:8080") != std::string::npos);
      CHECK(error.message().zh_cn.find("--listen 127.0.0.1:8080") != std::string::npos);
    }
  }
}

TEST_CASE("server options are checked", "[api]") {
  CHECK_NOTHROW(check_server_options(HttpServerOptions{}));

  HttpServerOptions no_handler_threads;
  no_handler_threads.threads = 0;
  CHECK_THROWS_AS(check_server_options(no_handler_threads), HttpServerError);

  HttpServerOptions no_io_threads;
  no_io_threads.io_threads = 0;
  CHECK_THROWS_AS(check_server_options(no_io_threads), HttpServerError);

  HttpServerOptions no_body;
  no_body.body_limit = 0;
  CHECK_THROWS_AS(check_server_options(no_body), HttpServerError);

  HttpServerOptions negative_idle;
  negative_idle.idle_timeout = std::chrono::milliseconds{-1};
  CHECK_THROWS_WITH(check_server_options(negative_idle), Catch::Contains("-1 ms"));
}

TEST_CASE("server option defaults match the documented limits", "[api]") {
  HttpServerOptions defaults;
  CHECK(defaults.host == "127.0.0.1");
  CHECK(defaults.body_limit == 1024 * 1024);
  CHECK(defaults.header_limit == 8 * 1024);
  CHECK(defaults.read_timeout == std::chrono::seconds{30});
  CHECK_FALSE(defaults.stop_on_signals);
}
