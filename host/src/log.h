// One line per event on stderr, safe from any thread.
#pragma once

#include <string_view>

namespace latchkey::host {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

void log_line(LogLevel level, std::string_view source, std::string_view message);

}  // namespace latchkey::host
