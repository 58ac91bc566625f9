// Checks a request's head (request line and header lines) before Pistache parses it. Pistache 0.0.5
// trusts Content-Length, throws plain exceptions on some malformed headers and waits forever for a
// header line without a colon; a head that passes these checks parses cleanly there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "request_headers.h"

namespace latchkey::host {

struct HeadCheck {
  uint32_t status = 0;  // 0: the head is acceptable; otherwise the status to answer with
  std::string code;     // the JSON error code, e.g. "invalid_request"
  std::string message;  // what is wrong, for a person (never echoes header values)
  size_t content_length = 0;
  bool keep_alive = true;  // HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `keep-alive`
  // X-Forwarded-For, -Proto and -Host (lower-case names), each name's lines joined with ", " in
  // order (RFC 9110 §5.3). Pistache keeps only a name's first line, which for a proxy that adds
  // its own line (HAProxy) is the one the client wrote.
  std::map<std::string, std::string> forwarded_headers = {};
  // Every Cookie line's value, joined with "; " (RFC 9113 §8.2.3: what a client split, one value
  // again), and how many lines there were. Pistache's cookie parser and request_header both see this.
  std::string cookie = {};
  int cookie_lines = 0;
  // Every header line's name and trimmed value, in order, as offsets into the head checked.
  std::vector<HeaderField> fields = {};
  // The part of the head Pistache's parser needs: the request line, the first Content-Length line
  // and one Cookie line (`cookie`). The other lines are the host's to read (RequestHeaders), and Pistache's
  // byte-by-byte walk over long ones (a bearer token) cost more than the rest of a request.
  std::string parser_head = {};

  bool ok() const { return status == 0; }
};

// A refusal with its status, JSON code and message.
HeadCheck refusal(uint32_t status, std::string code, std::string message);

// `head` is everything up to and including the blank line that ends the headers (CRLF CRLF).
// Refuses: a malformed request line (400) or an HTTP version other than 1.0/1.1 (505); obsolete
// line folding, a line without a colon, a name that is not a token, control bytes or a bare CR/LF
// in a value (400); a Content-Length that is not digits or differs between copies (400), or
// declares more than max_body_bytes (413); Transfer-Encoding (411: bodies must declare a length;
// 400 with Content-Length too, the request-smuggling pair); an HTTP/1.1 request without exactly
// one Host, or a Host whose port is not a number up to 65535 (400); a cookie without `=` (400).
HeadCheck check_request_head(std::string_view head, size_t max_body_bytes);

}  // namespace latchkey::host
