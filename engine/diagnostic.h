// Problems found in a workflow or scenario file, each with its position.
#pragma once

#include "localized_text.h"

#include <string>
#include <vector>

namespace sitecycle {

// One problem, rendered as
//   parcel.yaml:12:5: transitions.store.to: found "stord", expected a state id (registered, ...)
//   parcel.yaml:12:5: transitions.store.to: 发现 "stord"，应为状态标识（registered, ...）
// Lines and columns are 1-based; 0 means unknown. `found` is a value as written (the same in
// both languages) or a description of what was found, or empty.
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;
  LocalizedText found;
  LocalizedText expected;

  std::string to_string(Language language = Language::en) const;
};

using Diagnostics = std::vector<Diagnostic>;

// A value quoted from the input, which reads the same in both languages.
inline LocalizedText verbatim(std::string text) { return LocalizedText{text, std::move(text)}; }

}  // namespace sitecycle
