// Writes log lines whole (one write under a lock) so concurrent lines never interleave.
#include "log.h"

#include <cstdio>
#include <mutex>
#include <string>

namespace latchkey::host {

void log_line(LogLevel level, std::string_view source, std::string_view message) {
  static std::mutex mutex;
  static const char* const names[] = {"debug", "info", "warn", "error"};
  std::string line;
  line.reserve(message.size() + source.size() + 16);
  line += names[static_cast<int>(level)];
  line += " [";
  line += source;
  line += "] ";
  for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;  // one event, one line
  line += '\n';
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void access_log(const HttpRequest& request, uint32_t status, std::chrono::steady_clock::time_point started) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  log_line(LogLevel::info, "access",
           request.method + " " + request.path + " " + std::to_string(status) + " " + std::to_string(micros / 1000) +
               "." + std::to_string(micros % 1000 / 100) + "ms " + request.remote_address);
}

}  // namespace latchkey::host
