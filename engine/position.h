// A position in a source file.
#pragma once

namespace sitecycle {

// 1-based line and column; 0 means unknown.
struct Position {
  int line = 0;
  int column = 0;
};

}  // namespace sitecycle
