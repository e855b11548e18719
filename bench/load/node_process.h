// A `sitecycle serve` process started by the load benchmark, stopped with SIGTERM on
// destruction.
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace sitecycle::bench {

class NodeProcess {
 public:
  // Starts `binary serve ARGUMENTS` with its standard error appended to `log_file`, and waits for
  // its "listening on http://HOST:PORT" line. Throws std::runtime_error naming the log when the
  // process exits first.
  NodeProcess(const std::string& binary, const std::vector<std::string>& arguments, const std::string& log_file);
  ~NodeProcess();

  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace sitecycle::bench
