// Regression tests of host/src/config.cpp from the fuzz target host_config (tests/fuzz): inputs
// that crashed the loader (stack overflows, filesystem exceptions) are now config errors.
#include "config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace latchkey::host {
namespace {

namespace fs = std::filesystem;

// Writes `text` as a config file in a fresh folder and loads it with an environment of PORT only.
ConfigResult load_text(const std::string& text) {
  std::string pattern = (fs::temp_directory_path() / "latchkey-config-XXXXXX").string();
  const fs::path dir = mkdtemp(pattern.data());
  std::ofstream(dir / "latchkey.json", std::ios::binary) << text;
  const EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "PORT") return "127.0.0.1:9000";
    return std::nullopt;
  };
  ConfigResult result = load_host_config((dir / "latchkey.json").string(), env);
  fs::remove_all(dir);
  return result;
}

TEST(HostConfigFuzzFindings, DeepNestingIsAnErrorNotAStackOverflow) {
  const ConfigResult result = load_text(std::string(200000, '[') + std::string(200000, ']'));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].reason, "objects and arrays nest deeper than 64");
  const ConfigResult objects = load_text("{\"plugins\":[{\"name\":\"a\",\"path\":\"x\",\"config\":" +
                                         std::string(100000, '[') + std::string(100000, ']') + "}]}");
  ASSERT_FALSE(objects.errors.empty());
  EXPECT_EQ(objects.errors[0].reason, "objects and arrays nest deeper than 64");
}

TEST(HostConfigFuzzFindings, NestingUpToTheLimitStillLoads) {
  const ConfigResult result =
      load_text("{\"listen\":\"${PORT}\",\"plugins\":[],\"x\":" + std::string(62, '[') + std::string(62, ']') + "}");
  ASSERT_EQ(result.errors.size(), 1u);  // only the unknown key
  EXPECT_EQ(result.errors[0].pointer, "/x");
}

TEST(HostConfigFuzzFindings, LongStringsAreNoStackOverflow) {
  const ConfigResult reference = load_text("{\"listen\":\"${" + std::string(200000, 'A') + "}\"}");
  ASSERT_FALSE(reference.errors.empty());  // then also "must be a string HOST:PORT", as before
  EXPECT_EQ(reference.errors[0].pointer, "/listen");
  EXPECT_EQ(reference.errors[0].reason, "environment variable " + std::string(200000, 'A') + " is not set");
  const ConfigResult unclosed = load_text("{\"listen\":\"${A" + std::string(2000000, 'A') + "\"}");
  ASSERT_EQ(unclosed.errors.size(), 1u);
  EXPECT_EQ(unclosed.errors[0].reason, "must be a string \"HOST:PORT\"");
}

TEST(HostConfigFuzzFindings, ReferencesAreStillSubstitutedExactly) {
  const ConfigResult result = load_text(R"({"listen":"${PORT}"})");
  ASSERT_TRUE(result.config) << result.errors[0].reason;
  EXPECT_EQ(result.config->listen.port, 9000);
  // A NUL after the reference used to end the string for the regex: "${PORT}\0x" was substituted.
  const ConfigResult nul = load_text(R"({"listen":"${PORT}\u0000x"})");
  ASSERT_EQ(nul.errors.size(), 1u);
  EXPECT_EQ(nul.errors[0].pointer, "/listen");
  for (const char* not_a_reference : {"${}", "${1A}", "${A-B}", "$PORT", "{PORT}", "${PORT"}) {
    const ConfigResult other = load_text(std::string(R"({"listen":")") + not_a_reference + "\"}");
    ASSERT_EQ(other.errors.size(), 1u) << not_a_reference;
    EXPECT_EQ(other.errors[0].reason, "must be a string \"HOST:PORT\"") << not_a_reference;
  }
}

TEST(HostConfigFuzzFindings, PathsTooLongAreNoSuchFileNotAnException) {
  const std::string long_name(5000, 'a');  // ENAMETOOLONG: fs::status throws without an error_code
  const ConfigResult plugin = load_text(R"({"plugins":[{"name":"p","path":")" + long_name + "\"}]}");
  ASSERT_EQ(plugin.errors.size(), 1u);
  EXPECT_EQ(plugin.errors[0].pointer, "/plugins/0/path");
  const ConfigResult mount = load_text(R"({"static":{"/":")" + long_name + "\"}}");
  ASSERT_EQ(mount.errors.size(), 1u);
  EXPECT_EQ(mount.errors[0].pointer, "/static/~1");
}

}  // namespace
}  // namespace latchkey::host
