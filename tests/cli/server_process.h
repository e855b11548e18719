// A `sitecycle serve` child process for tests that talk to a real server over a socket.
#pragma once

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sitecycle::testing {

// A `sitecycle serve` child process, stopped with SIGTERM on destruction.
class ServerProcess {
 public:
  // Runs `sitecycle serve ARGUMENTS` from the source directory. Its standard error goes to
  // `log_file` when one is named, else to the test's.
  explicit ServerProcess(const std::vector<std::string>& arguments, const std::string& log_file = "") {
    int out_pipe[2];
    REQUIRE(pipe(out_pipe) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out_pipe[1], STDOUT_FILENO);
      close(out_pipe[0]);
      if (!log_file.empty()) {
        int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (log < 0) _exit(126);
        dup2(log, STDERR_FILENO);
      }
      if (chdir(SITECYCLE_SOURCE_DIR) != 0) _exit(127);
      std::vector<char*> argv{const_cast<char*>(SITECYCLE_BINARY), const_cast<char*>("serve")};
      for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
      argv.push_back(nullptr);
      execv(SITECYCLE_BINARY, argv.data());
      _exit(127);
    }
    close(out_pipe[1]);
    output_ = fdopen(out_pipe[0], "r");
  }

  ~ServerProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGTERM);
      wait_for_exit();
    }
    if (output_ != nullptr) fclose(output_);
  }

  // The first line of standard output; empty when the process exits first.
  std::string first_line() {
    char buffer[512];
    if (fgets(buffer, sizeof buffer, output_) == nullptr) return {};
    std::string line(buffer);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  }

  int stop() {
    kill(pid_, SIGTERM);
    return wait_for_exit();
  }

  int wait_for_exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* output_ = nullptr;
  bool exited_ = false;
};

// The port of a "listening on http://HOST:PORT" line.
inline int port_of(const std::string& listening_line) {
  auto colon = listening_line.rfind(':');
  REQUIRE(colon != std::string::npos);
  return std::stoi(listening_line.substr(colon + 1));
}

}  // namespace sitecycle::testing
