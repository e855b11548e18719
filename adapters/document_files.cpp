#include "adapters/document_files.h"

#include "engine/result.h"

#include <fmt/format.h>

#include <system_error>

namespace sitecycle {

namespace {

bool is_sha256_hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

DocumentFiles::DocumentFiles(std::filesystem::path root) : root_(std::move(root)) {}

std::filesystem::path DocumentFiles::path_of(std::string_view sha256) const {
  if (!is_sha256_hex(sha256)) throw StoreError(fmt::format("document store {}: invalid SHA-256 '{}'", root_.string(), sha256));
  return root_ / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

void DocumentFiles::keep(const std::filesystem::path& upload, std::string_view sha256) const {
  std::filesystem::path target = path_of(sha256);
  std::error_code error;
  if (std::filesystem::exists(target, error)) {
    std::filesystem::remove(upload, error);
    return;
  }
  std::filesystem::create_directories(target.parent_path(), error);
  if (error) {
    throw StoreError(fmt::format("document store {}: cannot create {}: {}", root_.string(),
                                 target.parent_path().string(), error.message()));
  }
  std::filesystem::rename(upload, target, error);
  if (error) {
    throw StoreError(fmt::format("document store {}: cannot move the upload to {}: {}", root_.string(),
                                 target.string(), error.message()));
  }
}

}  // namespace sitecycle
