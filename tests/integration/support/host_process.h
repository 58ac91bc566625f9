// Runs the real latchkey binary for integration tests: a fresh temp folder holds its config (and
// anything else a test writes there) and its captured stdout/stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <thread>
#include <string>
#include <utility>
#include <vector>

namespace latchkey::test {

using namespace std::chrono_literals;

// Polls condition every few milliseconds until it holds or timeout passes; returns its last value.
template <typename Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
}

struct ExitResult {
  int exit_code = -1;  // the exit status, or -SIGNAL when killed by a signal
  std::string out;
  std::string err;
};

// True when text (a child's stderr) holds an AddressSanitizer, LeakSanitizer, UBSan or TSan report.
inline bool has_sanitizer_report(const std::string& text) {
  return text.find("Sanitizer:") != std::string::npos || text.find(": runtime error: ") != std::string::npos;
}

class HostProcess {
 public:
  // binary: the latchkey executable. The folder is created now and removed with this object.
  explicit HostProcess(std::string binary);
  ~HostProcess();  // SIGKILLs a host still running
  HostProcess(const HostProcess&) = delete;
  HostProcess& operator=(const HostProcess&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path config_path() const { return dir_ / "latchkey.json"; }
  // Writes a file (folders created) relative to dir(); returns its absolute path.
  std::filesystem::path write_file(const std::string& relative, const std::string& content) const;
  void write_config(const std::string& json) const { write_file("latchkey.json", json); }
  // Extra environment variables for the host (on top of this process's environment).
  void set_env(std::string name, std::string value) { env_.emplace_back(std::move(name), std::move(value)); }

  // Starts `latchkey --config dir/latchkey.json [--listen 127.0.0.1:0] extra_args...` and waits
  // for the "listening on http://HOST:PORT" line. False (with the reason in last_error()) when the
  // host exited first or the line did not come within timeout.
  bool start(std::vector<std::string> extra_args = {}, bool override_listen = true,
             std::chrono::milliseconds timeout = 10s);
  // Runs `latchkey args...` (in dir()) to its end; SIGKILLs it after timeout.
  ExitResult run_to_exit(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 10s);

  const std::string& base_url() const { return base_url_; }  // "http://127.0.0.1:PORT"
  std::string url(const std::string& path) const { return base_url_ + path; }
  // The port it listens on (for raw connections).
  uint16_t port() const { return static_cast<uint16_t>(std::stoi(base_url_.substr(base_url_.rfind(':') + 1))); }
  const std::string& last_error() const { return last_error_; }

  void send_signal(int signal) const;
  // The exit code (or -SIGNAL) once the host ended, nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = 15s);
  bool running() const { return pid_ > 0 && !exit_code_; }

  std::string stdout_text() const;
  std::string stderr_text() const;
  // Waits until stderr contains needle.
  bool wait_for_stderr(const std::string& needle, std::chrono::milliseconds timeout = 5s) const;

 private:
  void spawn(const std::vector<std::string>& args);
  void expect_no_sanitizer_report() const;
  std::optional<int> poll_exit();

  std::string binary_;
  std::filesystem::path dir_;
  std::vector<std::pair<std::string, std::string>> env_;
  int pid_ = -1;
  std::optional<int> exit_code_;
  std::string base_url_;
  std::string last_error_;
};

}  // namespace latchkey::test
