// Runs the sitecycle binary for CLI tests and captures its output and exit status.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace sitecycle::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// A fresh directory under the system temporary directory, removed on destruction.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sitecycle-cli-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(stream), {});
}

// Runs `sitecycle ARGUMENTS` from the source directory through the shell.
inline CommandResult run_sitecycle(const std::string& arguments) {
  TemporaryDirectory output;
  std::string command = fmt::format("cd '{}' && '{}' {} > '{}' 2> '{}'", SITECYCLE_SOURCE_DIR, SITECYCLE_BINARY, arguments,
                                    (output.path() / "out").string(), (output.path() / "err").string());
  int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(output.path() / "out");
  result.err = read_file(output.path() / "err");
  return result;
}

}  // namespace sitecycle::testing
