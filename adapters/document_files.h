// The contents of uploaded documents on disk, stored once per SHA-256 (content-addressed):
// ROOT/ab/abcdef… for a hash starting with "ab". Metadata lives in the case store.
//
// Thread-safety: every member may be called from any thread. Two uploads of the same content
// may race to keep it; both end with the one file in place.
#pragma once

#include <filesystem>
#include <string_view>

namespace sitecycle {

class DocumentFiles {
 public:
  explicit DocumentFiles(std::filesystem::path root);

  // Moves a finished upload into place under its hash, or deletes it when the same content is
  // stored already. Throws StoreError naming the path when the file system fails, or when
  // `sha256` is not 64 lowercase hex digits.
  void keep(const std::filesystem::path& upload, std::string_view sha256) const;

  // Where the content with `sha256` is kept. Throws StoreError for a malformed hash.
  std::filesystem::path path_of(std::string_view sha256) const;

  // Where the transport streams uploads before they are kept: on the same file system as the
  // store, so that keeping one is a rename.
  std::filesystem::path temporary_folder() const { return root_ / "tmp"; }

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace sitecycle
