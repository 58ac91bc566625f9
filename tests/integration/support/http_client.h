// A small libcurl client for integration tests. One HttpClient per thread.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

typedef void CURL;

namespace latchkey::test {

struct HttpResult {
  long status = 0;     // 0 when no HTTP answer came (see error)
  std::string error;   // libcurl's message when the transfer failed
  std::multimap<std::string, std::string> headers;  // lower-case names, every value kept
  std::string body;

  // The first value of a header (case-insensitive name), or "" when absent.
  std::string header(const std::string& name) const;
  std::vector<std::string> headers_named(const std::string& name) const;
  bool has_header(const std::string& name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  // keep_alive: reuse one connection across requests (sends "Connection: keep-alive", which
  // Pistache 0.0.5 needs); otherwise every request opens a fresh connection.
  explicit HttpClient(bool keep_alive = false, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // The URL's path is sent as is (no "/../" squashing), so traversal attempts reach the host.
  HttpResult request(const std::string& method, const std::string& url, const Headers& headers = {},
                     const std::string& body = "");

  HttpResult get(const std::string& url, const Headers& headers = {}) { return request("GET", url, headers); }
  HttpResult post(const std::string& url, const std::string& body, const Headers& headers = {}) {
    return request("POST", url, headers, body);
  }

  // Connects from this local address from now on (e.g. "127.0.0.2": every 127/8 address is the
  // loopback's), so a test can be a client at another address; "" is the kernel's choice.
  void bind_to(std::string address) { source_address_ = std::move(address); }

 private:
  bool keep_alive_;
  std::string source_address_;
  std::chrono::milliseconds timeout_;
  CURL* curl_ = nullptr;
};

}  // namespace latchkey::test
