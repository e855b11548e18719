// sitecycle: the command-line entry point. docs/cli.md describes every command.
#include "api/cli/cli_output.h"
#include "api/cli/commands.h"
#include "api/cli/identity_commands.h"

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <string_view>

namespace {

using namespace sitecycle;
using namespace sitecycle::cli;

// --lang is read before parsing so that usage errors are already in the chosen language.
Language language_from_arguments(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (argument == "--lang" && i + 1 < argc) return language_from_flag(argv[i + 1]);
    if (argument.rfind("--lang=", 0) == 0) return language_from_flag(argument.substr(7));
  }
  return Language::zh_cn;
}

// Returns a Chinese sentence for the kind of a command-line parse error. CLI11 writes its details in
// English only, so the Chinese message leads with this and quotes the details.
std::string_view usage_problem_zh(const CLI::ParseError& error) {
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) return "缺少必填的参数或子命令";
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) return "有无法识别的参数";
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) return "参数的个数不对";
  if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr) return "参数的取值无效";
  if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) return "参数的取值无法识别";
  return "参数有误";
}

void add_language_option(CLI::App& command, std::string& language) {
  command.add_option("--lang", language, "Message language: zh-CN (default) or en")->check(CLI::IsMember({"zh-CN", "zh", "en"}));
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("sitecycle"));
  Language language = language_from_arguments(argc, argv);
  std::string language_flag;

  CLI::App app{"sitecycle: contaminated-land lifecycle case engine (地块全生命周期监管引擎)"};
  app.require_subcommand(1);

  std::vector<std::string> validate_paths;
  CLI::App* validate = app.add_subcommand("validate", "Check workflow files or folders; exit 1 on any problem");
  validate->add_option("paths", validate_paths, "Workflow files or folders")->required();
  add_language_option(*validate, language_flag);

  std::string graph_workflow;
  std::string graph_folder = "workflows";
  std::string graph_format;
  CLI::App* graph = app.add_subcommand("graph", "Print a workflow as a DOT or Mermaid state diagram");
  graph->add_option("workflow", graph_workflow, "Workflow id")->required();
  graph->add_option("--workflows", graph_folder, "Workflows folder (default: workflows)");
  graph->add_option("--format", graph_format, "dot or mermaid")->required();
  add_language_option(*graph, language_flag);

  ReplayOptions replay_options;
  CLI::App* replay = app.add_subcommand("replay", "Run scenario files on a simulated clock and print a JSON report");
  replay->add_option("scenarios", replay_options.scenarios, "Scenario files")->required();
  replay->add_option("--db", replay_options.database, "Store as sqlite:PATH (default: a fresh in-memory database)");
  replay->add_option("--now", replay_options.now, "Clock start for scenarios without dates (ISO 8601)");
  add_language_option(*replay, language_flag);

  ServeOptions serve_options;
  CLI::App* serve = app.add_subcommand("serve", "Serve the HTTP API");
  serve->add_option("--listen", serve_options.listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)");
  serve->add_option("--db", serve_options.database,
                    "Store as sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE (default sqlite:var/sitecycle.db)");
  serve->add_option("--db-pool", serve_options.database_pool, "PostgreSQL connections of this node (default 8)")
      ->check(CLI::Range(1, 512));
  serve->add_option("--workflows", serve_options.workflows_folder, "Workflows folder (default: workflows)");
  serve->add_option("--examples", serve_options.examples_folder, "Example scenarios loaded by --demo (default: examples)");
  serve->add_flag("--demo", serve_options.demo, "Load the example cases (idempotent)");
  serve->add_option("--now", serve_options.now, "Start the clock at this instant (ISO 8601); it then runs on");
  serve->add_option("--documents", serve_options.documents_folder,
                    "Folder of uploaded documents (default: documents beside the SQLite file; required with "
                    "PostgreSQL, shared by every node)");
  serve->add_option("--upload-limit", serve_options.upload_limit_mib, "Largest document upload in MiB (default 200)")
      ->check(CLI::Range(1, 4096));
  serve->add_flag("--metrics-need-token", serve_options.metrics_need_token,
                  "Answer GET /metrics only with a valid token (default: open, as the server listens on loopback)");
  serve->add_option("--web", serve_options.web_folder,
                    "Folder of the built web dashboard, served at / (default: the one run.sh or test.sh built "
                    "beside this binary)");
  serve->add_option("--webhook-attempts", serve_options.webhook_attempts,
                    "Delivery attempts per event and webhook before it is dead-lettered (default 8)")
      ->check(CLI::Range(1, 100));
  add_language_option(*serve, language_flag);

  IdentityOptions identity_options;
  IdentityCommands identity = add_identity_commands(app, identity_options, language_flag);

  bool known_command = false;
  for (const CLI::App* command : app.get_subcommands({})) known_command = known_command || (argc > 1 && command->get_name() == argv[1]);
  if (argc > 1 && argv[1][0] != '-' && !known_command) {
    print_error(language, fmt::format("未知命令 {}；可用命令：serve、validate、graph、replay、orgs、users、tokens、audit", argv[1]),
                fmt::format("unknown command {}; commands: serve, validate, graph, replay, orgs, users, tokens, audit", argv[1]));
    return kExitUsage;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    print_error(language, fmt::format("用法错误：{}（{}）；运行 sitecycle --help 查看用法", usage_problem_zh(error), error.what()),
                fmt::format("usage error: {}; run sitecycle --help for usage", error.what()));
    return kExitUsage;
  }

  // Only the server logs its progress; the other commands print their results and warnings.
  if (!serve->parsed()) spdlog::set_level(spdlog::level::warn);

  if (validate->parsed()) return run_validate(validate_paths, language);
  if (graph->parsed()) return run_graph(graph_workflow, graph_folder, graph_format, language);
  if (replay->parsed()) return run_replay(replay_options, language);
  if (serve->parsed()) return run_serve(serve_options, language);
  if (identity.parsed()) return run_identity_command(identity, identity_options, language);
  return kExitUsage;
}
