// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a set of
// 31 (digits and upper-case letters without I, O, S, V and Z), the last a check character.
#pragma once

#include <optional>
#include <string_view>

namespace sitecycle {

// Returns the check character of a code's first 17 characters, or nullopt when they are not 17
// characters of the code's character set.
std::optional<char> credit_code_check_character(std::string_view first_seventeen);

// Returns whether `code` is 18 characters of the set, with digits in places 3 to 8 (the
// administrative division) and the right check character last.
bool is_valid_credit_code(std::string_view code);

}  // namespace sitecycle
