// A loopback HTTP server for one JWKS document: counts the requests it answers, can be stopped
// (connections then fail), sends the Cache-Control it is given.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace latchkey::test::google {

class JwksServer {
 public:
  explicit JwksServer(std::string body, std::string cache_control = "public, max-age=3600");
  ~JwksServer();
  JwksServer(const JwksServer&) = delete;
  JwksServer& operator=(const JwksServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/oauth2/v3/certs"; }
  int requests() const { return requests_.load(); }
  void set_body(std::string body);
  void stop();

 private:
  void serve();

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::atomic<bool> stopping_{false};
  std::mutex body_mutex_;
  std::string body_;
  std::string cache_control_;
  std::thread thread_;
};

}  // namespace latchkey::test::google
