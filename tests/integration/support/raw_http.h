// A raw TCP connection to a test host: send exact bytes, read exact response bytes. For the tests
// of what the front door does with malformed requests and of the bytes it writes back.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latchkey::test {

struct RawResponse {
  std::string head;  // status line and header lines, as received, without the blank line
  std::string body;
  int status = 0;

  // Every value of a header (case-insensitive name), in the order received.
  std::vector<std::string> header_values(const std::string& name) const;
  std::string header(const std::string& name) const;  // the first value, or ""
};

class RawConnection {
 public:
  RawConnection(uint16_t port);  // connects to 127.0.0.1:port; connected() says whether it worked
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(const std::string& bytes);  // false when the peer refused them (closed)
  // Reads one response (head, then Content-Length bytes of body); nullopt on timeout or close.
  std::optional<RawResponse> read_response(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // True when the server ends the connection (EOF or reset) within timeout, after any pending bytes.
  bool closed_by_peer(std::chrono::milliseconds timeout = std::chrono::seconds(2));

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);  // reads more into buffer_; false on EOF/timeout

  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

}  // namespace latchkey::test
