// An IP address range in CIDR notation ("127.0.0.0/8", "::1/128"; a bare address is one host),
// and whether an address falls in it. IPv4-mapped IPv6 addresses match as their IPv4 address.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::host {

class AddressRange {
 public:
  static std::optional<AddressRange> parse(std::string_view cidr);
  bool contains(std::string_view address) const;

 private:
  std::array<uint8_t, 16> bytes_{};
  bool ipv4_ = false;
  unsigned prefix_ = 0;
};

bool in_any(const std::vector<AddressRange>& ranges, std::string_view address);

// An IP address (no prefix, port or brackets) in its one canonical text (inet_ntop's: lower-case,
// zeros compressed), a mapped ::ffff:a.b.c.d as a.b.c.d; nullopt when it is not an address.
std::optional<std::string> canonical_address(std::string_view text);

}  // namespace latchkey::host
