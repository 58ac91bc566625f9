// The one form an email address is stored and looked up in, so uniqueness is case-insensitive.
#pragma once

#include <string>
#include <string_view>

namespace latchkey::store {

// Trims ASCII whitespace and lowercases ASCII letters; other bytes (UTF-8) are kept as they are.
std::string normalise_email(std::string_view email);

}  // namespace latchkey::store
