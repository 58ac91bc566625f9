// Unit tests of the host config's `trusted_proxies` (host/src/config.cpp): CIDRs and bare
// addresses are read; anything else is an error at its own pointer, so --check-config refuses it.
#include "config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace latchkey::host {
namespace {

namespace fs = std::filesystem;

ConfigResult load_text(const std::string& text) {
  std::string pattern = (fs::temp_directory_path() / "latchkey-proxies-XXXXXX").string();
  const fs::path dir = mkdtemp(pattern.data());
  std::ofstream(dir / "latchkey.json") << text;
  ConfigResult result = load_host_config((dir / "latchkey.json").string());
  fs::remove_all(dir);
  return result;
}

bool has_error_at(const ConfigResult& result, const std::string& pointer) {
  for (const ConfigError& error : result.errors)
    if (error.pointer == pointer) return true;
  return false;
}

TEST(TrustedProxiesConfig, DefaultsToNoneTrusted) {
  const ConfigResult result = load_text("{}");
  ASSERT_TRUE(result.config);
  EXPECT_TRUE(result.config->trusted_proxies.empty());
}

TEST(TrustedProxiesConfig, ReadsCidrsAndBareAddresses) {
  const ConfigResult result = load_text(R"({"trusted_proxies": ["10.0.0.0/8", "192.0.2.7", "fd00::/8", "::1"]})");
  ASSERT_TRUE(result.errors.empty()) << result.errors.front().pointer << ": " << result.errors.front().reason;
  const auto& trusted = result.config->trusted_proxies;
  ASSERT_EQ(trusted.size(), 4u);
  EXPECT_TRUE(in_any(trusted, "10.200.3.4"));
  EXPECT_TRUE(in_any(trusted, "192.0.2.7"));
  EXPECT_FALSE(in_any(trusted, "192.0.2.8"));  // a bare address is one host
  EXPECT_TRUE(in_any(trusted, "fd12::1"));
  EXPECT_TRUE(in_any(trusted, "::1"));
  EXPECT_FALSE(in_any(trusted, "127.0.0.1"));
}

TEST(TrustedProxiesConfig, BadEntriesAreErrorsAtTheirPointer) {
  const ConfigResult result =
      load_text(R"({"trusted_proxies": ["10.0.0.0/8", "nginx.internal", "10.0.0.0/33", 7, "", "1.2.3.4 "]})");
  EXPECT_FALSE(result.config);
  EXPECT_FALSE(has_error_at(result, "/trusted_proxies/0"));
  for (const char* pointer : {"/trusted_proxies/1", "/trusted_proxies/2", "/trusted_proxies/3", "/trusted_proxies/4",
                              "/trusted_proxies/5"}) {
    EXPECT_TRUE(has_error_at(result, pointer)) << pointer;
  }
}

TEST(TrustedProxiesConfig, AnEmbeddedNulIsRefused) {
  const ConfigResult result = load_text(R"({"trusted_proxies": ["10.0.0.1\u0000garbage"]})");
  EXPECT_TRUE(has_error_at(result, "/trusted_proxies/0"));
}

TEST(TrustedProxiesConfig, MustBeAnArray) {
  for (const char* value : {R"("10.0.0.0/8")", "null", "{}"}) {
    const ConfigResult result = load_text(std::string(R"({"trusted_proxies": )") + value + "}");
    EXPECT_TRUE(has_error_at(result, "/trusted_proxies")) << value;
  }
}

}  // namespace
}  // namespace latchkey::host
