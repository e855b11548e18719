#include "adapters/api_token.h"

#include <sodium.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace sitecycle {

namespace {

constexpr std::string_view kPrefix = "sct_";
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kIdBytes = 8;

void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

bool is_lower_hex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::array<unsigned char, crypto_generichash_BYTES> hash_bytes(std::string_view secret) {
  std::array<unsigned char, crypto_generichash_BYTES> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  return hash;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  ensure_sodium();
  std::vector<unsigned char> buffer(bytes);
  randombytes_buf(buffer.data(), buffer.size());
  std::string hex = to_hex(buffer.data(), buffer.size());
  sodium_memzero(buffer.data(), buffer.size());
  return hex;
}

bool is_valid_token_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

GeneratedToken generate_token() {
  ensure_sodium();
  return token_from_parts(random_hex(kIdBytes), random_hex(kSecretBytes));
}

GeneratedToken token_from_parts(std::string_view id, std::string_view secret) {
  GeneratedToken token;
  token.parts = {std::string(id), std::string(secret)};
  token.text = std::string(kPrefix) + token.parts.id + "_" + token.parts.secret;
  token.secret_hash = hash_token_secret(secret);
  return token;
}

std::optional<TokenParts> parse_token(std::string_view text) {
  if (!text.starts_with(kPrefix)) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  std::size_t separator = text.rfind('_');
  if (separator == std::string_view::npos) return std::nullopt;
  std::string_view id = text.substr(0, separator);
  std::string_view secret = text.substr(separator + 1);
  if (!is_valid_token_id(id) || secret.size() != kSecretBytes * 2 || !is_lower_hex(secret)) return std::nullopt;
  return TokenParts{std::string(id), std::string(secret)};
}

std::string hash_token_secret(std::string_view secret) {
  ensure_sodium();
  auto hash = hash_bytes(secret);
  return to_hex(hash.data(), hash.size());
}

bool token_secret_matches(std::string_view secret, std::string_view stored_hash) {
  ensure_sodium();
  auto hash = hash_bytes(secret);
  std::array<unsigned char, crypto_generichash_BYTES> stored{};
  std::size_t stored_size = 0;
  if (sodium_hex2bin(stored.data(), stored.size(), stored_hash.data(), stored_hash.size(), nullptr,
                     &stored_size, nullptr) != 0 ||
      stored_size != stored.size()) {
    return false;
  }
  return sodium_memcmp(hash.data(), stored.data(), hash.size()) == 0;
}

}  // namespace sitecycle
