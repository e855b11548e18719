#include "http_server_options.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <cstring>

namespace sitecycle::http {

namespace {

HttpServerError server_error(std::string zh_cn, std::string en) {
  return HttpServerError(LocalizedText{std::move(zh_cn), std::move(en)});
}

bool is_loopback_literal(const std::string& literal) {
  in_addr v4{};
  if (::inet_pton(AF_INET, literal.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, literal.c_str(), &v6) == 1) {
    return std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
  }
  return false;
}

}  // namespace

HttpServerError::HttpServerError(LocalizedText message)
    : std::runtime_error(message.en), message_(std::move(message)) {}

void check_server_options(const HttpServerOptions& options) {
  if (options.threads < 1 || options.io_threads < 1) {
    throw server_error(
        fmt::format("线程数无效（处理线程 {}，I/O 线程 {}）：两者都至少为 1", options.threads,
                    options.io_threads),
        fmt::format("Invalid thread counts (handler threads {}, I/O threads {}): both must be at "
                    "least 1",
                    options.threads, options.io_threads));
  }
  if (options.body_limit == 0 || options.header_limit == 0) {
    throw server_error("请求体和请求头的上限都必须大于 0 字节",
                       "The body limit and the header limit must both be more than 0 bytes");
  }
  using std::chrono::milliseconds;
  for (milliseconds timeout : {options.read_timeout, options.idle_timeout, options.write_timeout,
                               options.transfer_timeout, options.stream_poll_interval, options.stream_heartbeat,
                               options.shutdown_timeout}) {
    if (timeout <= milliseconds::zero()) {
      throw server_error(
          fmt::format("超时时间 {} 毫秒无效：读取、空闲、写入和停止的超时都必须大于 0", timeout.count()),
          fmt::format("Invalid timeout of {} ms: the read, idle, write and shutdown timeouts must "
                      "all be more than 0",
                      timeout.count()));
    }
  }
}

std::string loopback_bind_address(std::string_view host) {
  if (host == "localhost") return "127.0.0.1";

  std::string literal(host);
  if (literal.size() > 2 && literal.front() == '[' && literal.back() == ']') {
    literal = literal.substr(1, literal.size() - 2);
  }
  if (is_loopback_literal(literal)) return literal;

  throw server_error(
      fmt::format("拒绝监听地址 \"{}\"：服务只提供明文 HTTP，因此只允许回环地址（127.0.0.0/8、::1 或 "
                  "localhost）。请改为监听 127.0.0.1（例如 --listen 127.0.0.1:8080）；若需供其他主机访问，请在本机部署提供 TLS 的反向代理",
                  host),
      fmt::format("Refusing to listen on \"{}\": the server speaks plain HTTP, so only loopback addresses "
                  "(127.0.0.0/8, ::1 or localhost) are allowed. Listen on 127.0.0.1 instead (for example "
                  "--listen 127.0.0.1:8080), and put a reverse proxy that provides TLS on this machine in "
                  "front of it if other hosts need access",
                  host));
}

}  // namespace sitecycle::http
