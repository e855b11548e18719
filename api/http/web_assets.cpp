#include "web_assets.h"

#include "problem_response.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <system_error>
#include <utility>

namespace sitecycle::http {

namespace {

struct ContentType {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array<ContentType, 13> kContentTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".webp", "image/webp"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".geojson", "application/geo+json"},
}};

// The dashboard talks only to this server, loads nothing from elsewhere and may not be framed.
// Element Plus sets inline styles, hence 'unsafe-inline' for styles (not for scripts).
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'";

std::string_view content_type_of(const std::filesystem::path& file) {
  const std::string extension = file.extension().string();
  for (const ContentType& known : kContentTypes) {
    if (known.extension == extension) return known.type;
  }
  return "application/octet-stream";
}

// The path under the folder that `target` names, or nullopt when a segment is empty, ".", "..",
// hidden, or contains a backslash, a percent sign or a NUL.
std::optional<std::filesystem::path> relative_path_of(std::string_view target) {
  if (target == "/") return std::filesystem::path("index.html");
  std::filesystem::path relative;
  std::string_view rest = target.substr(1);
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() || segment.front() == '.' || segment.find_first_of(std::string_view("\\%\0", 3)) != std::string_view::npos) {
      return std::nullopt;
    }
    relative /= std::string(segment);
    if (slash == std::string_view::npos) return relative;
    rest = rest.substr(slash + 1);
  }
}

HttpResponse asset_not_found(const HttpRequest& request, Language language) {
  Problem problem = make_problem(ErrorCode::not_found,
                                 {fmt::format("没有路径为 {} 的页面或文件；控制台在 /，接口在 /api/v1 下", request.path),
                                  fmt::format("No page or file has the path {}; the dashboard is at /, the API under "
                                              "/api/v1",
                                              request.path)});
  return problem_response(problem, language, request.path);
}

HttpResponse dashboard_missing(const HttpRequest& request, Language language, const std::filesystem::path& folder) {
  Problem problem = make_problem(
      ErrorCode::not_found,
      {fmt::format("控制台尚未构建：{} 中没有 index.html。请运行 ./run.sh，或用 --web 指定构建好的控制台目录；接口在 "
                   "/api/v1 下照常可用",
                   folder.string()),
       fmt::format("The dashboard is not built: {} has no index.html. Run ./run.sh, or name a built dashboard "
                   "folder with --web; the API under /api/v1 works as usual",
                   folder.string())});
  return problem_response(problem, language, request.path);
}

}  // namespace

WebAssets::WebAssets(std::filesystem::path folder) : folder_(std::move(folder)) {}

bool WebAssets::claims(const HttpRequest& request) {
  if (request.method != "GET") return false;
  const std::string_view path = request.path;
  if (path.empty() || path.front() != '/') return false;
  return path != "/api" && !path.starts_with("/api/") && path != "/metrics";
}

bool WebAssets::available() const {
  std::error_code error;
  return std::filesystem::is_regular_file(folder_ / "index.html", error);
}

HttpResponse WebAssets::serve(const HttpRequest& request, Language language) const {
  if (request.path == "/" && !available()) return dashboard_missing(request, language, folder_);
  std::optional<std::filesystem::path> relative = relative_path_of(request.path);
  if (!relative) return asset_not_found(request, language);

  // Resolve links, and serve only a regular file inside the folder.
  std::error_code error;
  const std::filesystem::path root = std::filesystem::canonical(folder_, error);
  if (error) return asset_not_found(request, language);
  const std::filesystem::path file = std::filesystem::canonical(root / *relative, error);
  if (error || !std::filesystem::is_regular_file(file, error)) return asset_not_found(request, language);
  const auto [outside, unused] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (outside != root.end()) return asset_not_found(request, language);

  HttpResponse response;
  response.file = file;
  response.set_header("Content-Type", std::string(content_type_of(file)));
  response.set_header("X-Content-Type-Options", "nosniff");
  const bool hashed = relative->begin() != relative->end() && *relative->begin() == "assets";
  response.set_header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  if (relative->extension() == ".html") {
    response.set_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("X-Frame-Options", "DENY");
  }
  return response;
}

}  // namespace sitecycle::http
