// Problems found in a workflow or scenario file, each with its position.
#pragma once

#include <string>
#include <vector>

namespace sitecycle {

// One problem: "parcel.yaml:12:5: transitions.store.to: found 'stord', expected a state id
// (registered, stored, ...)". Lines and columns are 1-based; 0 means unknown.
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;
  std::string found;
  std::string expected;

  std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace sitecycle
