// Unit tests of the host config's operating keys (CONTRACT §9): "metrics" (path, allow, null) and
// "health" (live, ready). Every error names its JSON pointer.
#include "config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace latchkey::host {
namespace {

namespace fs = std::filesystem;

// Writes text to a fresh config file, loads it, removes it.
ConfigResult load_text(const std::string& text) {
  std::string pattern = (fs::temp_directory_path() / "latchkey-config-XXXXXX").string();
  const fs::path dir = mkdtemp(pattern.data());
  const fs::path file = dir / "latchkey.json";
  std::ofstream(file) << text;
  ConfigResult result = load_host_config(file.string(), [](const std::string&) { return std::nullopt; });
  fs::remove_all(dir);
  return result;
}

::testing::AssertionResult has_error(const ConfigResult& result, const std::string& pointer) {
  std::string seen;
  for (const ConfigError& error : result.errors) {
    if (error.pointer == pointer) return ::testing::AssertionSuccess();
    seen += "\n  '" + error.pointer + "': " + error.reason;
  }
  return ::testing::AssertionFailure() << "no error at '" << pointer << "'; errors:" << (seen.empty() ? " none" : seen);
}

TEST(HostConfigOperations, DefaultsServeMetricsToLoopbackOnly) {
  const ConfigResult result = load_text("{}");
  ASSERT_TRUE(result.config);
  ASSERT_TRUE(result.config->metrics);
  EXPECT_EQ(result.config->metrics->path, "/metrics");
  EXPECT_TRUE(in_any(result.config->metrics->allow, "127.0.0.1"));
  EXPECT_TRUE(in_any(result.config->metrics->allow, "127.9.9.9"));
  EXPECT_TRUE(in_any(result.config->metrics->allow, "::1"));
  EXPECT_FALSE(in_any(result.config->metrics->allow, "10.0.0.1"));
  EXPECT_EQ(result.config->health.live, "/healthz");
  EXPECT_EQ(result.config->health.ready, "/readyz");
}

TEST(HostConfigOperations, MetricsNullTurnsMetricsOff) {
  const ConfigResult result = load_text(R"({"metrics": null})");
  ASSERT_TRUE(result.config) << result.errors.size();
  EXPECT_FALSE(result.config->metrics);
}

TEST(HostConfigOperations, MetricsPathAndAllowAreRead) {
  const ConfigResult result =
      load_text(R"({"metrics": {"path": "/internal/metrics", "allow": ["10.0.0.0/8", "2001:db8::/32"]}})");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->metrics->path, "/internal/metrics");
  EXPECT_TRUE(in_any(result.config->metrics->allow, "10.1.1.1"));
  EXPECT_TRUE(in_any(result.config->metrics->allow, "2001:db8::5"));
  EXPECT_FALSE(in_any(result.config->metrics->allow, "127.0.0.1")) << "allow replaces the default";
}

TEST(HostConfigOperations, MetricsWithoutAllowKeepsTheLoopbackDefault) {
  const ConfigResult result = load_text(R"({"metrics": {"path": "/m"}})");
  ASSERT_TRUE(result.config);
  EXPECT_TRUE(in_any(result.config->metrics->allow, "127.0.0.1"));
}

TEST(HostConfigOperations, BadCidrIsNamedByItsPointer) {
  const ConfigResult result = load_text(R"({"metrics": {"allow": ["127.0.0.0/8", "10.0.0.0/33", 7]}})");
  EXPECT_FALSE(result.config);
  EXPECT_FALSE(has_error(result, "/metrics/allow/0"));
  EXPECT_TRUE(has_error(result, "/metrics/allow/1"));
  EXPECT_TRUE(has_error(result, "/metrics/allow/2"));
}

TEST(HostConfigOperations, WrongShapesAreRefused) {
  EXPECT_TRUE(has_error(load_text(R"({"metrics": "/metrics"})"), "/metrics"));
  EXPECT_TRUE(has_error(load_text(R"({"metrics": {"allow": "127.0.0.0/8"}})"), "/metrics/allow"));
  EXPECT_TRUE(has_error(load_text(R"({"metrics": {"alow": []}})"), "/metrics/alow"));
  EXPECT_TRUE(has_error(load_text(R"({"health": null})"), "/health"));
  EXPECT_TRUE(has_error(load_text(R"({"health": {"alive": "/a"}})"), "/health/alive"));
}

TEST(HostConfigOperations, BadPathsAreRefused) {
  for (const char* bad : {R"("metrics")", R"("/")", R"("")", R"("/a?b")", R"("/a#b")", R"("/a%2e")", R"("/a b")",
                          R"("/a/../b")", R"("/./a")", R"("//a")", R"("/a\\b")", "7", "null"}) {
    const std::string path(bad);
    EXPECT_TRUE(has_error(load_text(R"({"metrics": {"path": )" + path + "}}"), "/metrics/path")) << path;
    EXPECT_TRUE(has_error(load_text(R"({"health": {"live": )" + path + "}}"), "/health/live")) << path;
    EXPECT_TRUE(has_error(load_text(R"({"health": {"ready": )" + path + "}}"), "/health/ready")) << path;
  }
}

TEST(HostConfigOperations, EqualPathsAreRefused) {
  EXPECT_TRUE(has_error(load_text(R"({"health": {"live": "/z", "ready": "/z"}})"), "/health"));
  EXPECT_TRUE(has_error(load_text(R"({"health": {"live": "/metrics"}})"), "/health"));
  EXPECT_TRUE(has_error(load_text(R"({"metrics": {"path": "/readyz"}})"), "/health"));
  // With metrics off, its default path is free for a probe.
  EXPECT_TRUE(load_text(R"({"metrics": null, "health": {"live": "/metrics"}})").config);
}

}  // namespace
}  // namespace latchkey::host
