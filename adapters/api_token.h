// API token text, generation and hashing.
//
// A token reads "sct_<id>_<secret>": the id names the stored row and the secret is 32 random
// bytes as 64 lowercase hex digits. The store keeps only a BLAKE2b-256 hash of the secret
// (libsodium's crypto_generichash); a 256-bit random secret needs no slow password hash.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sitecycle {

struct TokenParts {
  std::string id;
  std::string secret;
};

struct GeneratedToken {
  TokenParts parts;
  std::string text;         // shown to the user once
  std::string secret_hash;  // stored
};

// `bytes` random bytes as lowercase hex, for ids that must not be guessed. Throws
// std::runtime_error when libsodium cannot be initialised.
std::string random_hex(std::size_t bytes);

// Whether `id` is a token id: 1 to 64 lowercase letters, digits and underscores.
bool is_valid_token_id(std::string_view id);

// A new token with a random id and secret. Throws std::runtime_error when libsodium cannot be
// initialised.
GeneratedToken generate_token();

// A token with the given id and secret, for fixtures that need a known token. The secret must be
// 64 lowercase hex digits.
GeneratedToken token_from_parts(std::string_view id, std::string_view secret);

// "sct_<id>_<secret>" split into its parts; nullopt for any other text.
std::optional<TokenParts> parse_token(std::string_view text);

// The hash stored for `secret`, as lowercase hex.
std::string hash_token_secret(std::string_view secret);

// Compares the hash of `secret` with `stored_hash` in constant time.
bool token_secret_matches(std::string_view secret, std::string_view stored_hash);

}  // namespace sitecycle
