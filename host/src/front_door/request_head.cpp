// The request-head rules of RFC 9110/9112 that Pistache 0.0.5 does not enforce itself.
#include "front_door/request_head.h"

#include <cctype>
#include <optional>
#include <vector>

namespace latchkey::host {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// RFC 9110 §5.6.2: tchar.
bool is_token_char(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text)
    if (!is_token_char(c)) return false;
  return true;
}

// RFC 9110 §5.5: field-value bytes are HTAB, SP, VCHAR or obs-text; never CR, LF, NUL or other CTLs.
bool is_field_value(std::string_view value) {
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  return true;
}

// The request-target as sent: visible ASCII only (clients percent-encode everything else).
bool is_request_target(std::string_view target) {
  if (target.empty()) return false;
  for (unsigned char c : target)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_forwarded_header(std::string_view name) {
  return equals_ignoring_ascii_case(name, "x-forwarded-for") || equals_ignoring_ascii_case(name, "x-forwarded-proto") ||
         equals_ignoring_ascii_case(name, "x-forwarded-host");
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// host [":" port], host possibly an IPv6 literal in brackets. Only the port is checked (a Host whose
// port is not a number is no Host); plugins read the value as sent.
bool is_valid_host(std::string_view host) {
  if (host.empty()) return false;
  std::string_view rest = host;
  if (host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    rest = host.substr(close + 1);
    if (rest.empty()) return true;
    if (rest.front() != ':') return false;
  } else {
    const size_t colon = host.rfind(':');
    if (colon == std::string_view::npos) return true;
    if (colon == 0) return false;
    rest = host.substr(colon);
  }
  const std::string_view port = rest.substr(1);
  if (!all_digits(port) || port.size() > 5) return false;
  return std::stoul(std::string(port)) <= 65535;
}

// RFC 6265 §4.2.1: cookie-pair *( ";" SP cookie-pair ); Pistache throws on a pair without "=".
bool is_valid_cookie_header(std::string_view value) {
  while (!value.empty()) {
    const size_t semicolon = value.find(';');
    const std::string_view pair = trim(value.substr(0, semicolon));
    if (!pair.empty() && (pair.find('=') == std::string_view::npos || pair.front() == '=')) return false;
    if (semicolon == std::string_view::npos) break;
    value.remove_prefix(semicolon + 1);
  }
  return true;
}

HeadCheck malformed(std::string message) { return refusal(400, "invalid_request", std::move(message)); }

}  // namespace

HeadCheck refusal(uint32_t status, std::string code, std::string message) {
  HeadCheck check;
  check.status = status;
  check.code = std::move(code);
  check.message = std::move(message);
  return check;
}

HeadCheck check_request_head(const std::string_view whole_head, size_t max_body_bytes) {
  std::string_view head = whole_head;
  // Lines end with CRLF; the head ends with an empty line.
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const size_t end = head.find(kCrlf);
    if (end == std::string_view::npos) return malformed("the request head must end with an empty line");
    lines.push_back(head.substr(0, end));
    head.remove_prefix(end + kCrlf.size());
  }
  if (lines.size() < 2 || !lines.back().empty()) return malformed("the request head must end with an empty line");
  lines.pop_back();

  // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
  const std::string_view request_line = lines.front();
  const size_t first_space = request_line.find(' ');
  const size_t last_space = request_line.rfind(' ');
  if (first_space == std::string_view::npos || first_space == last_space)
    return malformed("the request line must be: METHOD SP TARGET SP HTTP-VERSION");
  const std::string_view method = request_line.substr(0, first_space);
  const std::string_view target = request_line.substr(first_space + 1, last_space - first_space - 1);
  const std::string_view version = request_line.substr(last_space + 1);
  if (!is_token(method)) return malformed("the method is not a token");
  if (!is_request_target(target)) return malformed("the request target must be visible ASCII without spaces");
  const bool http11 = version == "HTTP/1.1";
  if (!http11 && version != "HTTP/1.0") {
    if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[6] == '.' &&
        all_digits(version.substr(5, 1)) && all_digits(version.substr(7, 1)))
      return refusal(505, "http_version_not_supported", "only HTTP/1.1 and HTTP/1.0 are served");
    return malformed("the request line must end with HTTP/1.1 or HTTP/1.0");
  }

  HeadCheck check;
  const char* const start = whole_head.data();
  const auto offset_of = [start](std::string_view part) { return static_cast<uint32_t>(part.data() - start); };
  check.fields.reserve(lines.size() - 1);
  check.parser_head.reserve(request_line.size() + 64);
  check.parser_head.append(request_line).append(kCrlf);
  const auto pass_to_parser = [&check](std::string_view name, std::string_view value) {
    check.parser_head.append(name).append(": ").append(value).append(kCrlf);
  };
  bool connection_close = false;
  bool connection_keep_alive = false;
  std::optional<std::string_view> content_length;
  bool transfer_encoding = false;
  int host_count = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line.empty()) return malformed("an empty line before the end of the head");
    if (line.front() == ' ' || line.front() == '\t') return malformed("obsolete line folding is not accepted");
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return malformed("a header line has no colon");
    const std::string_view name = line.substr(0, colon);
    const std::string_view raw_value = line.substr(colon + 1);
    if (!is_token(name)) return malformed("a header name is not a token (no spaces before the colon)");
    if (!is_field_value(raw_value)) return malformed("a header value holds a control character or a bare CR/LF");
    const std::string_view value = trim(raw_value);
    check.fields.push_back({offset_of(name), static_cast<uint32_t>(name.size()), offset_of(value),
                            static_cast<uint32_t>(value.size())});

    if (equals_ignoring_ascii_case(name, "content-length")) {
      if (!all_digits(value)) return malformed("Content-Length must be a decimal number");
      if (content_length && *content_length != value) return malformed("Content-Length is given twice, differently");
      if (!content_length) pass_to_parser(name, value);
      content_length = value;
    } else if (equals_ignoring_ascii_case(name, "transfer-encoding")) {
      transfer_encoding = true;
    } else if (equals_ignoring_ascii_case(name, "host")) {
      ++host_count;
      if (!is_valid_host(value)) return malformed("the Host header is not host[:port]");
    } else if (equals_ignoring_ascii_case(name, "cookie")) {
      if (!is_valid_cookie_header(value)) return malformed("a cookie in the Cookie header has no name=value");
      if (check.cookie_lines++ > 0) check.cookie.append("; ");
      check.cookie.append(value);
    } else if (is_forwarded_header(name)) {
      std::string lower_name(name);
      for (char& c : lower_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto [joined, first] = check.forwarded_headers.try_emplace(lower_name, value);
      if (!first) joined->second.append(", ").append(value);
    } else if (equals_ignoring_ascii_case(name, "connection")) {
      std::string_view tokens = value;
      while (!tokens.empty()) {
        const size_t comma = tokens.find(',');
        const std::string_view option = trim(tokens.substr(0, comma));
        if (equals_ignoring_ascii_case(option, "close")) connection_close = true;
        if (equals_ignoring_ascii_case(option, "keep-alive")) connection_keep_alive = true;
        if (comma == std::string_view::npos) break;
        tokens.remove_prefix(comma + 1);
      }
    }
  }
  check.keep_alive = !connection_close && (http11 || connection_keep_alive);
  if (check.cookie_lines > 0) pass_to_parser("Cookie", check.cookie);
  check.parser_head.append(kCrlf);

  if (http11 && host_count != 1) return malformed("an HTTP/1.1 request needs exactly one Host header");
  if (host_count > 1) return malformed("the Host header is given twice");
  if (transfer_encoding) {
    if (content_length) return malformed("Content-Length and Transfer-Encoding together are not accepted");
    return refusal(411, "length_required", "send the body with a Content-Length (Transfer-Encoding is not accepted)");
  }
  if (content_length) {
    const std::string_view digits = *content_length;
    const size_t first_nonzero = digits.find_first_not_of('0');
    const std::string_view significant = first_nonzero == std::string_view::npos ? "0" : digits.substr(first_nonzero);
    // More than 18 digits is over any limit; below that the number fits in 64 bits.
    if (significant.size() > 18 || std::stoull(std::string(significant)) > max_body_bytes)
      return refusal(413, "body_too_large", "the body exceeds " + std::to_string(max_body_bytes) + " bytes");
    check.content_length = std::stoull(std::string(significant));
  }
  return check;
}

}  // namespace latchkey::host
