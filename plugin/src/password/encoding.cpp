// Decoding of the submitted password field (see encoding.h).
#include "password/encoding.h"

#include <algorithm>

#include <botan/base64.h>
#include <botan/exceptn.h>

namespace latchkey::password {

namespace {

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// Padded standard base64: whole quanta, alphabet characters, '=' only as the last one or two.
// Checked here because Botan's decoder also accepts short padding and data after it.
bool is_padded_base64(std::string_view text) {
  if (text.size() % 4 != 0) return false;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  const auto data = text.substr(0, text.size() - padding);
  return std::all_of(data.begin(), data.end(), is_base64_char);
}

}  // namespace

std::optional<Encoding> parse_encoding(std::string_view name) {
  if (name == "plain") return Encoding::plain;
  if (name == "base64") return Encoding::base64;
  return std::nullopt;
}

DecodedPassword decode_password(std::string_view submitted, Encoding encoding) {
  if (encoding == Encoding::plain) return {DecodeStatus::ok, std::string(submitted)};
  if (!is_padded_base64(submitted)) return {DecodeStatus::invalid_base64, {}};
  try {
    const auto bytes = Botan::base64_decode(submitted.data(), submitted.size(), /*ignore_ws=*/false);
    return {DecodeStatus::ok, std::string(bytes.begin(), bytes.end())};
  } catch (const Botan::Exception&) {
    // Botan reports malformed input by throwing; here it is an expected outcome of bad input.
    return {DecodeStatus::invalid_base64, {}};
  }
}

}  // namespace latchkey::password
