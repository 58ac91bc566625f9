// How clients send passwords (CONTRACT §4 `password.encoding`): as plain JSON strings or
// base64-encoded. Decoding turns the submitted field into the password bytes to check and hash.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace latchkey::password {

enum class Encoding {
  plain,
  base64,
};

// "plain" or "base64"; anything else is nullopt (a config error for the caller to report).
std::optional<Encoding> parse_encoding(std::string_view name);

enum class DecodeStatus {
  ok,
  invalid_base64,
};

struct DecodedPassword {
  DecodeStatus status = DecodeStatus::ok;
  std::string password;  // empty unless status is ok
};

// The password inside `submitted`. Base64 is standard base64 (RFC 4648 §4, padded), strictly:
// whitespace and stray characters are invalid_base64. Decoded bytes are returned as they are;
// check_password decides whether they are acceptable UTF-8.
DecodedPassword decode_password(std::string_view submitted, Encoding encoding);

}  // namespace latchkey::password
