#include "adapters/workflow_files.h"

#include "adapters/text_file.h"
#include "engine/workflow_loader.h"
#include "engine/workflow_validator.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace sitecycle {

namespace {

namespace fs = std::filesystem;

void report_unreadable(LoadedWorkflows& loaded, const fs::path& path, LocalizedText why) {
  Diagnostic diagnostic;
  diagnostic.file = path.string();
  diagnostic.found = std::move(why);
  diagnostic.expected = {"可读取的文件或目录", "a readable file or folder"};
  loaded.diagnostics.push_back(std::move(diagnostic));
  loaded.unreadable = true;
}

bool is_yaml_file(const fs::path& path) {
  return path.extension() == ".yaml" || path.extension() == ".yml";
}

std::vector<fs::path> workflow_files_in(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file() && is_yaml_file(entry.path()) && !is_reserved_workflow_file(entry.path())) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct FolderContent {
  std::vector<WorkflowPtr> workflows;
  RoleCatalog roles;
  // False when roles.yaml or a workflow did not parse. Cross-checks are skipped then, because
  // every reference to the missing part would be reported again as a follow-on error.
  bool complete = true;
};

// Parses the roles and every workflow of a folder. Diagnostics of files not in `reported` are
// dropped (pass nullptr to keep all).
FolderContent parse_folder(const fs::path& folder, const std::set<fs::path>* reported, LoadedWorkflows& loaded) {
  FolderContent content;
  auto keep = [&](const fs::path& file) { return reported == nullptr || reported->count(fs::weakly_canonical(file)); };

  fs::path roles_file = folder / "roles.yaml";
  if (auto text = read_text_file(roles_file)) {
    Diagnostics role_problems;
    if (auto roles = parse_roles(*text, roles_file.string(), role_problems)) {
      content.roles = std::move(*roles);
    } else {
      content.complete = false;
    }
    loaded.diagnostics.insert(loaded.diagnostics.end(), role_problems.begin(), role_problems.end());
  } else {
    report_unreadable(loaded, roles_file, {"没有可读取的 roles.yaml", "no readable roles.yaml"});
    content.complete = false;
  }

  for (const fs::path& file : workflow_files_in(folder)) {
    auto text = read_text_file(file);
    if (!text) {
      if (keep(file)) report_unreadable(loaded, file, {"无法读取的文件", "unreadable file"});
      content.complete = false;
      continue;
    }
    Diagnostics problems;
    std::optional<Workflow> workflow = parse_workflow(*text, file.string(), problems);
    if (keep(file)) loaded.diagnostics.insert(loaded.diagnostics.end(), problems.begin(), problems.end());
    if (!workflow) {
      content.complete = false;
      if (!keep(file)) {
        Diagnostic sibling{file.string(), 0, 0, "", {"与所检查文件同目录、含有错误的流程", "a workflow with errors beside the named files"},
                           {"同目录下的流程均无错误，才能检查相互引用；请先修正该文件",
                            "every workflow in the folder free of errors, so that references between them can be checked; fix this file first"}};
        loaded.diagnostics.push_back(std::move(sibling));
      }
      continue;
    }
    workflow->source_sha256 = sha256_hex(*text);
    content.workflows.push_back(std::make_shared<const Workflow>(std::move(*workflow)));
  }
  return content;
}

void validate_into(const FolderContent& content, const std::set<fs::path>* reported, LoadedWorkflows& loaded) {
  if (!content.complete) return;
  Diagnostics problems;
  validate_workflows(content.workflows, content.roles, problems);
  for (Diagnostic& problem : problems) {
    if (reported == nullptr || reported->count(fs::weakly_canonical(problem.file))) {
      loaded.diagnostics.push_back(std::move(problem));
    }
  }
}

}  // namespace

bool is_reserved_workflow_file(const fs::path& path) {
  std::string name = path.filename().string();
  return name == "roles.yaml" || name == "agencies.yaml";
}

LoadedWorkflows load_workflow_folder(const fs::path& folder) {
  LoadedWorkflows loaded;
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    report_unreadable(loaded, folder,
                      fs::exists(folder, error) ? LocalizedText{"不是目录", "not a folder"} : LocalizedText{"目录不存在", "no such folder"});
    return loaded;
  }
  FolderContent content = parse_folder(folder, nullptr, loaded);
  validate_into(content, nullptr, loaded);
  loaded.workflows = std::move(content.workflows);
  loaded.roles = std::move(content.roles);
  return loaded;
}

LoadedWorkflows load_workflow_paths(const std::vector<fs::path>& paths) {
  LoadedWorkflows loaded;
  std::map<fs::path, std::set<fs::path>> reported_by_folder;
  for (const fs::path& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      fs::path folder = fs::weakly_canonical(path);
      for (const fs::path& file : workflow_files_in(folder)) reported_by_folder[folder].insert(fs::weakly_canonical(file));
      reported_by_folder[folder].insert(folder / "roles.yaml");
    } else if (fs::is_regular_file(path, error) && !is_yaml_file(path)) {
      report_unreadable(loaded, path, {"不是 .yaml 或 .yml 流程文件", "not a .yaml or .yml workflow file"});
    } else if (fs::is_regular_file(path, error)) {
      fs::path file = fs::weakly_canonical(path);
      reported_by_folder[file.parent_path()].insert(file);
    } else {
      report_unreadable(loaded, path, {"文件或目录不存在", "no such file or folder"});
    }
  }

  for (const auto& [folder, reported] : reported_by_folder) {
    FolderContent content = parse_folder(folder, &reported, loaded);
    validate_into(content, &reported, loaded);
    loaded.workflows.insert(loaded.workflows.end(), content.workflows.begin(), content.workflows.end());
  }
  return loaded;
}

std::shared_ptr<const WorkflowRegistry> pin_workflows(const LoadedWorkflows& loaded, CaseStore& store,
                                                      Diagnostics& diagnostics) {
  std::vector<WorkflowPtr> all = loaded.workflows;
  std::set<std::pair<std::string, int>> from_files;
  std::map<std::string, int> current;
  for (const WorkflowPtr& workflow : loaded.workflows) {
    from_files.insert({workflow->id, workflow->version});
    current[workflow->id] = workflow->version;
    StoredDefinition definition{workflow->id, workflow->version, workflow->source_sha256, workflow->source_file,
                                workflow->source_text};
    if (!store.save_definition(definition)) {
      Diagnostic diagnostic;
      diagnostic.file = workflow->source_file;
      diagnostic.line = workflow->position.line;
      diagnostic.key_path = "version";
      diagnostic.found = {fmt::format("第 {} 版，但内容与数据库中保存的第 {} 版不同", workflow->version, workflow->version),
                          fmt::format("version {} with content that differs from the stored version {}", workflow->version,
                                      workflow->version)};
      diagnostic.expected = {"修改流程文件后提高 version（已有案件保留其原版本）",
                             "a higher version after changing the file (running cases keep theirs)"};
      diagnostics.push_back(std::move(diagnostic));
    }
  }

  for (const StoredDefinition& definition : store.definitions()) {
    if (from_files.count({definition.workflow_id, definition.version})) continue;
    Diagnostics problems;
    std::string name = fmt::format("stored:{}@{}", definition.workflow_id, definition.version);
    auto file_version = current.find(definition.workflow_id);
    if (file_version != current.end() && definition.version > file_version->second) {
      spdlog::warn("workflow_version_behind_store workflow={} file_version={} stored_version={} "
                   "note=\"new cases start on the file version; cases on the stored version keep it\"",
                   definition.workflow_id, file_version->second, definition.version);
    }
    if (auto workflow = parse_workflow(definition.yaml_text, name, problems)) {
      workflow->source_sha256 = definition.sha256;
      all.push_back(std::make_shared<const Workflow>(std::move(*workflow)));
    } else {
      diagnostics.insert(diagnostics.end(), problems.begin(), problems.end());
    }
  }
  return std::make_shared<const WorkflowRegistry>(std::move(all), loaded.roles, std::move(current));
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace sitecycle
