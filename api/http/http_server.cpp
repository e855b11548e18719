// Notes on the connection lifecycle.
//
// Each accepted socket gets its own strand and one coroutine (serve) that loops over requests.
// The handler runs on handler_pool (async_run_on), and the coroutine resumes on its strand
// when the handler returns, so socket operations never run on two threads at once.
//
// Time limits: idle_timeout covers the wait for the first byte of each request, read_timeout
// the rest of the request, write_timeout the response. A client that sends nothing, or sends
// slowly, therefore holds only its own coroutine, and only until its timer fires.
//
// Shutdown: request_stop() closes the acceptor and every registered connection on its own
// strand. io_context.run() returns once no coroutine and no handler is left. wait() allows that
// until shutdown_timeout, and then stops the io_context and abandons what is left.
// Members are ordered so that destroying the io_context (which destroys abandoned coroutine
// frames) happens while the handler pool, the connection registry and its mutex still exist.
#include "http_server.h"

#include "engine/result.h"
#include "problem_response.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <openssl/evp.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

#include <unistd.h>

namespace sitecycle::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

using BeastRequest = beast_http::request<beast_http::string_body>;
using BeastResponse = beast_http::response<beast_http::string_body>;
using FileResponse = beast_http::response<beast_http::file_body>;
using RequestParser = beast_http::request_parser<beast_http::string_body>;
using UploadParser = beast_http::request_parser<beast_http::file_body>;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 4096;
// After a rejected request the server reads and discards what the client still sends for this
// long, so that closing the socket does not reset it before the client has read the response.
constexpr std::chrono::milliseconds kDrainTime{1000};
constexpr std::chrono::milliseconds kAcceptRetryPause{100};

struct Connection {
  explicit Connection(tcp::socket socket) : remote_address(address_of(socket)), stream(std::move(socket)) {}

  static std::string address_of(const tcp::socket& socket) {
    beast::error_code error;
    tcp::endpoint endpoint = socket.remote_endpoint(error);
    return error ? std::string() : endpoint.address().to_string();
  }

  void close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
  }

  std::string remote_address;
  beast::tcp_stream stream;
};

// The fields of one request's log line.
struct RequestLog {
  std::string method = "-";
  std::string path = "-";
  Clock::time_point started_at = Clock::now();
};

void log_request(const RequestLog& entry, int status) {
  auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - entry.started_at);
  spdlog::info("http_request method={} path={} status={} duration_ms={}", entry.method, entry.path,
               status, duration.count());
}

std::string lower_case(std::string_view text) {
  std::string result(text);
  for (char& c : result) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return result;
}

std::string path_of(std::string_view target) { return std::string(target.substr(0, target.find('?'))); }

std::string_view to_std(beast::string_view text) { return {text.data(), text.size()}; }

template <class Fields>
Language language_of(const Fields& request) {
  auto found = request.find(beast_http::field::accept_language);
  return parse_language(found == request.end() ? std::string_view{} : to_std(found->value()));
}

// The method, target and headers of `fields`, without a body.
template <class Fields>
HttpRequest head_of(const Fields& fields) {
  HttpRequest request;
  request.method = std::string(to_std(fields.method_string()));
  request.target = std::string(to_std(fields.target()));
  split_target(request.target, request);
  for (const auto& field : fields) {
    auto [entry, inserted] = request.headers.emplace(lower_case(to_std(field.name_string())), to_std(field.value()));
    if (!inserted) entry->second.append(", ").append(to_std(field.value()));
  }
  return request;
}

// The SHA-256 of a file's content as lowercase hex, read in chunks; empty when it cannot be read.
std::string file_sha256(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return {};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) return {};
  std::array<char, 64 * 1024> chunk{};
  while (stream) {
    stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (stream.gcount() > 0) EVP_DigestUpdate(context.get(), chunk.data(), static_cast<std::size_t>(stream.gcount()));
  }
  if (stream.bad()) return {};
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1) return {};
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

// A name for an upload's temporary file that no other upload uses.
std::filesystem::path temporary_upload_path(const std::filesystem::path& folder) {
  static std::atomic<std::uint64_t> counter{0};
  auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  return folder / fmt::format("upload-{}-{}-{}.part", ::getpid(), stamp, counter++);
}

bool is_safe_header_value(std::string_view value) {
  return value.find_first_of("\r\n") == std::string_view::npos;
}

// A response to HEAD keeps the Content-Length of the body it would have had, but sends no body
// (RFC 9110, section 9.3.2).
BeastResponse to_beast_response(HttpResponse response, unsigned version, bool keep_alive, bool head_request) {
  if (response.status < 100 || response.status > 599) {
    spdlog::error("http_handler_bad_status status={}", response.status);
    response = internal_error_response(Language::zh_cn);
  }
  BeastResponse result;
  result.version(version);
  result.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) {
    if (!is_safe_header_value(name) || !is_safe_header_value(value)) {
      spdlog::error("http_handler_bad_header name=\"{}\"", name);
      continue;
    }
    result.set(name, value);
  }
  result.body() = std::move(response.body);
  result.keep_alive(keep_alive);
  result.prepare_payload();
  if (head_request) result.body().clear();
  return result;
}

// The response for a handler's reply that names a file, or nullopt when the file cannot be
// opened (the caller sends a 500 instead).
std::optional<FileResponse> to_file_response(const HttpResponse& response, unsigned version, bool keep_alive) {
  FileResponse result;
  beast::error_code error;
  result.body().open(response.file->c_str(), beast::file_mode::scan, error);
  if (error) {
    spdlog::error("http_file_open_failed path=\"{}\" error=\"{}\"", response.file->string(), error.message());
    return std::nullopt;
  }
  result.version(version);
  result.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) {
    if (is_safe_header_value(name) && is_safe_header_value(value)) result.set(name, value);
  }
  result.keep_alive(keep_alive);
  result.prepare_payload();
  return result;
}

template <class Fields>
bool expects_continue(const Fields& request) {
  auto found = request.find(beast_http::field::expect);
  return found != request.end() && equals_ignoring_case(to_std(found->value()), "100-continue");
}

// The problem to send for a request that failed to parse. nullopt when the client closed the
// connection or timed out, because no response can reach it.
std::optional<Problem> transport_problem(const beast::error_code& error, const HttpServerOptions& options,
                                         std::size_t body_limit) {
  if (error == beast_http::error::body_limit) {
    return make_problem(
        ErrorCode::payload_too_large,
        {fmt::format("请求体超过了 {} 字节的上限；请缩小请求体，或分多次提交", body_limit),
         fmt::format("The request body exceeds the limit of {} bytes; send a smaller body or "
                     "split it into several requests",
                     body_limit)});
  }
  if (error == beast_http::error::header_limit) {
    return make_problem(
        ErrorCode::bad_request,
        {fmt::format("请求行和请求头超过了 {} 字节的上限；请缩短 URL 或减少请求头", options.header_limit),
         fmt::format("The request line and headers exceed the limit of {} bytes; shorten the URL "
                     "or send fewer headers",
                     options.header_limit)});
  }
  if (error.category() == beast_http::make_error_code(beast_http::error::bad_target).category() &&
      error != beast_http::error::end_of_stream && error != beast_http::error::partial_message) {
    return make_problem(
        ErrorCode::bad_request,
        {fmt::format("HTTP 请求格式错误（{}）；请发送符合 HTTP/1.1 的请求", error.message()),
         fmt::format("Malformed HTTP request ({}); send a valid HTTP/1.1 request", error.message())});
  }
  return std::nullopt;
}

// Runs `work` on `pool` and completes with its result on the completion handler's executor.
template <class Work, class CompletionToken>
auto async_run_on(asio::thread_pool& pool, Work work, CompletionToken&& token) {
  using Output = std::invoke_result_t<Work&>;
  return asio::async_initiate<CompletionToken, void(Output)>(
      [&pool](auto completion, Work pending) {
        // A tracked executor keeps the caller's io_context running until the result is back.
        auto caller = asio::prefer(asio::get_associated_executor(completion),
                                   asio::execution::outstanding_work.tracked);
        asio::post(pool, [completion = std::move(completion), pending = std::move(pending),
                          caller = std::move(caller)]() mutable {
          Output output = pending();
          asio::dispatch(caller, [completion = std::move(completion), output = std::move(output)]() mutable {
            std::move(completion)(std::move(output));
          });
        });
      },
      token, std::move(work));
}

HttpServerError server_error(std::string zh_cn, std::string en) {
  return HttpServerError(LocalizedText{std::move(zh_cn), std::move(en)});
}

}  // namespace

struct HttpServer::Impl {
  Impl(RequestHandler request_handler, HttpServerOptions server_options, UploadRules upload_rules)
      : handler(std::move(request_handler)), options(std::move(server_options)), uploads(std::move(upload_rules)) {}

  void start_listening(const asio::ip::address& address);
  void start_threads();
  void abandon_start();
  void run_io();
  void request_stop();
  void wait();

  asio::awaitable<void> accept_connections();
  void spawn_connection(tcp::socket socket);
  void forget_connection(std::uint64_t id);
  asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
  asio::awaitable<bool> read_header(Connection& connection, beast::flat_buffer& buffer, RequestParser& parser,
                                    RequestLog& entry);
  asio::awaitable<bool> read_body(Connection& connection, beast::flat_buffer& buffer, RequestParser& parser,
                                  const RequestLog& entry);
  asio::awaitable<std::optional<UploadedFile>> read_upload(Connection& connection, beast::flat_buffer& buffer,
                                                           RequestParser& parser, const HttpRequest& head,
                                                           const RequestLog& entry);
  asio::awaitable<bool> fail_read(Connection& connection, const beast::error_code& error, Language language,
                                  unsigned version, const RequestLog& entry, std::size_t body_limit);
  asio::awaitable<void> drain(Connection& connection);
  asio::awaitable<bool> write_response(Connection& connection, HttpResponse response, unsigned version,
                                       bool keep_alive, bool head_request, const RequestLog& entry);
  asio::awaitable<void> write_stream(Connection& connection, HttpResponse response, unsigned version,
                                     const RequestLog& entry);
  HttpResponse call_handler(const HttpRequest& request) const;
  std::optional<HttpResponse> call_admit(const HttpRequest& head) const;
  asio::awaitable<void> reject(Connection& connection, const Problem& problem, Language language,
                               unsigned version, const RequestLog& entry);

  const RequestHandler handler;
  const HttpServerOptions options;
  const UploadRules uploads;

  // Guards everything below up to the handler pool.
  std::mutex mutex;
  std::condition_variable changed;
  bool started = false;
  bool threads_ready = false;  // start() has created every thread
  bool joining = false;
  bool stopped = false;
  int running_io_threads = 0;
  Clock::time_point stop_deadline{};
  std::uint16_t bound_port = 0;
  std::uint64_t next_connection_id = 0;
  std::map<std::uint64_t, std::weak_ptr<Connection>> connections;
  // Read without the mutex on every request to decide about keep-alive.
  std::atomic<bool> stop_requested{false};

  std::optional<asio::thread_pool> handler_pool;
  asio::io_context io_context;
  // Both live on one strand, so request_stop() can close them from any thread.
  tcp::acceptor acceptor{asio::make_strand(io_context)};
  std::optional<asio::signal_set> signals;
  std::vector<std::thread> io_threads;
};

void HttpServer::Impl::start_listening(const asio::ip::address& address) {
  tcp::endpoint endpoint(address, options.port);
  beast::error_code error;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    beast::error_code ignored;
    acceptor.close(ignored);
    throw server_error(
        fmt::format("无法监听 {}:{}（{}）；请换一个端口，或停止占用该端口的进程", options.host,
                    options.port, error.message()),
        fmt::format("Cannot listen on {}:{} ({}); choose another port or stop the process that "
                    "holds it",
                    options.host, options.port, error.message()));
  }
}

void HttpServer::Impl::start_threads() {
  handler_pool.emplace(static_cast<std::size_t>(options.threads));
  asio::co_spawn(acceptor.get_executor(), accept_connections(), [](std::exception_ptr failure) {
    if (failure) spdlog::error("http_accept_loop_failed");
  });

  if (options.stop_on_signals) {
    signals.emplace(acceptor.get_executor(), SIGINT, SIGTERM);
    signals->async_wait([this](const beast::error_code& error, int signal_number) {
      if (error) return;
      spdlog::info("http_server_signal signal={}", signal_number);
      request_stop();
    });
  }

  for (int i = 0; i < options.io_threads; ++i) io_threads.emplace_back([this] { run_io(); });
}

// Undoes a start whose threads could not all be created, so that wait() and the destructor
// return instead of waiting for threads that never ran.
void HttpServer::Impl::abandon_start() {
  io_context.stop();
  for (std::thread& thread : io_threads) thread.join();
  if (handler_pool) {
    handler_pool->stop();
    handler_pool->join();
  }
  std::lock_guard lock(mutex);
  stopped = true;
  changed.notify_all();
}

void HttpServer::Impl::run_io() {
  while (true) {
    try {
      io_context.run();
      break;
    } catch (const std::exception& error) {
      spdlog::error("http_io_thread_failed error=\"{}\"", error.what());
    }
  }
  std::lock_guard lock(mutex);
  --running_io_threads;
  changed.notify_all();
}

void HttpServer::Impl::request_stop() {
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(mutex);
    if (!started || stop_requested) return;
    stop_requested = true;
    stop_deadline = Clock::now() + options.shutdown_timeout;
    for (const auto& [id, weak] : connections) {
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    }
  }

  asio::dispatch(acceptor.get_executor(), [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
    if (signals) signals->cancel(ignored);
  });
  for (const auto& connection : open) {
    asio::dispatch(connection->stream.get_executor(), [connection] { connection->close(); });
  }
  changed.notify_all();
}

void HttpServer::Impl::wait() {
  std::unique_lock lock(mutex);
  if (!started) return;
  changed.wait(lock, [this] { return (stop_requested && threads_ready) || stopped; });
  if (joining) {
    changed.wait(lock, [this] { return stopped; });
    return;
  }
  joining = true;

  // Let open connections and running handlers finish, up to the deadline.
  bool drained = changed.wait_until(lock, stop_deadline, [this] { return running_io_threads == 0; });
  lock.unlock();
  if (!drained) {
    spdlog::warn("http_server_shutdown_timeout timeout_ms={}", options.shutdown_timeout.count());
    io_context.stop();
  }

  for (std::thread& thread : io_threads) thread.join();
  handler_pool->join();

  lock.lock();
  stopped = true;
  changed.notify_all();
  spdlog::info("http_server_stopped host={} port={}", options.host, bound_port);
}

asio::awaitable<void> HttpServer::Impl::accept_connections() {
  while (true) {
    auto [error, socket] = co_await acceptor.async_accept(asio::make_strand(io_context), kUseTuple);
    if (error == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (error) {
      // Running out of file descriptors fails every accept; pause rather than spin.
      spdlog::warn("http_accept_failed error=\"{}\"", error.message());
      asio::steady_timer pause(acceptor.get_executor(), kAcceptRetryPause);
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    spawn_connection(std::move(socket));
  }
}

void HttpServer::Impl::spawn_connection(tcp::socket socket) {
  auto connection = std::make_shared<Connection>(std::move(socket));
  std::uint64_t id = 0;
  bool stopping = false;
  {
    std::lock_guard lock(mutex);
    id = next_connection_id++;
    connections.emplace(id, connection);
    stopping = stop_requested;
  }
  if (stopping) connection->close();

  asio::co_spawn(connection->stream.get_executor(), serve(connection),
                 [this, id](std::exception_ptr failure) {
                   forget_connection(id);
                   if (!failure) return;
                   try {
                     std::rethrow_exception(failure);
                   } catch (const std::exception& error) {
                     spdlog::error("http_connection_failed error=\"{}\"", error.what());
                   } catch (...) {
                     spdlog::error("http_connection_failed error=\"unknown exception\"");
                   }
                 });
}

void HttpServer::Impl::forget_connection(std::uint64_t id) {
  std::lock_guard lock(mutex);
  connections.erase(id);
}

asio::awaitable<void> HttpServer::Impl::serve(std::shared_ptr<Connection> connection) {
  beast::tcp_stream& stream = connection->stream;
  beast::flat_buffer buffer;
  while (true) {
    RequestParser parser;
    RequestLog entry;
    if (!co_await read_header(*connection, buffer, parser, entry)) co_return;
    unsigned version = parser.get().version();
    bool keep_alive = parser.get().keep_alive();

    // NOTE: the request is a named local that the work below captures by reference. Built with
    // GCC 12.2, a lambda that owned the request and was created inside the co_await expression
    // was copied bitwise within the coroutine frame (AddressSanitizer reported a bad free of one
    // of its strings).
    HttpRequest request = head_of(parser.get());
    request.remote_address = connection->remote_address;
    if (uploads.is_upload && uploads.is_upload(request)) {
      std::optional<UploadedFile> upload = co_await read_upload(*connection, buffer, parser, request, entry);
      if (!upload) co_return;
      request.upload = std::move(upload);
    } else {
      if (!co_await read_body(*connection, buffer, parser, entry)) co_return;
      request.body = std::move(parser.get().body());
    }

    // Run the handler off the I/O threads; no timer runs meanwhile.
    stream.expires_never();
    bool head_request = request.method == "HEAD";
    if (head_request) request.method = "GET";
    auto work = [this, &request] { return call_handler(request); };
    HttpResponse response = co_await async_run_on(*handler_pool, work, asio::use_awaitable);
    if (request.upload) {
      std::error_code ignored;
      std::filesystem::remove(request.upload->path, ignored);
    }

    if (response.stream && !head_request) {
      co_await write_stream(*connection, std::move(response), version, entry);
      co_return;
    }
    response.stream.reset();
    keep_alive = keep_alive && !stop_requested;
    if (!co_await write_response(*connection, std::move(response), version, keep_alive, head_request, entry)) co_return;
    if (!keep_alive) {
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
  }
}

// Writes a handler's response, from memory or from a file. Returns false when the connection
// must close because the write failed.
asio::awaitable<bool> HttpServer::Impl::write_response(Connection& connection, HttpResponse response,
                                                       unsigned version, bool keep_alive, bool head_request,
                                                       const RequestLog& entry) {
  beast::tcp_stream& stream = connection.stream;
  int status = response.status;
  if (response.file && !head_request) {
    std::optional<FileResponse> file_response = to_file_response(response, version, keep_alive);
    if (file_response) {
      stream.expires_after(options.transfer_timeout);
      auto [write_error, written] = co_await beast_http::async_write(stream, *file_response, kUseTuple);
      log_request(entry, status);
      co_return !write_error;
    }
    response = internal_error_response(Language::zh_cn);
    status = response.status;
  } else if (response.file) {
    // HEAD: the headers of the file response, with its length and no body.
    std::error_code size_error;
    std::uintmax_t size = std::filesystem::file_size(*response.file, size_error);
    response.file.reset();
    BeastResponse beast_response = to_beast_response(std::move(response), version, keep_alive, true);
    if (!size_error) beast_response.content_length(size);
    stream.expires_after(options.write_timeout);
    auto [write_error, written] = co_await beast_http::async_write(stream, beast_response, kUseTuple);
    log_request(entry, status);
    co_return !write_error;
  }
  BeastResponse beast_response = to_beast_response(std::move(response), version, keep_alive, head_request);
  stream.expires_after(options.write_timeout);
  auto [write_error, written] = co_await beast_http::async_write(stream, beast_response, kUseTuple);
  log_request(entry, status);
  co_return !write_error;
}

// Sends a streamed response: the header, then each chunk the stream gives, polled on the
// handler threads, with a comment line when it has been silent for the heartbeat interval. Ends
// when the stream ends, a write fails (the client left) or the server stops; the connection
// then closes.
asio::awaitable<void> HttpServer::Impl::write_stream(Connection& connection, HttpResponse response, unsigned version,
                                                     const RequestLog& entry) {
  beast::tcp_stream& stream = connection.stream;
  beast_http::response<beast_http::empty_body> header{static_cast<beast_http::status>(response.status), version};
  for (const auto& [name, value] : response.headers) {
    if (is_safe_header_value(name) && is_safe_header_value(value)) header.set(name, value);
  }
  header.keep_alive(false);
  header.chunked(true);
  beast_http::response_serializer<beast_http::empty_body> serializer{header};
  stream.expires_after(options.write_timeout);
  auto [header_error, header_bytes] = co_await beast_http::async_write_header(stream, serializer, kUseTuple);
  log_request(entry, response.status);
  if (header_error) co_return;

  std::shared_ptr<ResponseStream> source = response.stream;
  asio::steady_timer pause(stream.get_executor());
  Clock::time_point last_sent = Clock::now();
  while (!stop_requested) {
    auto work = [source]() -> std::optional<std::string> {
      try {
        return source->poll();
      } catch (const std::exception& error) {
        spdlog::error("http_stream_poll_failed error=\"{}\"", error.what());
        return std::nullopt;
      }
    };
    std::optional<std::string> chunk = co_await async_run_on(*handler_pool, work, asio::use_awaitable);
    if (!chunk) break;
    if (chunk->empty() && Clock::now() - last_sent >= options.stream_heartbeat) *chunk = ": keep-alive\n\n";
    if (!chunk->empty()) {
      stream.expires_after(options.write_timeout);
      auto [write_error, written] =
          co_await asio::async_write(stream, beast_http::make_chunk(asio::buffer(*chunk)), kUseTuple);
      if (write_error) co_return;
      last_sent = Clock::now();
    }
    pause.expires_after(options.stream_poll_interval);
    co_await pause.async_wait(kUseTuple);
  }
  stream.expires_after(options.write_timeout);
  co_await asio::async_write(stream, beast_http::make_chunk_last(), kUseTuple);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// Reads one request's header into `parser`. Returns false when the connection should close
// because the client left or timed out, the server is stopping, or the request was rejected
// with a response.
asio::awaitable<bool> HttpServer::Impl::read_header(Connection& connection, beast::flat_buffer& buffer,
                                                    RequestParser& parser, RequestLog& entry) {
  beast::tcp_stream& stream = connection.stream;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options.header_limit, std::numeric_limits<std::uint32_t>::max())));
  // Beast checks a declared Content-Length against this limit while it reads the header. The
  // server cannot tell yet whether the request is an upload, so the header is read with the larger
  // of the two limits, and read_body() applies the body limit.
  parser.body_limit(uploads.is_upload ? std::max<std::uint64_t>(options.body_limit, uploads.size_limit)
                                      : options.body_limit);

  // Wait for the first byte of the next request.
  if (buffer.size() == 0) {
    stream.expires_after(options.idle_timeout);
    auto [error, bytes] = co_await stream.async_read_some(buffer.prepare(kReadChunk), kUseTuple);
    if (error) co_return false;
    buffer.commit(bytes);
  }
  entry.started_at = Clock::now();

  stream.expires_after(options.read_timeout);
  auto [header_error, header_bytes] = co_await beast_http::async_read_header(stream, buffer, parser, kUseTuple);
  // The fields parsed so far are usable even when the header failed: Beast checks a declared
  // Content-Length against the body limit before it marks the header done.
  const BeastRequest& header = parser.get();
  if (!header.method_string().empty()) entry.method = std::string(to_std(header.method_string()));
  if (!header.target().empty()) entry.path = path_of(to_std(header.target()));
  if (!header_error) co_return true;
  // A declared length over the limit fails here, so the limit to name depends on the request.
  std::size_t limit = options.body_limit;
  if (header_error == beast_http::error::body_limit && uploads.is_upload && uploads.is_upload(head_of(header))) {
    limit = uploads.size_limit;
  }
  co_return co_await fail_read(connection, header_error, language_of(header), header.version(), entry, limit);
}

// Reads the body of the request whose header is in `parser` into memory.
asio::awaitable<bool> HttpServer::Impl::read_body(Connection& connection, beast::flat_buffer& buffer,
                                                  RequestParser& parser, const RequestLog& entry) {
  beast::tcp_stream& stream = connection.stream;
  if (parser.is_done()) co_return true;
  parser.body_limit(options.body_limit);
  auto declared = parser.content_length();
  if (declared && *declared > options.body_limit) {
    co_return co_await fail_read(connection, beast_http::error::body_limit, language_of(parser.get()),
                                 parser.get().version(), entry, options.body_limit);
  }
  if (expects_continue(parser.get())) {
    beast_http::response<beast_http::empty_body> proceed{beast_http::status::continue_, 11};
    auto [continue_error, continue_bytes] = co_await beast_http::async_write(stream, proceed, kUseTuple);
    if (continue_error) co_return false;
  }
  auto [body_error, body_bytes] = co_await beast_http::async_read(stream, buffer, parser, kUseTuple);
  if (!body_error) co_return true;
  co_return co_await fail_read(connection, body_error, language_of(parser.get()), parser.get().version(), entry,
                               options.body_limit);
}

// Asks the upload rules whether to accept the upload, then streams its body to a temporary file
// and hashes it. nullopt when the connection should close (refused, failed or timed out); the
// client has then had its response where one could reach it.
asio::awaitable<std::optional<UploadedFile>> HttpServer::Impl::read_upload(Connection& connection,
                                                                           beast::flat_buffer& buffer,
                                                                           RequestParser& parser,
                                                                           const HttpRequest& head,
                                                                           const RequestLog& entry) {
  beast::tcp_stream& stream = connection.stream;
  stream.expires_never();
  auto admit = [this, &head] { return call_admit(head); };
  std::optional<HttpResponse> refusal = co_await async_run_on(*handler_pool, admit, asio::use_awaitable);
  if (refusal) {
    co_await write_response(connection, std::move(*refusal), parser.get().version(), false, false, entry);
    co_await drain(connection);
    co_return std::nullopt;
  }

  std::error_code folder_error;
  std::filesystem::create_directories(uploads.temporary_folder, folder_error);
  std::filesystem::path path = temporary_upload_path(uploads.temporary_folder);
  UploadParser upload_parser(std::move(parser));
  upload_parser.body_limit(uploads.size_limit);
  beast::error_code open_error;
  upload_parser.get().body().open(path.c_str(), beast::file_mode::write, open_error);
  if (open_error) {
    spdlog::error("http_upload_open_failed path=\"{}\" error=\"{}\"", path.string(), open_error.message());
    co_await write_response(connection, internal_error_response(language_of(upload_parser.get())),
                            upload_parser.get().version(), false, false, entry);
    co_return std::nullopt;
  }
  if (expects_continue(upload_parser.get())) {
    beast_http::response<beast_http::empty_body> proceed{beast_http::status::continue_, 11};
    auto [continue_error, continue_bytes] = co_await beast_http::async_write(stream, proceed, kUseTuple);
    if (continue_error) co_return std::nullopt;
  }
  stream.expires_after(options.transfer_timeout);
  auto [body_error, body_bytes] = co_await beast_http::async_read(stream, buffer, upload_parser, kUseTuple);
  upload_parser.get().body().close();
  std::error_code ignored;
  if (body_error) {
    std::filesystem::remove(path, ignored);
    co_await fail_read(connection, body_error, language_of(upload_parser.get()), upload_parser.get().version(), entry,
                       uploads.size_limit);
    co_return std::nullopt;
  }

  UploadedFile upload;
  upload.path = path;
  upload.size = std::filesystem::file_size(path, ignored);
  // Hashing a large file takes a while, so it runs on a handler thread, not the I/O thread.
  auto hash = [path] { return file_sha256(path); };
  upload.sha256 = co_await async_run_on(*handler_pool, hash, asio::use_awaitable);
  if (upload.sha256.empty()) {
    std::filesystem::remove(path, ignored);
    spdlog::error("http_upload_hash_failed path=\"{}\"", path.string());
    co_await write_response(connection, internal_error_response(Language::zh_cn), 11, false, false, entry);
    co_return std::nullopt;
  }
  co_return upload;
}

// Sends a problem response for a request that could not be read, when it can reach the client. Returns false,
// so callers can co_return its result.
asio::awaitable<bool> HttpServer::Impl::fail_read(Connection& connection, const beast::error_code& error,
                                                  Language language, unsigned version, const RequestLog& entry,
                                                  std::size_t body_limit) {
  if (error == beast::error::timeout) {
    spdlog::info("http_read_timeout method={} path={} timeout_ms={}", entry.method, entry.path,
                 options.read_timeout.count());
  }
  std::optional<Problem> problem = transport_problem(error, options, body_limit);
  if (!problem) co_return false;
  co_await reject(connection, *problem, language, version, entry);
  co_return false;
}

std::optional<HttpResponse> HttpServer::Impl::call_admit(const HttpRequest& head) const {
  if (!uploads.admit) return std::nullopt;
  try {
    return uploads.admit(head);
  } catch (const std::exception& error) {
    spdlog::error("http_upload_admit_failed method={} path={} error=\"{}\"", head.method, head.path, error.what());
  } catch (...) {
    spdlog::error("http_upload_admit_failed method={} path={} error=\"unknown exception\"", head.method, head.path);
  }
  const std::string* accept_language = head.header("accept-language");
  return internal_error_response(parse_language(accept_language ? *accept_language : ""), head.path);
}

HttpResponse HttpServer::Impl::call_handler(const HttpRequest& request) const {
  try {
    return handler(request);
  } catch (const std::exception& error) {
    spdlog::error("http_handler_failed method={} path={} error=\"{}\"", request.method,
                  request.path, error.what());
  } catch (...) {
    spdlog::error("http_handler_failed method={} path={} error=\"unknown exception\"",
                  request.method, request.path);
  }
  const std::string* accept_language = request.header("accept-language");
  return internal_error_response(parse_language(accept_language ? *accept_language : ""),
                                 request.path);
}

// Sends a problem response for a request that could not be read, then closes the connection.
// What the client still sends is read and discarded for a moment, so that the client receives
// the response instead of a connection reset.
asio::awaitable<void> HttpServer::Impl::reject(Connection& connection, const Problem& problem,
                                               Language language, unsigned version,
                                               const RequestLog& entry) {
  beast::tcp_stream& stream = connection.stream;
  HttpResponse response = problem_response(problem, language);
  int status = response.status;
  BeastResponse beast_response = to_beast_response(std::move(response), version, false, false);
  stream.expires_after(options.write_timeout);
  auto [write_error, written] = co_await beast_http::async_write(stream, beast_response, kUseTuple);
  log_request(entry, status);
  if (write_error) co_return;
  co_await drain(connection);
}

// Stops sending, then reads and discards what the client still sends for a moment, so that
// closing the socket does not reset it before the client has read the response.
asio::awaitable<void> HttpServer::Impl::drain(Connection& connection) {
  beast::tcp_stream& stream = connection.stream;
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(kDrainTime);
  std::array<char, kReadChunk> discard{};
  while (true) {
    auto [read_error, bytes] = co_await stream.async_read_some(asio::buffer(discard), kUseTuple);
    if (read_error) co_return;
  }
}

HttpServer::HttpServer(RequestHandler handler, HttpServerOptions options, UploadRules uploads)
    : impl_(std::make_unique<Impl>(std::move(handler), std::move(options), std::move(uploads))) {}

HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::start() {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->started) {
      throw server_error("服务器已经启动过；每个 HttpServer 只能调用一次 start()",
                          "The server was already started; call start() once per HttpServer");
    }
  }
  check_server_options(impl_->options);
  asio::ip::address address = asio::ip::make_address(loopback_bind_address(impl_->options.host));

  impl_->start_listening(address);
  std::uint16_t port = impl_->acceptor.local_endpoint().port();
  {
    std::lock_guard lock(impl_->mutex);
    impl_->started = true;
    impl_->bound_port = port;
    impl_->running_io_threads = impl_->options.io_threads;
  }
  try {
    impl_->start_threads();
  } catch (const std::system_error& error) {
    impl_->abandon_start();
    throw server_error(fmt::format("无法创建服务器线程（{}）；请减少线程数或检查系统资源", error.what()),
                       fmt::format("Cannot create the server threads ({}); use fewer threads or "
                                   "check the system's resources",
                                   error.what()));
  }
  {
    std::lock_guard lock(impl_->mutex);
    impl_->threads_ready = true;
  }
  impl_->changed.notify_all();
  spdlog::info("http_server_started host={} port={} threads={} body_limit={}", impl_->options.host,
               port, impl_->options.threads, impl_->options.body_limit);
  return port;
}

void HttpServer::wait() { impl_->wait(); }

void HttpServer::request_stop() { impl_->request_stop(); }

void HttpServer::stop() {
  impl_->request_stop();
  impl_->wait();
}

}  // namespace sitecycle::http
