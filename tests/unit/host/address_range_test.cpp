// Unit tests of host/src/address_range.cpp: the CIDRs of metrics.allow (and trusted_proxies).
#include "address_range.h"

#include <gtest/gtest.h>

#include <string>

namespace latchkey::host {
namespace {

AddressRange range(const std::string& cidr) {
  const auto parsed = AddressRange::parse(cidr);
  EXPECT_TRUE(parsed) << cidr;
  return parsed.value_or(AddressRange{});
}

TEST(AddressRange, Ipv4Prefix) {
  const AddressRange loopback = range("127.0.0.0/8");
  EXPECT_TRUE(loopback.contains("127.0.0.1"));
  EXPECT_TRUE(loopback.contains("127.255.255.255"));
  EXPECT_FALSE(loopback.contains("128.0.0.1"));
  EXPECT_FALSE(loopback.contains("126.255.255.255"));
}

TEST(AddressRange, Ipv4PrefixNotOnAByteBoundary) {
  const AddressRange twelve = range("172.16.0.0/12");
  EXPECT_TRUE(twelve.contains("172.16.0.1"));
  EXPECT_TRUE(twelve.contains("172.31.255.255"));
  EXPECT_FALSE(twelve.contains("172.32.0.0"));
  EXPECT_FALSE(twelve.contains("172.15.255.255"));
}

TEST(AddressRange, PrefixZeroHoldsEveryAddressOfItsFamily) {
  EXPECT_TRUE(range("0.0.0.0/0").contains("8.8.8.8"));
  EXPECT_FALSE(range("0.0.0.0/0").contains("::1"));
  EXPECT_TRUE(range("::/0").contains("2001:db8::1"));
  EXPECT_FALSE(range("::/0").contains("10.0.0.1")) << "an IPv4 client is not in an IPv6 range";
}

TEST(AddressRange, Prefix32AndABareAddressAreOneHost) {
  for (const char* cidr : {"127.0.0.3/32", "127.0.0.3"}) {
    EXPECT_TRUE(range(cidr).contains("127.0.0.3")) << cidr;
    EXPECT_FALSE(range(cidr).contains("127.0.0.2")) << cidr;
    EXPECT_FALSE(range(cidr).contains("127.0.0.4")) << cidr;
  }
}

TEST(AddressRange, Ipv6Prefixes) {
  for (const char* cidr : {"::1/128", "::1"}) {
    EXPECT_TRUE(range(cidr).contains("::1")) << cidr;
    EXPECT_TRUE(range(cidr).contains("0:0:0:0:0:0:0:1")) << cidr;
    EXPECT_FALSE(range(cidr).contains("::2")) << cidr;
  }
  const AddressRange documentation = range("2001:db8::/33");
  EXPECT_TRUE(documentation.contains("2001:db8:7fff::1"));
  EXPECT_FALSE(documentation.contains("2001:db8:8000::1"));
  EXPECT_FALSE(range("fe80::/64").contains("fe80:0:0:1::1"));
}

TEST(AddressRange, MappedAddressesMatchAsIpv4) {
  EXPECT_TRUE(range("10.0.0.0/8").contains("::ffff:10.1.2.3"));
  EXPECT_FALSE(range("10.0.0.0/8").contains("::ffff:11.1.2.3"));
  const AddressRange mapped = range("::ffff:10.0.0.0/104");  // the IPv6 spelling of 10.0.0.0/8
  EXPECT_TRUE(mapped.contains("10.200.0.1"));
  EXPECT_TRUE(mapped.contains("::ffff:10.0.0.1"));
  EXPECT_FALSE(mapped.contains("11.0.0.1"));
  EXPECT_TRUE(range("::ffff:127.0.0.1").contains("127.0.0.1"));
}

TEST(AddressRange, GarbageIsRefused) {
  for (const char* bad : {"", "/8", "10.0.0.0/", "10.0.0.0/abc", "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/+8",
                          "10.0.0.0/33", "::/129", "::ffff:10.0.0.0/95", "300.1.1.1", "1.2.3", "localhost",
                          "10.0.0.0 /8", " 10.0.0.0/8", "10.0.0.0/1000", "[::1]/128", "::1::2", "10.0.0.1:80"})
    EXPECT_FALSE(AddressRange::parse(bad)) << "'" << bad << "'";
}

TEST(AddressRange, GarbageAddressIsInNoRange) {
  const AddressRange all = range("0.0.0.0/0");
  for (const char* bad : {"", "localhost", "127.0.0.1:80", "[::1]", "1.2.3"}) EXPECT_FALSE(all.contains(bad)) << bad;
}

TEST(AddressRange, InAnyTriesEveryRange) {
  const std::vector<AddressRange> allow = {range("127.0.0.0/8"), range("::1/128")};
  EXPECT_TRUE(in_any(allow, "127.0.0.1"));
  EXPECT_TRUE(in_any(allow, "::1"));
  EXPECT_FALSE(in_any(allow, "10.0.0.1"));
  EXPECT_FALSE(in_any({}, "127.0.0.1"));
}

}  // namespace
}  // namespace latchkey::host
