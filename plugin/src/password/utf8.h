// Strict UTF-8 decoding for password length checks: counts code points, refuses anything
// that is not well-formed UTF-8 (overlongs, surrogates, > U+10FFFF, truncated sequences).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace latchkey::password {

// The number of code points in `text`, or nullopt when it is not well-formed UTF-8
// (Unicode 15, table 3-7).
std::optional<std::size_t> count_code_points(std::string_view text);

}  // namespace latchkey::password
