// HostProcess: posix_spawn with stdout/stderr redirected to files in the test's temp folder.
#include "host_process.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace latchkey::test {
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Built with a sanitizer (script/test --sanitize): the host is too, so stop it with SIGTERM first
// (LeakSanitizer checks at a normal exit only, never after SIGKILL).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1000;
}

}  // namespace

HostProcess::HostProcess(std::string binary) : binary_(std::move(binary)) {
  std::string pattern = (fs::temp_directory_path() / "latchkey-it-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
}

HostProcess::~HostProcess() {
  if (running() && kSanitized) {
    ::kill(pid_, SIGTERM);
    wait_exit(10s);
  }
  if (running()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  expect_no_sanitizer_report();
  if (!std::getenv("LATCHKEY_KEEP_TEST_DIRS")) {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
}

fs::path HostProcess::write_file(const std::string& relative, const std::string& content) const {
  const fs::path file = dir_ / relative;
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
  return file;
}

// A sanitizer report in the host (it goes to the host's stderr, and the host exits) fails the test
// that ran it, with the report in the test's output, whatever the test itself checked.
void HostProcess::expect_no_sanitizer_report() const {
  if (pid_ <= 0) return;
  const std::string err = stderr_text();
  if (has_sanitizer_report(err)) ADD_FAILURE() << "sanitizer report in " << binary_ << " (pid " << pid_ << "):\n" << err;
}

void HostProcess::spawn(const std::vector<std::string>& args) {
  expect_no_sanitizer_report();  // of the previous run: its stderr file is about to be truncated
  std::vector<std::string> argv_text = {binary_};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) env_text.emplace_back(*e);
  for (const auto& [name, value] : env_) env_text.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);

  const std::string out_path = (dir_ / "host.stdout").string();
  const std::string err_path = (dir_ / "host.stderr").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  // chdir is not a posix_spawn action before glibc 2.29's _np extension; the host needs no cwd
  // anyway: every path it reads is absolute or relative to its config file.
  pid_t pid = -1;
  const int error = posix_spawn(&pid, binary_.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) throw std::runtime_error("posix_spawn " + binary_ + " failed: " + std::to_string(error));
  pid_ = pid;
  exit_code_.reset();
}

std::optional<int> HostProcess::poll_exit() {
  if (exit_code_ || pid_ <= 0) return exit_code_;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) exit_code_ = decode_status(status);
  return exit_code_;
}

bool HostProcess::start(std::vector<std::string> extra_args, bool override_listen,
                        std::chrono::milliseconds timeout) {
  std::vector<std::string> args = {"--config", config_path().string()};
  if (override_listen) args.insert(args.end(), {"--listen", "127.0.0.1:0"});
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  spawn(args);
  static const std::regex listening(R"(listening on (http://[^\s]+:[0-9]+)\n)");
  std::smatch match;
  const bool ready = wait_until(
      [&] {
        const std::string out = stdout_text();
        if (std::regex_search(out, match, listening)) {
          base_url_ = match[1].str();
          return true;
        }
        return poll_exit().has_value();
      },
      timeout);
  if (!base_url_.empty()) return true;
  last_error_ = (ready ? "the host exited with " + std::to_string(*exit_code_) : std::string("no listening line in time")) +
                "; stderr:\n" + stderr_text();
  return false;
}

ExitResult HostProcess::run_to_exit(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  spawn(args);
  ExitResult result;
  if (auto code = wait_exit(timeout)) {
    result.exit_code = *code;
  } else {
    ::kill(pid_, SIGKILL);
    result.exit_code = wait_exit(5s).value_or(-1000);
  }
  result.out = stdout_text();
  result.err = stderr_text();
  return result;
}

void HostProcess::send_signal(int signal) const {
  if (pid_ > 0 && !exit_code_) ::kill(pid_, signal);
}

std::optional<int> HostProcess::wait_exit(std::chrono::milliseconds timeout) {
  wait_until([&] { return poll_exit().has_value(); }, timeout);
  return exit_code_;
}

std::string HostProcess::stdout_text() const { return read_file(dir_ / "host.stdout"); }
std::string HostProcess::stderr_text() const { return read_file(dir_ / "host.stderr"); }

bool HostProcess::wait_for_stderr(const std::string& needle, std::chrono::milliseconds timeout) const {
  return wait_until([&] { return stderr_text().find(needle) != std::string::npos; }, timeout);
}

}  // namespace latchkey::test
