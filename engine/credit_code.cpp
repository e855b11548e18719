#include "credit_code.h"

namespace sitecycle {

namespace {

// The character set in the order of the values 0 to 30 (GB 32100-2015).
constexpr std::string_view kCharacters = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// The weight of position i (from 0) is 3 to the power i, modulo 31.
constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

}  // namespace

std::optional<char> credit_code_check_character(std::string_view first_seventeen) {
  if (first_seventeen.size() != 17) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    std::size_t value = kCharacters.find(first_seventeen[i]);
    if (value == std::string_view::npos) return std::nullopt;
    sum += static_cast<int>(value) * kWeights[i];
  }
  int check = (31 - sum % 31) % 31;
  return kCharacters[static_cast<std::size_t>(check)];
}

bool is_valid_credit_code(std::string_view code) {
  if (code.size() != 18) return false;
  // Characters 3 to 8 are the administrative division code, all digits.
  for (std::size_t i = 2; i < 8; ++i) {
    if (code[i] < '0' || code[i] > '9') return false;
  }
  std::optional<char> check = credit_code_check_character(code.substr(0, 17));
  return check && *check == code[17];
}

}  // namespace sitecycle
