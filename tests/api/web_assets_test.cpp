// The web dashboard's files at "/": content types, caching, and names that must not reach files
// outside the dashboard's folder.
#include "api_fixture.h"
#include "tests/adapters/temp_directory.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using sitecycle::testing::anonymous_headers;
using sitecycle::testing::ApiFixture;
using sitecycle::testing::header_of;
using sitecycle::testing::TempDirectory;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << content;
}

// A built dashboard in `root`/web, with a secret file beside the folder and a link to it inside.
fs::path dashboard_in(const fs::path& root) {
  write_file(root / "web" / "index.html", "<!doctype html><title>sitecycle</title>");
  write_file(root / "web" / "assets" / "index-4f2a9c.js", "console.log('app')");
  write_file(root / "web" / "assets" / "index-4f2a9c.css", "body{}");
  write_file(root / "web" / ".env", "TOKEN=hidden");
  write_file(root / "secret.txt", "outside the dashboard");
  fs::create_symlink(root / "secret.txt", root / "web" / "secret.txt");
  return root / "web";
}

sitecycle::http::ApiSettings serving(const fs::path& folder) {
  sitecycle::http::ApiSettings settings;
  settings.web_folder = folder;
  return settings;
}

}  // namespace

TEST_CASE("dashboard files are served with their types and caching", "[api][web]") {
  TempDirectory directory;
  ApiFixture api(serving(dashboard_in(directory.path())));

  sitecycle::http::HttpResponse index = api.get("/", anonymous_headers());
  REQUIRE(index.status == 200);
  REQUIRE(index.file);
  CHECK(index.file->filename() == "index.html");
  CHECK(header_of(index, "Content-Type") == "text/html; charset=utf-8");
  CHECK(header_of(index, "Cache-Control") == "no-cache");
  CHECK(header_of(index, "Content-Security-Policy").find("default-src 'self'") != std::string::npos);
  CHECK(header_of(index, "X-Frame-Options") == "DENY");

  sitecycle::http::HttpResponse script = api.get("/assets/index-4f2a9c.js", anonymous_headers());
  REQUIRE(script.status == 200);
  CHECK(header_of(script, "Content-Type") == "text/javascript; charset=utf-8");
  CHECK(header_of(script, "Cache-Control") == "public, max-age=31536000, immutable");
  CHECK(header_of(api.get("/assets/index-4f2a9c.css", anonymous_headers()), "Content-Type") == "text/css; charset=utf-8");

  // The API is unchanged beside it.
  CHECK(api.get("/api/v1/health", anonymous_headers()).status == 200);
  CHECK(api.get("/api/v1/no_such_route", anonymous_headers()).status == 404);
  CHECK(api.get("/metrics", anonymous_headers()).status == 200);
}

TEST_CASE("dashboard paths cannot reach other files", "[api][web]") {
  TempDirectory directory;
  ApiFixture api(serving(dashboard_in(directory.path())));

  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/secret.txt", "/.env",
                           "/assets/", "//etc/passwd", "/assets\\..\\..\\secret.txt", "/missing.js", "/assets"}) {
    CAPTURE(path);
    sitecycle::http::HttpResponse response = api.get(path, anonymous_headers());
    CHECK(response.status == 404);
    CHECK_FALSE(response.file);
    CHECK(header_of(response, "Content-Type") == "application/problem+json");
  }
  // Only GET reaches the dashboard, and other methods get the API's responses.
  CHECK(api.post("/", nlohmann::json::object(), anonymous_headers()).status == 404);
}

TEST_CASE("an unbuilt dashboard says how to build it", "[api][web]") {
  TempDirectory directory;
  ApiFixture api(serving(directory.path() / "not_built"));
  sitecycle::http::HttpResponse index = api.get("/", {{"accept-language", "en"}, {"authorization", ""}});
  CHECK(index.status == 404);
  CHECK(index.body.find("./run.sh") != std::string::npos);
  CHECK(index.body.find("not built") != std::string::npos);
}
