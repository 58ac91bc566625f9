// Runs a real nginx (Debian nginx-light, /usr/sbin/nginx) as a reverse proxy for integration
// tests: a loopback port, every file it writes in a fresh temp folder, one process in the
// foreground that the test owns and kills at the end.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace latchkey::test {

inline constexpr const char* kNginxBinary = "/usr/sbin/nginx";

// The directives of a proxy that forwards who the client is, as docs/OPERATING.md recommends.
inline constexpr const char* kForwardingDirectives =
    "proxy_http_version 1.1;\n"
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
    "proxy_set_header X-Forwarded-Proto $scheme;\n"
    "proxy_set_header X-Forwarded-Host $http_host;\n";

class NginxProcess {
 public:
  NginxProcess();   // creates the folder and picks the port, so base_url() is known before start
  ~NginxProcess();  // stops nginx (SIGTERM, then SIGKILL) and removes the folder
  NginxProcess(const NginxProcess&) = delete;
  NginxProcess& operator=(const NginxProcess&) = delete;

  static bool installed();

  // Starts nginx on 127.0.0.1:port(), passing every request to `upstream` (e.g.
  // "http://127.0.0.1:8080") with `location_directives` in its location block. False, with the
  // reason and nginx's error log in last_error(), when it did not accept connections in time.
  bool start(const std::string& upstream, const std::string& location_directives = kForwardingDirectives,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));

  uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string url(const std::string& path) const { return base_url() + path; }
  const std::filesystem::path& dir() const { return dir_; }
  const std::string& last_error() const { return last_error_; }
  std::string error_log() const;

 private:
  void stop();

  std::filesystem::path dir_;
  int pid_ = -1;
  int reserved_fd_ = -1;  // holds port_ until nginx binds it
  uint16_t port_ = 0;
  std::string last_error_;
};

}  // namespace latchkey::test
