// Percent-decoding of path segments and query values.
#pragma once

#include <string>
#include <string_view>

namespace latchkey::host {

std::string percent_decode(std::string_view text);

}  // namespace latchkey::host
