// Log lines on stderr, whole (concurrent lines never interleave) and in order. Access lines wait in
// a buffer that a writer thread empties; every other line is written at once, after them.
#include "log.h"

#include "log_buffer.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace latchkey::host {
namespace {

constexpr size_t kAccessBufferBytes = 1 << 20;
constexpr std::chrono::milliseconds kAccessFlushInterval{50};

void write_stderr(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

// Created on first use and never destroyed, so a line logged while the process exits (a static
// destructor, another atexit handler) still has somewhere to go; what waits is written at exit.
LogBuffer& buffer() {
  static LogBuffer* const instance = [] {
    auto* created = new LogBuffer(write_stderr, kAccessBufferBytes, kAccessFlushInterval);
    std::atexit([] { buffer().flush(); });
    return created;
  }();
  return *instance;
}

std::string format_line(LogLevel level, std::string_view source, std::string_view message) {
  static const char* const names[] = {"debug", "info", "warn", "error"};
  std::string line;
  line.reserve(message.size() + source.size() + 16);
  line += names[static_cast<int>(level)];
  line += " [";
  line += source;
  line += "] ";
  for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;  // one event, one line
  line += '\n';
  return line;
}

void append_number(std::string& text, long long number) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  text.append(digits, end);
}

}  // namespace

void log_line(LogLevel level, std::string_view source, std::string_view message) {
  buffer().write_now(format_line(level, source, message));
}

void access_log(const HttpRequest& request, uint32_t status, std::chrono::steady_clock::time_point started) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  std::string message;
  message.reserve(request.method.size() + request.path.size() + request.remote_address.size() + 48);
  message += request.method;
  message += ' ';
  message += request.path;
  message += ' ';
  append_number(message, status);
  message += ' ';
  append_number(message, micros / 1000);
  message += '.';
  append_number(message, micros % 1000 / 100);
  message += "ms ";
  message += request.remote_address;
  buffer().append(format_line(LogLevel::info, "access", message));
}

}  // namespace latchkey::host
