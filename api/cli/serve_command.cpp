#include "adapters/clock.h"
#include "adapters/deadline_scheduler.h"
#include "adapters/deadline_setup.h"
#include "adapters/demo_accounts.h"
#include "adapters/demo_loader.h"
#include "adapters/document_files.h"
#include "adapters/store_set.h"
#include "adapters/webhook_dispatcher.h"
#include "adapters/webhook_sender.h"
#include "adapters/workflow_files.h"
#include "api/cli/cli_output.h"
#include "api/cli/commands.h"
#include "api/http/api_router.h"
#include "api/http/http_server.h"
#include "api/http/http_server_options.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <filesystem>
#include <iostream>

#include <sys/stat.h>
#include <unistd.h>

namespace sitecycle::cli {

namespace {

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

// "127.0.0.1:8080", "localhost:0" or "[::1]:8080".
std::optional<ListenAddress> parse_listen(const std::string& text) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  ListenAddress address;
  address.host = text.substr(0, colon);
  if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  std::string port = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (error != std::errc() || end != port.data() + port.size() || value > 65535) return std::nullopt;
  address.port = static_cast<std::uint16_t>(value);
  return address;
}

std::unique_ptr<Clock> make_clock(const std::optional<std::string>& now, Language language) {
  if (!now) return std::make_unique<SystemClock>();
  std::optional<Instant> start = parse_instant(*now);
  if (!start) {
    print_error(language, fmt::format("--now 的值 {} 无效；示例：2026-03-16T09:00:00+08:00", *now),
                fmt::format("invalid --now value {}; example: 2026-03-16T09:00:00+08:00", *now));
    return nullptr;
  }
  return std::make_unique<StartedClock>(*start);
}

void report_demo(const DemoLoadReport& report, Language language) {
  print_error(language,
              fmt::format("示例数据：新载入 {} 个场景，已存在 {} 个；从 parcels.csv 新建 {} 个地块", report.loaded.size(),
                          report.skipped.size(), report.imported.size()),
              fmt::format("demo data: {} scenario(s) loaded, {} already present; {} parcel(s) created from parcels.csv",
                          report.loaded.size(), report.skipped.size(), report.imported.size()));
  for (const std::string& error : report.errors) std::cerr << error << '\n';
}

// Makes an SQLite database file readable by its owner only, because it contains every case and the
// webhook secrets. SQLite gives its -wal and -shm files the database file's permissions.
void restrict_to_owner(const sql::DatabaseTarget& target) {
  const std::string& database = target.location;
  if (target.backend != sql::Backend::sqlite || sql::is_in_memory(database)) return;
  std::error_code error;
  std::filesystem::permissions(database, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace, error);
  if (error) spdlog::warn("database_permissions_unchanged path={} error=\"{}\"", database, error.message());
}

// The folder of uploaded documents: --documents, or "documents" beside the SQLite file. With
// PostgreSQL --documents is required (run_serve checks), since every node must name one shared
// folder.
std::filesystem::path documents_folder_of(const ServeOptions& options, const sql::DatabaseTarget& target) {
  if (options.documents_folder) {
    // "documents/" names the folder "documents", and the demo tokens go in its parent.
    std::filesystem::path folder = std::filesystem::path(*options.documents_folder).lexically_normal();
    if (!folder.has_filename() && folder.has_parent_path()) folder = folder.parent_path();
    return folder;
  }
  if (sql::is_in_memory(target.location)) return std::filesystem::temp_directory_path() / "sitecycle-documents";
  return std::filesystem::absolute(target.location).parent_path() / "documents";
}

// Where --demo writes the demo tokens: beside the SQLite file, or beside the documents folder.
std::optional<std::filesystem::path> demo_tokens_file_of(const sql::DatabaseTarget& target,
                                                         const std::filesystem::path& documents_folder) {
  if (target.backend == sql::Backend::postgresql) return demo_tokens_path(std::filesystem::absolute(documents_folder));
  if (sql::is_in_memory(target.location)) return std::nullopt;
  return demo_tokens_path(std::filesystem::absolute(target.location));
}

// Creates the demo users and writes their tokens to `tokens_file`. False when that failed.
bool prepare_demo_tokens(IdentityStore& identities, const RoleCatalog& roles,
                         const std::optional<std::filesystem::path>& tokens_file_or_none, Instant now,
                         Language language) {
  if (!tokens_file_or_none) {
    print_error(language, "--demo 需要数据库文件，才能把令牌写在它旁边；请用 --db sqlite:路径",
                "--demo needs a database file to write the tokens beside it; use --db sqlite:PATH");
    return false;
  }
  const std::filesystem::path& tokens_file = *tokens_file_or_none;
  try {
    std::vector<DemoAccount> accounts = prepare_demo_accounts(identities, roles, tokens_file, now);
    print_error(language, fmt::format("示例账号：{} 个用户，令牌已写入 {}（仅所有者可读）", accounts.size(), tokens_file.string()),
                fmt::format("demo accounts: {} user(s); tokens written to {} (owner-only)", accounts.size(),
                            tokens_file.string()));
    return true;
  } catch (const std::exception& error) {
    print_error(language, fmt::format("无法准备示例账号：{}", error.what()),
                fmt::format("cannot prepare the demo accounts: {}", error.what()));
    return false;
  }
}

// Names this process among the nodes on one database: host name and process id.
std::string node_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "unknown-host");
  return fmt::format("{}:{}", host, ::getpid());
}

}  // namespace

int run_serve(const ServeOptions& options, Language language) {
  // Every file the server creates (the database and its -wal and -shm files, documents, demo
  // tokens) contains case data or secrets, so only its owner may read it.
  ::umask(0077);
  std::optional<ListenAddress> listen = parse_listen(options.listen);
  if (!listen) {
    print_error(language, fmt::format("--listen 的值 {} 无效；应为 主机:端口，例如 127.0.0.1:8080", options.listen),
                fmt::format("invalid --listen value {}; expected HOST:PORT such as 127.0.0.1:8080", options.listen));
    return kExitUsage;
  }
  std::optional<sql::DatabaseTarget> database = database_target_of(options.database, options.database_pool, language);
  if (!database) return kExitUsage;
  if (database->backend == sql::Backend::postgresql && !options.documents_folder) {
    print_error(language, "使用 PostgreSQL 时须用 --documents 指定文档目录（多个节点共用同一目录）",
                "with PostgreSQL, name the documents folder with --documents (one folder shared by every node)");
    return kExitUsage;
  }
  std::unique_ptr<Clock> clock = make_clock(options.now, language);
  if (!clock) return kExitUsage;

  // Check the address and the examples folder before the database is created or changed.
  try {
    http::loopback_bind_address(listen->host);
  } catch (const http::HttpServerError& error) {
    print_error(language, error.message().zh_cn, error.message().en);
    return kExitUsage;
  }
  std::error_code folder_error;
  if (options.demo && !std::filesystem::is_directory(options.examples_folder, folder_error)) {
    print_error(language, fmt::format("示例目录 {} 不存在或不是目录；请用 --examples 指定示例目录", options.examples_folder),
                fmt::format("the examples folder {} does not exist or is not a folder; name it with --examples",
                            options.examples_folder));
    return kExitUsage;
  }

  LoadedWorkflows loaded = load_workflow_folder(options.workflows_folder);
  if (!loaded.diagnostics.empty()) {
    print_diagnostics(language, loaded.diagnostics);
    print_error(language, fmt::format("流程目录 {} 无效，服务未启动", options.workflows_folder),
                fmt::format("the workflows folder {} is invalid; the server did not start", options.workflows_folder));
    return kExitUsage;
  }

  LoadedDeadlineEnvironment deadline_setup = load_deadline_environment(options.workflows_folder, loaded.workflows);
  if (!deadline_setup.environment) {
    print_diagnostics(language, deadline_setup.diagnostics);
    print_error(language, fmt::format("流程目录 {} 中的日历或机构文件无效，服务未启动", options.workflows_folder),
                fmt::format("the calendars or agencies in {} are invalid; the server did not start", options.workflows_folder));
    return kExitUsage;
  }
  const DeadlineTracker& tracker = *deadline_setup.environment->tracker;

  StoreSet stores;
  try {
    stores = open_store_set(*database);
  } catch (const StoreError& error) {
    print_error(language, fmt::format("无法打开数据库：{}", error.what()), fmt::format("cannot open the database: {}", error.what()));
    return kExitUsage;
  }
  restrict_to_owner(*database);
  SqlCaseStore* store = stores.cases.get();
  SqlIdentityStore* identities = stores.identities.get();
  SqlIdempotencyStore* idempotency = stores.idempotency.get();
  SqlWebhookStore* webhooks = stores.webhooks.get();
  const std::filesystem::path documents_folder = documents_folder_of(options, *database);
  std::error_code folder_created;
  std::filesystem::create_directories(documents_folder, folder_created);
  if (folder_created) {
    print_error(language, fmt::format("无法创建文档目录 {}：{}", documents_folder.string(), folder_created.message()),
                fmt::format("cannot create the documents folder {}: {}", documents_folder.string(),
                            folder_created.message()));
    return kExitUsage;
  }
  Diagnostics pin_problems;
  std::shared_ptr<const WorkflowRegistry> registry = pin_workflows(loaded, *store, pin_problems);
  if (!pin_problems.empty()) {
    print_diagnostics(language, pin_problems);
    return kExitUsage;
  }
  CaseService service(registry, *store, &tracker);
  DeadlineService deadlines(registry, *store, tracker);
  if (Result<int> recomputed = deadlines.recompute_provisional(clock->now()); !recomputed) {
    spdlog::error("provisional deadlines not recomputed: {}", recomputed.problem().detail.en);
  } else if (*recomputed > 0) {
    spdlog::info("provisional deadlines recomputed with the calendars now loaded: {}", *recomputed);
  }
  if (options.demo) {
    report_demo(load_demo(options.examples_folder, service, clock->now().instant, language), language);
    if (!prepare_demo_tokens(*identities, registry->roles(), demo_tokens_file_of(*database, documents_folder),
                             clock->now().instant, language)) {
      return kExitUsage;
    }
  }

  DeadlineScheduler scheduler(deadlines, *store, *clock);
  service.set_deadlines_changed_listener([&scheduler] { scheduler.poke(); });
  scheduler.start();

  DocumentFiles documents(documents_folder);
  http::ApiSettings api_settings;
  api_settings.upload_limit = options.upload_limit_mib * 1024 * 1024;
  api_settings.metrics_open = !options.metrics_need_token;
  api_settings.web_folder = options.web_folder;
  if (!http::WebAssets(options.web_folder).available()) {
    spdlog::warn("dashboard not built: {} has no index.html; / returns 404 until it is (run ./run.sh or pass --web)",
                 options.web_folder);
  }
  http::ApiRouter router({service, *identities, *idempotency, *webhooks, documents, *clock}, api_settings);
  CurlWebhookSender webhook_sender;
  WebhookPolicy webhook_policy;
  webhook_policy.max_attempts = options.webhook_attempts;
  webhook_policy.lease_holder = node_name();
  WebhookDispatcher dispatcher(*webhooks, *store, *identities, webhook_sender, *clock, webhook_policy);
  dispatcher.start();
  http::HttpServerOptions server_options;
  server_options.host = listen->host;
  server_options.port = listen->port;
  server_options.stop_on_signals = true;
  http::HttpServer server([&router](const http::HttpRequest& request) { return router.handle(request); }, server_options,
                          router.upload_rules());
  std::uint16_t port = 0;
  try {
    port = server.start();
  } catch (const http::HttpServerError& error) {
    print_error(language, error.message().zh_cn, error.message().en);
    return kExitUsage;
  }

  std::string shown_host = listen->host.find(':') != std::string::npos ? "[" + listen->host + "]" : listen->host;
  std::cout << fmt::format("listening on http://{}:{}", shown_host, port) << std::endl;
  spdlog::info("server started: listen={}:{} database=\"{}\" workflows={} node={}", shown_host, port, store->label(),
               options.workflows_folder, webhook_policy.lease_holder);
  server.wait();
  dispatcher.stop();
  scheduler.stop();
  spdlog::info("server stopped");
  return kExitSuccess;
}

}  // namespace sitecycle::cli
