// Strict parsing of Argon2 PHC strings (see encoded_hash.h).
#include "password/encoded_hash.h"

#include <charconv>
#include <vector>

namespace latchkey::password {

namespace {

constexpr std::size_t max_encoded_length = 512;

// Splits on '$' keeping empty fields, so "$$" and a missing leading '$' are both visible.
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(separator, start);
    fields.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return fields;
    start = end + 1;
  }
}

// "key=digits" with the expected key; digits only, no sign, no overflow.
std::optional<std::uint32_t> parse_field(std::string_view field, std::string_view key) {
  if (field.size() <= key.size() + 1 || field.substr(0, key.size()) != key ||
      field[key.size()] != '=')
    return std::nullopt;
  const auto digits = field.substr(key.size() + 1);
  if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// Decoded size of unpadded base64 text, or nullopt when it is not unpadded base64.
std::optional<std::size_t> unpadded_base64_bytes(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  for (const char c : text) {
    if (!is_base64_char(c)) return std::nullopt;
  }
  return text.size() * 3 / 4;
}

bool in_range(std::size_t value, std::size_t low, std::size_t high) {
  return value >= low && value <= high;
}

}  // namespace

std::optional<EncodedHash> parse_encoded_hash(std::string_view encoded) {
  if (encoded.size() > max_encoded_length) return std::nullopt;
  const auto fields = split(encoded, '$');
  // "", algorithm, version, parameters, salt, hash
  if (fields.size() != 6 || !fields[0].empty()) return std::nullopt;

  EncodedHash result;
  const auto algorithm = fields[1];
  if (algorithm != "argon2id" && algorithm != "argon2i" && algorithm != "argon2d")
    return std::nullopt;
  result.algorithm = std::string(algorithm);

  if (fields[2] != "v=19") return std::nullopt;

  const auto costs = split(fields[3], ',');
  if (costs.size() != 3) return std::nullopt;
  const auto m = parse_field(costs[0], "m");
  const auto t = parse_field(costs[1], "t");
  const auto p = parse_field(costs[2], "p");
  if (!m || !t || !p) return std::nullopt;
  result.parameters = Parameters{*m, *t, *p};
  if (!is_supported(result.parameters)) return std::nullopt;

  const auto salt_bytes = unpadded_base64_bytes(fields[4]);
  const auto hash_bytes = unpadded_base64_bytes(fields[5]);
  if (!salt_bytes || !in_range(*salt_bytes, 8, 64)) return std::nullopt;
  if (!hash_bytes || !in_range(*hash_bytes, 4, 64)) return std::nullopt;
  result.salt_bytes = *salt_bytes;
  result.hash_bytes = *hash_bytes;
  return result;
}

}  // namespace latchkey::password
