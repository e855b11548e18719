// The HTTP/1.1 transport. Accepts connections on a loopback address, reads each request with
// explicit size and time limits, runs the handler on a small thread pool (store calls block, so
// they stay off the I/O threads) and writes the response. Keep-alive is supported.
//
// This header is free of Boost: Beast and Asio stay inside http_server.cpp, the one slow
// translation unit of api/http.
#pragma once

#include "http_message.h"
#include "http_server_options.h"

#include <cstdint>
#include <memory>

namespace sitecycle::http {

// Thread-safety: start() is called once, by one thread. request_stop(), stop() and wait() may be
// called from any thread, several times; only request_stop() may be called from a handler.
class HttpServer {
 public:
  // The handler is called on the pool threads, several at once, so it must be thread-safe. It
  // should not throw. If it does, the error is logged and the client gets a generic 500.
  // Requests that `uploads` selects are streamed to a file (HttpRequest::upload).
  HttpServer(RequestHandler handler, HttpServerOptions options, UploadRules uploads = {});
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
