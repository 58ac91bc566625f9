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

}  // namespace latchkey::host
