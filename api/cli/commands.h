// The sitecycle subcommands. Each returns a process exit code (cli_output.h).
#pragma once

#include "adapters/sql_database.h"
#include "engine/localized_text.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sitecycle::cli {

int run_validate(const std::vector<std::string>& paths, Language language);

int run_graph(const std::string& workflow_id, const std::string& workflows_folder, const std::string& format,
              Language language);

struct ReplayOptions {
  std::vector<std::string> scenarios;
  std::string database;             // "" for an in-memory store, else sqlite:PATH
  std::optional<std::string> now;   // the clock for scenarios without dates
};
int run_replay(const ReplayOptions& options, Language language);

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string database = "sqlite:var/sitecycle.db";
  int database_pool = 8;  // PostgreSQL connections of this node
  std::string workflows_folder = "workflows";
  std::string examples_folder = "examples";
  bool demo = false;
  std::optional<std::string> now;
  std::optional<std::string> documents_folder;  // default: "documents" beside the database file
  std::uint64_t upload_limit_mib = 200;
  int webhook_attempts = 8;  // then an event is dead-lettered
  bool metrics_need_token = false;
  std::string web_folder = SITECYCLE_DEFAULT_WEB_DIR;  // the built dashboard, served at "/"
};
int run_serve(const ServeOptions& options, Language language);

// "sqlite:PATH" -> PATH; nullopt for anything else.
std::optional<std::string> sqlite_path_of(const std::string& database_url);

// The store a --db value names, with `pool_size` PostgreSQL connections. Prints the error and
// returns nullopt when the value names no supported database.
std::optional<sql::DatabaseTarget> database_target_of(const std::string& database_url, int pool_size,
                                                      Language language);

}  // namespace sitecycle::cli
