// Plain HTTP request and response values passed between the transport (http_server) and the
// router. They carry no Boost.Beast types, so route handlers compile and test without sockets.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sitecycle::http {

// A request body the transport streamed to a temporary file instead of holding it in memory.
// The file is deleted after the response unless the handler moved it away.
struct UploadedFile {
  std::filesystem::path path;
  std::uint64_t size = 0;
  std::string sha256;  // lowercase hex
};

struct HttpRequest {
  std::string method;  // as sent: "GET", "POST", ...
  std::string target;  // as sent: "/api/v1/cases?state=registered"
  // The path part of the target, still percent-encoded, so that an encoded '/' inside a
  // segment cannot split it. The router decodes each segment after splitting.
  std::string path;
  // Decoded query parameters in the order sent; a name may repeat.
  std::vector<std::pair<std::string, std::string>> query;
  // Header names are lower-cased. A header sent several times is joined with ", ".
  std::map<std::string, std::string, std::less<>> headers;
  std::string body;
  // The client's IP address as the transport saw it; empty when unknown (tests).
  std::string remote_address;
  // Set instead of `body` for uploads (see UploadRules).
  std::optional<UploadedFile> upload;

  // The value of a header, by lower-case name; nullptr when absent.
  const std::string* header(std::string_view lower_case_name) const;
};

// A response body that grows while the client listens, such as Server-Sent Events. The
// transport sends it chunked: it calls poll() on the handler threads, about once per poll
// interval, and sends what it returns, until poll() returns nullopt, the client leaves or the
// server stops.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // The text to send now (may be empty), or nullopt to end the response. Must not block for
  // long, because it runs on a handler thread, and must not throw.
  virtual std::optional<std::string> poll() = 0;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // in the order they are sent
  std::string body;
  // When set, the body is this file's content, streamed by the transport; `body` is ignored.
  std::optional<std::filesystem::path> file;
  // When set, the body is this stream; `body` is ignored and the connection closes after it.
  std::shared_ptr<ResponseStream> stream;

  // Replaces a header of the same name (compared without case) or appends it.
  void set_header(std::string_view name, std::string value);
  // The value of a header, compared without case; nullptr when absent.
  const std::string* header(std::string_view name) const;
};

// The function a server calls for each request. It must not throw: ApiRouter::handle catches
// everything at its boundary.
using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

// Which requests the transport streams to a file, and the check it runs on their headers first,
// so that a rejected upload gets its response before its body is read. Empty functions mean no uploads.
struct UploadRules {
  // Whether the request (headers only, no body) is an upload.
  std::function<bool(const HttpRequest&)> is_upload;
  // A response to send instead of reading the body, or nullopt to accept it. Runs on the
  // handler threads, so it may call the store. It must not throw.
  std::function<std::optional<HttpResponse>(const HttpRequest&)> admit;
  std::filesystem::path temporary_folder;  // where bodies are streamed; created when missing
  std::uint64_t size_limit = 200ull * 1024 * 1024;  // bytes; a larger upload gets 413
};

// Splits `target` into `request.path` and `request.query`. In the query, '+' is a space and
// %XX escapes are decoded. A malformed escape is kept as written, so no target is rejected
// here; the route that reads the value decides whether it is valid.
void split_target(std::string_view target, HttpRequest& request);

// Decodes %XX escapes. A malformed escape ('%' not followed by two hex digits) is kept as
// written. With `plus_is_space`, '+' decodes to ' ' (query strings).
std::string percent_decode(std::string_view text, bool plus_is_space);

// Compares ASCII strings without case.
bool equals_ignoring_case(std::string_view left, std::string_view right);

}  // namespace sitecycle::http
