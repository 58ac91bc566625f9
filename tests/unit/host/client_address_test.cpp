// Unit tests of host/src/front_door/client_address.cpp: the X-Forwarded-For walk and the
// forwarded origin, including spoofed and malformed headers.
#include "front_door/client_address.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace latchkey::host {
namespace {

std::vector<AddressRange> ranges(std::initializer_list<const char*> cidrs) {
  std::vector<AddressRange> out;
  for (const char* cidr : cidrs) out.push_back(*AddressRange::parse(cidr));
  return out;
}

const std::vector<AddressRange> kProxies = ranges({"10.0.0.0/8", "fd00::/8"});

std::string client(std::string_view peer, std::optional<std::string_view> forwarded_for) {
  return client_address(peer, forwarded_for, kProxies);
}

TEST(ClientAddress, AnUntrustedPeerIsTheClientWhateverItForwards) {
  EXPECT_EQ(client("203.0.113.5", "10.9.9.9"), "203.0.113.5");
  EXPECT_EQ(client("203.0.113.5", std::nullopt), "203.0.113.5");
  EXPECT_EQ(client_address("10.0.0.1", "198.51.100.1", {}), "10.0.0.1");  // nothing trusted
}

TEST(ClientAddress, ATrustedPeerWithoutTheHeaderIsTheClient) {
  EXPECT_EQ(client("10.0.0.1", std::nullopt), "10.0.0.1");
}

TEST(ClientAddress, TheRightmostUntrustedEntryIsTheClient) {
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1"), "198.51.100.1");
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1, 10.0.0.2"), "198.51.100.1");
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1,10.0.0.3,\t10.0.0.2"), "198.51.100.1");
}

TEST(ClientAddress, ASpoofedPrefixIsNeverBelieved) {
  // The client sent "X-Forwarded-For: 10.9.9.9, 1.2.3.4"; the proxy appended its peer.
  EXPECT_EQ(client("10.0.0.1", "10.9.9.9, 1.2.3.4, 198.51.100.1"), "198.51.100.1");
  EXPECT_EQ(client("10.0.0.1", "garbage, 198.51.100.1"), "198.51.100.1");
}

TEST(ClientAddress, Ipv6AndMappedAddressesAreCanonical) {
  EXPECT_EQ(client("fd00::1", "2001:DB8:0:0::7"), "2001:db8::7");
  EXPECT_EQ(client("10.0.0.1", "::ffff:198.51.100.1"), "198.51.100.1");
  EXPECT_EQ(client("::ffff:10.0.0.1", "198.51.100.1"), "198.51.100.1");  // a mapped trusted peer
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1, ::ffff:10.0.0.2"), "198.51.100.1");
  EXPECT_EQ(client("10.0.0.1", "2001:db8::7, fd00::2"), "2001:db8::7");
}

TEST(ClientAddress, AMalformedEntryStopsAtTheLastGoodAddress) {
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1, unknown"), "10.0.0.1");
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1, 10.0.0.2:443"), "10.0.0.1");  // no ports
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1, garbage, 10.0.0.2"), "10.0.0.2");
  EXPECT_EQ(client("10.0.0.1", "[2001:db8::7]"), "10.0.0.1");  // no brackets
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1/24"), "10.0.0.1");
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1 198.51.100.2"), "10.0.0.1");
  EXPECT_EQ(client("10.0.0.1", "198.51.100.01"), "10.0.0.1");
  EXPECT_EQ(client("10.0.0.1", "fe80::1%eth0"), "10.0.0.1");
}

TEST(ClientAddress, EmptyEntriesAndHeadersAreMalformed) {
  EXPECT_EQ(client("10.0.0.1", ""), "10.0.0.1");
  EXPECT_EQ(client("10.0.0.1", "  "), "10.0.0.1");
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1,"), "10.0.0.1");
  EXPECT_EQ(client("10.0.0.1", "198.51.100.1,,10.0.0.2"), "10.0.0.2");
  EXPECT_EQ(client("10.0.0.1", ","), "10.0.0.1");
}

TEST(ClientAddress, AChainOfTrustedProxiesGivesItsLeftmost) {
  EXPECT_EQ(client("10.0.0.1", "10.0.0.3, 10.0.0.2"), "10.0.0.3");
  EXPECT_EQ(client("10.0.0.1", "fd00::3"), "fd00::3");
}

TEST(ForwardedOrigin, BuildsTheBrowsersOrigin) {
  EXPECT_EQ(forwarded_origin("https", "app.example.com"), "https://app.example.com");
  EXPECT_EQ(forwarded_origin("http", "127.0.0.1:8443"), "http://127.0.0.1:8443");
  EXPECT_EQ(forwarded_origin("https", "App.Example.COM:8443"), "https://app.example.com:8443");
  EXPECT_EQ(forwarded_origin("https", "[2001:DB8::1]:8443"), "https://[2001:db8::1]:8443");
  EXPECT_EQ(forwarded_origin("http", "[::1]"), "http://[::1]");
}

TEST(ForwardedOrigin, DropsTheSchemesDefaultPortAsBrowsersDo) {
  EXPECT_EQ(forwarded_origin("https", "app.example.com:443"), "https://app.example.com");
  EXPECT_EQ(forwarded_origin("http", "app.example.com:80"), "http://app.example.com");
  EXPECT_EQ(forwarded_origin("http", "app.example.com:443"), "http://app.example.com:443");
}

TEST(ForwardedOrigin, RefusesAnythingElse) {
  for (const auto& [proto, host] : std::vector<std::pair<const char*, const char*>>{
           {"ftp", "example.com"}, {"HTTPS", "example.com"}, {"https, http", "example.com"}, {"", "example.com"},
           {"https", ""}, {"https", "example.com:"}, {"https", "example.com:0"}, {"https", "example.com:65536"},
           {"https", "example.com:08"}, {"https", "a.com, b.com"}, {"https", "evil.com/x"}, {"https", "user@x.com"},
           {"https", "[::1"}, {"https", "[::1]x"}, {"https", "[1.2.3.4]"}, {"https", "[::ffff:1.2.3.4]"},
           {"https", ".example.com"}, {"https", "a..b"}, {"https", "x y"}, {"https", "::1"}}) {
    EXPECT_EQ(forwarded_origin(proto, host), std::nullopt) << proto << " " << host;
  }
}

}  // namespace
}  // namespace latchkey::host
