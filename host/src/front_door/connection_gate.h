// Frames one connection's bytes into requests before Pistache's parser sees them: a request's head
// is held until it is complete and has passed check_request_head, then the part of the head the
// parser needs (HeadCheck::parser_head) and exactly Content-Length bytes of body go through; the
// head itself is kept for take_headers().
// Nothing beyond the limits is ever buffered or reserved. Not thread-safe: the caller locks.
#pragma once

#include "front_door/request_head.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace latchkey::host {

class ConnectionGate {
 public:
  ConnectionGate(size_t max_head_bytes, size_t max_body_bytes)
      : max_head_bytes_(max_head_bytes), max_body_bytes_(max_body_bytes) {}

  struct Step {
    enum class Kind {
      wait,     // the head is not complete yet: nothing to parse
      forward,  // hand `bytes` to the HTTP parser (a checked head's parser part and/or body bytes)
      refuse,   // answer `refusal` and close the connection: its framing can no longer be trusted
      ignore,   // the connection is closing: the bytes are dropped
    };
    Kind kind = Kind::wait;
    std::string bytes;
    HeadCheck refusal;
  };

  // Takes the bytes as they arrive from the socket.
  Step on_bytes(std::string_view bytes);

  // The parser completed the current request: what follows is a new head, unless the connection
  // closes after this request (the client's wish, or it pipelined: bytes beyond the request in
  // the same read are dropped, as pipelining is not served).
  void request_done();

  // The response is about to be written: true when it may say `Connection: keep-alive`.
  bool response_starts();

  // The response has been written: true when the connection must now end.
  bool response_written();

  // Refuses everything from now on (an error was answered, or the connection must close).
  void close() { phase_ = Phase::closed; }

  // The client's wish for the current request (HTTP version, Connection header), false once it
  // sent bytes beyond the request.
  bool keep_alive() const { return keep_alive_ && !pipelined_; }

  // The current request's header fields (its head, moved out: call once per request), with the
  // X-Forwarded-* lines and the Cookie lines each joined into one value (HeadCheck).
  RequestHeaders take_headers();

 private:
  enum class Phase { head, body, closed };

  Step take_body(std::string_view bytes, std::string forwarded);
  Step refuse(HeadCheck refusal);

  const size_t max_head_bytes_;
  const size_t max_body_bytes_;
  Phase phase_ = Phase::head;
  std::string head_;        // the incomplete head held so far
  size_t body_left_ = 0;    // Content-Length bytes of the current request still to come
  bool keep_alive_ = true;
  bool pipelined_ = false;
  bool closing_ = false;  // the response being written says `Connection: close`
  RequestHeaders headers_;
};

}  // namespace latchkey::host
