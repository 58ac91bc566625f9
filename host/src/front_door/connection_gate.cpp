// One connection's framing: hold the head, check it, pass exactly the declared body.
#include "front_door/connection_gate.h"

#include <algorithm>

namespace latchkey::host {

ConnectionGate::Step ConnectionGate::on_bytes(std::string_view bytes) {
  if (phase_ == Phase::closed) return Step{Step::Kind::ignore, {}, {}};
  if (phase_ == Phase::body) return take_body(bytes, {});

  // One read is appended whole: the head is refused as soon as it passes the limit, so at most
  // the limit plus one read is ever held.
  size_t search_from = head_.size() < 3 ? 0 : head_.size() - 3;  // the terminator may straddle reads
  head_.append(bytes);
  // RFC 9112 §2.2: empty lines before a request line are ignored (some clients send one after a body).
  while (head_.size() >= 2 && head_[0] == '\r' && head_[1] == '\n') {
    head_.erase(0, 2);
    search_from = 0;
  }

  const size_t end = head_.find("\r\n\r\n", search_from);
  const size_t head_length = end == std::string::npos ? head_.size() : end + 4;
  // A head whose lines end in a bare LF would never complete (RFC 9112 §2.2 lets a server refuse it).
  for (size_t i = head_.find('\n', search_from); i < head_length; i = head_.find('\n', i + 1)) {
    if (i == 0 || head_[i - 1] != '\r') return refuse({400, "invalid_request", "lines must end with CRLF"});
  }
  if (head_length > max_head_bytes_) {
    return refuse({431, "headers_too_large", "the request head exceeds " + std::to_string(max_head_bytes_) + " bytes"});
  }
  if (end == std::string::npos) return Step{Step::Kind::wait, {}, {}};

  HeadCheck check = check_request_head(std::string_view(head_).substr(0, head_length), max_body_bytes_);
  if (!check.ok()) return refuse(std::move(check));
  keep_alive_ = check.keep_alive;
  body_left_ = check.content_length;
  phase_ = Phase::body;
  const std::string after_head = head_.substr(head_length);
  head_.resize(head_length);
  headers_ = RequestHeaders(std::move(head_), std::move(check.fields));
  for (const auto& [name, joined] : check.forwarded_headers) headers_.set(name, joined);
  if (check.cookie_lines > 1) headers_.set("cookie", check.cookie);
  head_ = std::string();
  return take_body(after_head, std::move(check.parser_head));
}

RequestHeaders ConnectionGate::take_headers() { return std::move(headers_); }

ConnectionGate::Step ConnectionGate::take_body(std::string_view bytes, std::string forwarded) {
  const size_t taken = std::min(bytes.size(), body_left_);
  forwarded.append(bytes.substr(0, taken));
  body_left_ -= taken;
  if (bytes.size() > taken) pipelined_ = true;  // dropped: see keep_alive()
  if (forwarded.empty()) return Step{Step::Kind::wait, {}, {}};
  return Step{Step::Kind::forward, std::move(forwarded), {}};
}

void ConnectionGate::request_done() {
  phase_ = keep_alive() ? Phase::head : Phase::closed;
  head_.clear();
  body_left_ = 0;
  keep_alive_ = true;
}

bool ConnectionGate::response_starts() {
  closing_ = phase_ == Phase::closed;
  return !closing_;
}

bool ConnectionGate::response_written() {
  if (!closing_ && phase_ != Phase::closed) return false;
  phase_ = Phase::closed;
  return true;
}

ConnectionGate::Step ConnectionGate::refuse(HeadCheck refusal) {
  phase_ = Phase::closed;
  head_.clear();
  head_.shrink_to_fit();
  return Step{Step::Kind::refuse, {}, std::move(refusal)};
}

}  // namespace latchkey::host
