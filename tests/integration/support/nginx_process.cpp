// NginxProcess: a temp nginx.conf, `nginx -p DIR -c nginx.conf` in the foreground
// (`daemon off; master_process off;`: one process, so killing it leaves no workers behind).
#include "nginx_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace latchkey::test {
namespace fs = std::filesystem;
namespace {

// Binds a socket to a port the kernel picks on 127.0.0.1 and keeps it bound, so that nothing
// else (a host started on port 0) takes the port before nginx does; 0 when that failed.
uint16_t reserve_loopback_port(int& fd) {
  fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    return ntohs(address.sin_port);
  }
  return 0;
}

bool accepts_connections(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

std::string config_text(const fs::path& dir, uint16_t port, const std::string& upstream,
                        const std::string& location_directives) {
  const std::string d = dir.string();
  std::ostringstream conf;
  // nginx as root would otherwise switch to "nobody"; as anyone else the directive is an error.
  if (::geteuid() == 0) conf << "user root;\n";
  conf << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
       << "pid " << d << "/nginx.pid;\nerror_log " << d << "/error.log info;\n"
       << "events { worker_connections 64; }\n"
       << "http {\n"
       << "  access_log " << d << "/access.log;\n"
       << "  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d << "/proxy;\n"
       << "  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n"
       << "  scgi_temp_path " << d << "/scgi;\n"
       << "  server {\n    listen 127.0.0.1:" << port << ";\n"
       << "    location / {\n      proxy_pass " << upstream << ";\n" << location_directives << "    }\n  }\n}\n";
  return conf.str();
}

}  // namespace

NginxProcess::NginxProcess() {
  std::string pattern = (fs::temp_directory_path() / "latchkey-nginx-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  port_ = reserve_loopback_port(reserved_fd_);
}

NginxProcess::~NginxProcess() {
  stop();
  if (reserved_fd_ >= 0) ::close(reserved_fd_);
  if (!std::getenv("LATCHKEY_KEEP_TEST_DIRS")) {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
}

bool NginxProcess::installed() { return ::access(kNginxBinary, X_OK) == 0; }

std::string NginxProcess::error_log() const {
  std::ifstream in(dir_ / "error.log");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void NginxProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  bool reaped = false;
  for (int i = 0; i < 200 && !reaped; ++i) {  // nginx finishes its connections within 2 s
    reaped = ::waitpid(pid_, &status, WNOHANG) == pid_;
    if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!reaped) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

bool NginxProcess::start(const std::string& upstream, const std::string& location_directives,
                         std::chrono::milliseconds timeout) {
  stop();
  if (port_ == 0) {
    last_error_ = "no free loopback port";
    return false;
  }
  const fs::path conf = dir_ / "nginx.conf";
  std::ofstream(conf, std::ios::trunc) << config_text(dir_, port_, upstream, location_directives);

  // -e: the error log from the first line on (not the build's default path).
  std::vector<std::string> args = {kNginxBinary, "-p", dir_.string() + "/", "-c", conf.string(),
                                   "-e", (dir_ / "error.log").string()};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string out = (dir_ / "nginx.out").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (reserved_fd_ >= 0) ::close(reserved_fd_);  // the port is nginx's from now on
  reserved_fd_ = -1;
  pid_t pid = -1;
  const int error = posix_spawn(&pid, kNginxBinary, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    last_error_ = "posix_spawn " + std::string(kNginxBinary) + " failed: " + std::to_string(error);
    return false;
  }
  pid_ = pid;

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      last_error_ = "nginx exited at start:\n" + error_log();
      return false;
    }
    if (accepts_connections(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  last_error_ = "nginx did not accept connections on port " + std::to_string(port_) + ":\n" + error_log();
  stop();
  return false;
}

}  // namespace latchkey::test
