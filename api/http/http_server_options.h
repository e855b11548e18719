// Settings of the HTTP transport, their validation, and the error HttpServer::start() throws.
// Free of Boost, like http_server.h.
#pragma once

#include "engine/localized_text.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sitecycle::http {

struct HttpServerOptions {
  // Only loopback addresses are accepted (127.0.0.0/8, ::1 or "localhost"): the server speaks
  // plain HTTP, so other hosts reach it through a reverse proxy that provides TLS.
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port, which start() returns
  // Threads that run the handler. Store calls block, so size this like the store's
  // connection pool.
  int threads = 4;
  // Threads that run socket I/O. Handlers run elsewhere, so one is usually enough.
  int io_threads = 1;
  std::size_t body_limit = 1024 * 1024;  // bytes; a larger body gets status 413
  std::size_t header_limit = 8 * 1024;   // bytes of request line and headers; more gets 400
  std::chrono::milliseconds read_timeout{30'000};  // from a request's first byte to its last
  std::chrono::milliseconds idle_timeout{60'000};  // waiting for a request on an open connection
  std::chrono::milliseconds write_timeout{30'000};
  // From an upload's first body byte to its last (uploads are large, so this is longer than
  // read_timeout), and for sending a file.
  std::chrono::milliseconds transfer_timeout{900'000};
  // How often a streamed response (Server-Sent Events) is polled for more, and how long it may
  // stay silent before a comment line keeps the connection open.
  std::chrono::milliseconds stream_poll_interval{1'000};
  std::chrono::milliseconds stream_heartbeat{15'000};
  // How long stop() lets open connections finish before abandoning them.
  std::chrono::milliseconds shutdown_timeout{5'000};
  // When true, SIGINT and SIGTERM begin a stop, so wait() returns. The handlers are installed
  // by start() for the whole process.
  bool stop_on_signals = false;
};

// A failure to start: invalid options, a non-loopback host, or a port that cannot be bound.
// what() returns the English text; message() carries both languages.
class HttpServerError : public std::runtime_error {
 public:
  explicit HttpServerError(LocalizedText message);
  const LocalizedText& message() const { return message_; }

 private:
  LocalizedText message_;
};

// Throws HttpServerError naming the first invalid setting: fewer than one thread of either
// kind, a zero size limit, or a timeout that is not positive.
void check_server_options(const HttpServerOptions& options);

// The address literal to bind for `host`: "127.0.0.1" for "localhost", and the literal itself
// (without brackets, so "[::1]" gives "::1") for an address in 127.0.0.0/8 or ::1. Throws
// HttpServerError naming the host and the fix for anything else, including host names.
std::string loopback_bind_address(std::string_view host);

}  // namespace sitecycle::http
