// Reading a whole file as bytes, for the YAML and CSV loaders.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace sitecycle {

// The file's content, or nullopt when it cannot be opened or read.
std::optional<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace sitecycle
