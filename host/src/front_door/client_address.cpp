// X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host, believed only from trusted proxies.
#include "front_door/client_address.h"

#include <cctype>

namespace latchkey::host {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A DNS-style name: letters, digits, '-', '.', '_' (some internal names use it), no empty label.
bool is_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.find("..") != std::string_view::npos)
    return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') return false;
  return true;
}

// "1".."65535" without leading zeros, else nullopt.
std::optional<unsigned> parse_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5 || digits.front() == '0') return std::nullopt;
  unsigned value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return value;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string client_address(std::string_view peer, const std::optional<std::string_view>& forwarded_for,
                           const std::vector<AddressRange>& trusted_proxies) {
  std::string client(peer);
  if (!forwarded_for || !in_any(trusted_proxies, peer)) return client;
  std::string_view rest = *forwarded_for;
  bool more = true;
  while (more && in_any(trusted_proxies, client)) {
    const auto comma = rest.rfind(',');
    const std::string_view entry = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    more = comma != std::string_view::npos;
    if (more) rest = rest.substr(0, comma);
    const auto address = canonical_address(entry);
    if (!address) break;
    client = *address;
  }
  return client;
}

std::optional<std::string> forwarded_origin(std::string_view proto, std::string_view host) {
  if (proto != "http" && proto != "https") return std::nullopt;
  std::string name;
  std::optional<unsigned> port;
  std::string_view after;  // ":PORT" or nothing
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto address = canonical_address(host.substr(1, close - 1));
    if (!address || address->find(':') == std::string::npos) return std::nullopt;  // IPv6 only
    name = "[" + *address + "]";
    after = host.substr(close + 1);
  } else {
    const auto colon = host.find(':');
    if (!is_host_name(host.substr(0, colon))) return std::nullopt;
    name = lower(host.substr(0, colon));
    if (colon != std::string_view::npos) after = host.substr(colon);
  }
  if (!after.empty() && (after.front() != ':' || !(port = parse_port(after.substr(1))))) return std::nullopt;
  const unsigned default_port = proto == "https" ? 443 : 80;
  std::string origin = std::string(proto) + "://" + name;
  if (port && *port != default_port) origin += ":" + std::to_string(*port);
  return origin;
}

}  // namespace latchkey::host
