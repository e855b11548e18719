#include "adapters/clock.h"
#include "adapters/scenario_runner.h"
#include "adapters/sql_case_store.h"
#include "api/cli/cli_output.h"
#include "api/cli/commands.h"

#include <fmt/format.h>

#include <iostream>

namespace sitecycle::cli {

int run_replay(const ReplayOptions& options, Language language) {
  std::string path = ":memory:";
  if (!options.database.empty()) {
    std::optional<std::string> sqlite_path = sqlite_path_of(options.database);
    if (!sqlite_path) {
      print_error(language, fmt::format("不支持的数据库地址 {}；请使用 sqlite:路径", options.database),
                  fmt::format("unsupported database {}; use sqlite:PATH", options.database));
      return kExitUsage;
    }
    path = *sqlite_path;
  }
  Instant start = SystemClock().now().instant;
  if (options.now) {
    std::optional<Instant> parsed = parse_instant(*options.now);
    if (!parsed) {
      print_error(language, fmt::format("--now 的值 {} 无效；示例：2026-03-16T09:00:00+08:00", *options.now),
                  fmt::format("invalid --now value {}; example: 2026-03-16T09:00:00+08:00", *options.now));
      return kExitUsage;
    }
    start = *parsed;
  }

  std::unique_ptr<SqlCaseStore> store;
  try {
    store = std::make_unique<SqlCaseStore>(path);
  } catch (const StoreError& error) {
    print_error(language, fmt::format("无法打开数据库：{}", error.what()), fmt::format("cannot open the database: {}", error.what()));
    return kExitUsage;
  }

  nlohmann::json reports = nlohmann::json::array();
  bool any_malformed = false;
  bool any_failed = false;
  for (const std::string& file : options.scenarios) {
    ScenarioRun run = replay_scenario_file(file, *store, start, language);
    reports.push_back(run.report);
    if (run.status == ScenarioRun::Status::malformed) {
      any_malformed = true;
      print_diagnostics(language, run.diagnostics);
      print_error(language, fmt::format("{}：场景无法读取或格式有误", file), fmt::format("{}: unreadable or malformed scenario", file));
    } else if (run.status == ScenarioRun::Status::failed) {
      any_failed = true;
      for (const auto& failure : run.report["failures"]) {
        print_error(language, fmt::format("{}：第 {} 步：{}", file, failure["step"].get<int>(), failure["message"].get<std::string>()),
                    fmt::format("{}: step {}: {}", file, failure["step"].get<int>(), failure["message"].get<std::string>()));
      }
    } else {
      print_error(language, fmt::format("{}：通过", file), fmt::format("{}: passed", file));
    }
  }

  nlohmann::json report = {{"scenarios", reports}, {"passed", !any_malformed && !any_failed}};
  std::cout << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  if (any_malformed) return kExitUsage;
  return any_failed ? kExitCheckFailed : kExitSuccess;
}

namespace {

// `url` with the password of its user information, if any, replaced by "***", so that a mistyped
// URL does not print a password.
std::string without_password(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const std::size_t at = url.find('@', scheme_end + 3);
  const std::size_t colon = url.find(':', scheme_end + 3);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace

std::optional<sql::DatabaseTarget> database_target_of(const std::string& database_url, int pool_size,
                                                      Language language) {
  std::optional<sql::DatabaseTarget> target = sql::parse_database_target(database_url);
  if (!target || (target->backend == sql::Backend::sqlite && target->location.empty())) {
    const std::string masked_url = without_password(database_url);
    print_error(language,
                fmt::format("不支持的数据库地址 {}；请使用 sqlite:路径（例如 sqlite:var/sitecycle.db）或 "
                            "postgresql://用户@主机:端口/数据库",
                            masked_url),
                fmt::format("unsupported database {}; use sqlite:PATH (such as sqlite:var/sitecycle.db) or "
                            "postgresql://USER@HOST:PORT/DATABASE",
                            masked_url));
    return std::nullopt;
  }
  target->pool_size = pool_size;
  return target;
}

std::optional<std::string> sqlite_path_of(const std::string& database_url) {
  constexpr std::string_view kPrefix = "sqlite:";
  if (database_url.rfind(kPrefix, 0) != 0 || database_url.size() == kPrefix.size()) return std::nullopt;
  return database_url.substr(kPrefix.size());
}

}  // namespace sitecycle::cli
