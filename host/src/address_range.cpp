#include "address_range.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace latchkey::host {
namespace {

struct Parsed {
  std::array<uint8_t, 16> bytes{};
  bool ipv4 = false;
};

// inet_pton does the parsing; a mapped ::ffff:a.b.c.d becomes a.b.c.d.
std::optional<Parsed> parse_address(std::string_view text) {
  // inet_pton reads a C string: an embedded NUL would hide what follows it.
  if (text.empty() || text.size() > 45 || text.find('\0') != std::string_view::npos) return std::nullopt;
  const std::string address(text);
  Parsed parsed;
  if (inet_pton(AF_INET, address.c_str(), parsed.bytes.data()) == 1) {
    parsed.ipv4 = true;
    return parsed;
  }
  if (inet_pton(AF_INET6, address.c_str(), parsed.bytes.data()) != 1) return std::nullopt;
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(parsed.bytes.data(), kMapped, 12) == 0) {
    std::memmove(parsed.bytes.data(), parsed.bytes.data() + 12, 4);
    std::memset(parsed.bytes.data() + 4, 0, 12);
    parsed.ipv4 = true;
  }
  return parsed;
}

bool prefix_matches(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, unsigned bits) {
  const unsigned whole = bits / 8, rest = bits % 8;
  if (std::memcmp(a.data(), b.data(), whole) != 0) return false;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

std::optional<AddressRange> AddressRange::parse(std::string_view cidr) {
  const auto slash = cidr.find('/');
  const auto parsed = parse_address(cidr.substr(0, slash));
  if (!parsed) return std::nullopt;
  AddressRange range;
  range.bytes_ = parsed->bytes;
  range.ipv4_ = parsed->ipv4;
  const unsigned max = parsed->ipv4 ? 32 : 128;
  range.prefix_ = max;
  if (slash != std::string_view::npos) {
    const std::string_view bits = cidr.substr(slash + 1);
    if (bits.empty() || bits.size() > 3) return std::nullopt;
    unsigned value = 0;
    for (char c : bits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    // A mapped range (::ffff:10.0.0.0/104) counts its prefix over the IPv6 form.
    if (parsed->ipv4 && cidr.find(':') != std::string_view::npos) {
      if (value < 96 || value > 128) return std::nullopt;
      value -= 96;
    }
    if (value > max) return std::nullopt;
    range.prefix_ = value;
  }
  return range;
}

bool AddressRange::contains(std::string_view address) const {
  const auto parsed = parse_address(address);
  return parsed && parsed->ipv4 == ipv4_ && prefix_matches(parsed->bytes, bytes_, prefix_);
}

bool in_any(const std::vector<AddressRange>& ranges, std::string_view address) {
  for (const AddressRange& range : ranges)
    if (range.contains(address)) return true;
  return false;
}

std::optional<std::string> canonical_address(std::string_view text) {
  if (text.find('/') != std::string_view::npos) return std::nullopt;
  const auto parsed = parse_address(text);
  if (!parsed) return std::nullopt;
  char out[INET6_ADDRSTRLEN];
  if (!inet_ntop(parsed->ipv4 ? AF_INET : AF_INET6, parsed->bytes.data(), out, sizeof out)) return std::nullopt;
  return std::string(out);
}

}  // namespace latchkey::host
