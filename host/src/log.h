// One line per event on stderr, safe from any thread. Access lines are buffered (written by a
// writer thread within 50 ms, or before any other line); every other line is written at once.
#pragma once

#include "http_types.h"

#include <chrono>
#include <string_view>

namespace latchkey::host {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

void log_line(LogLevel level, std::string_view source, std::string_view message);

// The request's access line: `info [access] METHOD PATH STATUS DURATIONms CLIENT`. Method, path
// (never the query), status, time and the client address (behind a trusted proxy, the one it
// forwarded for) only: no tokens, cookies or bodies. The address comes last so that readers of
// the older line still find what they did.
void access_log(const HttpRequest& request, uint32_t status, std::chrono::steady_clock::time_point started);

}  // namespace latchkey::host
