// Raw sockets for the front-door tests: no HTTP library in between, so the bytes are the bytes.
#include "support/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace latchkey::test {

std::vector<std::string> RawResponse::header_values(const std::string& name) const {
  std::vector<std::string> values;
  size_t start = head.find("\r\n");
  while (start != std::string::npos && start + 2 < head.size()) {
    const size_t end = head.find("\r\n", start + 2);
    const std::string line = head.substr(start + 2, end == std::string::npos ? std::string::npos : end - start - 2);
    const size_t colon = line.find(':');
    if (colon != std::string::npos && colon == name.size() && strncasecmp(line.c_str(), name.c_str(), colon) == 0) {
      size_t value_start = colon + 1;
      while (value_start < line.size() && line[value_start] == ' ') ++value_start;
      values.push_back(line.substr(value_start));
    }
    start = end;
  }
  return values;
}

std::string RawResponse::header(const std::string& name) const {
  const auto values = header_values(name);
  return values.empty() ? "" : values.front();
}

RawConnection::RawConnection(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool RawConnection::fill(std::chrono::steady_clock::time_point deadline) {
  if (eof_) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd waiting{fd_, POLLIN, 0};
  if (::poll(&waiting, 1, static_cast<int>(left.count())) <= 0) return false;
  char chunk[65536];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::optional<RawResponse> RawConnection::read_response(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill(deadline)) return std::nullopt;
  }
  RawResponse response;
  response.head = buffer_.substr(0, head_end);
  if (response.head.rfind("HTTP/1.", 0) == 0 && response.head.size() >= 12) {
    response.status = std::atoi(response.head.substr(9, 3).c_str());
  }
  const std::string length = response.header("Content-Length");
  const size_t body_length = length.empty() ? 0 : std::strtoull(length.c_str(), nullptr, 10);
  while (buffer_.size() < head_end + 4 + body_length) {
    if (!fill(deadline)) return std::nullopt;
  }
  response.body = buffer_.substr(head_end + 4, body_length);
  buffer_.erase(0, head_end + 4 + body_length);
  return response;
}

bool RawConnection::closed_by_peer(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (fill(deadline)) {
  }
  return eof_;
}

}  // namespace latchkey::test
