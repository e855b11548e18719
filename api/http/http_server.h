// The HTTP/1.1 transport. Accepts connections on a loopback address, reads each request with
// explicit size and time limits, runs the handler on a small thread pool (store calls block, so
// they stay off the I/O threads) and writes the response. Keep-alive is supported.
//
// This header is free of Boost: Beast and Asio stay inside http_server.cpp, the one slow
// translation unit of api/http.
#pragma once

#include "engine/localized_text.h"
#include "http_message.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace sitecycle::http {

struct HttpServerOptions {
  // Only loopback addresses are accepted (127.0.0.0/8, ::1 or "localhost") until the API
  // authenticates callers with tokens.
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port, which start() returns
  // Threads that run the handler. Store calls block, so size this like the store's
  // connection pool.
  int threads = 4;
  // Threads that run socket I/O; they never block, so one is usually enough.
  int io_threads = 1;
  std::size_t body_limit = 1024 * 1024;  // bytes; a larger body is answered with 413
  std::size_t header_limit = 8 * 1024;   // bytes of request line and headers; larger gets 400
  std::chrono::milliseconds read_timeout{30'000};  // from a request's first byte to its last
  std::chrono::milliseconds idle_timeout{60'000};  // waiting for a request on an open connection
  std::chrono::milliseconds write_timeout{30'000};
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

// Thread-safety: start() is called once, by one thread. request_stop(), stop() and wait() may be
// called from any thread, several times; only request_stop() may be called from a handler.
class HttpServer {
 public:
  // The handler is called on the pool threads, several at once; it must be thread-safe and
  // should not throw (if it does, the client gets a generic 500 and the error is logged).
  HttpServer(RequestHandler handler, HttpServerOptions options);
  // Stops the server if it is running.
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Checks the options, binds and listens, and starts the threads. Returns the bound port once
  // the socket is listening. Throws HttpServerError when the options are invalid, the host is
  // not a loopback address, the address cannot be bound, or start() was already called.
  std::uint16_t start();

  // Blocks until the server has stopped, that is after a stop was requested (by stop(),
  // request_stop() or a signal) and its threads were joined. Returns at once if the server
  // never started.
  void wait();

  // Begins a stop without blocking: stops accepting and closes every connection.
  void request_stop();

  // request_stop(), then wait(). Open connections get shutdown_timeout to finish; a handler
  // already running is waited for, because a store call cannot be interrupted.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sitecycle::http
