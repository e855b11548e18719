#include "diagnostic.h"

#include <fmt/format.h>

namespace sitecycle {

std::string Diagnostic::to_string(Language language) const {
  std::string text = file;
  if (line > 0) text += fmt::format(":{}", line);
  if (line > 0 && column > 0) text += fmt::format(":{}", column);
  text += ": ";
  if (!key_path.empty()) text += key_path + ": ";

  if (language == Language::en) {
    if (!found.empty()) text += "found " + found.en + ", ";
    text += "expected " + expected.en;
  } else {
    if (!found.empty()) text += "发现 " + found.zh_cn + "，";
    text += "应为" + expected.zh_cn;
  }
  return text;
}

}  // namespace sitecycle
