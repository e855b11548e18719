#include "bench/load/node_process.h"

#include <fmt/format.h>

#include <cstdio>
#include <stdexcept>

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sitecycle::bench {

NodeProcess::NodeProcess(const std::string& binary, const std::vector<std::string>& arguments,
                         const std::string& log_file) {
  int output[2];
  if (pipe(output) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(output[1], STDOUT_FILENO);
    close(output[0]);
    int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (log >= 0) dup2(log, STDERR_FILENO);
    std::vector<char*> argv{const_cast<char*>(binary.c_str()), const_cast<char*>("serve")};
    for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(output[1]);
  FILE* stream = fdopen(output[0], "r");
  char line[512] = {};
  const bool got_line = stream != nullptr && fgets(line, sizeof line, stream) != nullptr;
  if (stream != nullptr) fclose(stream);
  const std::string text = got_line ? line : "";
  const std::size_t colon = text.rfind(':');
  if (text.rfind("listening on http://", 0) != 0 || colon == std::string::npos) {
    throw std::runtime_error(fmt::format("a node did not start; see {}", log_file));
  }
  port_ = std::stoi(text.substr(colon + 1));
}

NodeProcess::~NodeProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

}  // namespace sitecycle::bench
