#include "adapters/text_file.h"

#include <fstream>
#include <sstream>

namespace sitecycle {

std::optional<std::string> read_text_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return std::nullopt;
  std::ostringstream content;
  content << stream.rdbuf();
  if (stream.bad()) return std::nullopt;
  return content.str();
}

}  // namespace sitecycle
