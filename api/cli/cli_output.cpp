#include "api/cli/cli_output.h"

#include <cstdio>
#include <iostream>

namespace sitecycle::cli {

void print_error(Language language, const std::string& zh_cn, const std::string& en) {
  std::cerr << (language == Language::en ? en : zh_cn) << '\n';
}

void print_line(Language language, const std::string& zh_cn, const std::string& en) {
  std::cout << (language == Language::en ? en : zh_cn) << '\n';
}

void print_diagnostics(Language language, const Diagnostics& diagnostics) {
  for (const Diagnostic& diagnostic : diagnostics) std::cerr << diagnostic.to_string(language) << '\n';
}

Language language_from_flag(std::string_view value) { return parse_language(value); }

}  // namespace sitecycle::cli
