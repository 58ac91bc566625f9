// Unit tests of host/src/config.cpp: every config error names its JSON pointer and reason.
#include "config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace latchkey::host {
namespace {

namespace fs = std::filesystem;

// A fresh folder with a config file (and whatever else a test puts beside it).
class ConfigFolder {
 public:
  ConfigFolder() {
    std::string pattern = (fs::temp_directory_path() / "latchkey-config-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  ~ConfigFolder() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path file = dir_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file;
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const EnvLookup no_env = env_of({});

ConfigResult load(const ConfigFolder& folder, const std::string& text, const EnvLookup& env = no_env) {
  return load_host_config(folder.write("latchkey.json", text).string(), env);
}

// True when errors hold one at pointer whose reason contains reason_part.
::testing::AssertionResult has_error(const ConfigResult& result, const std::string& pointer,
                                     const std::string& reason_part) {
  std::string seen;
  for (const ConfigError& error : result.errors) {
    if (error.pointer == pointer && error.reason.find(reason_part) != std::string::npos)
      return ::testing::AssertionSuccess();
    seen += "\n  '" + error.pointer + "': " + error.reason;
  }
  return ::testing::AssertionFailure() << "no error at '" << pointer << "' containing '" << reason_part
                                       << "'; errors:" << (seen.empty() ? " none" : seen);
}

TEST(HostConfig, MinimalConfigGivesDefaults) {
  ConfigFolder folder;
  const ConfigResult result = load(folder, "{}");
  ASSERT_TRUE(result.errors.empty());
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->listen.host, "127.0.0.1");
  EXPECT_EQ(result.config->listen.port, 8080);
  EXPECT_EQ(result.config->threads, 8u);
  EXPECT_EQ(result.config->max_body_bytes, 65536u);
  EXPECT_TRUE(result.config->plugins.empty());
  EXPECT_TRUE(result.config->statics.empty());
}

TEST(HostConfig, FullConfigIsRead) {
  ConfigFolder folder;
  folder.write("plugins/libx.so", "");
  fs::create_directories(folder.dir() / "web");
  const ConfigResult result = load(folder, R"({
    "listen": "0.0.0.0:9000", "threads": 3, "max_body_bytes": 1024,
    "static": {"/": "web"},
    "plugins": [{"name": "x", "path": "plugins/libx.so", "config": {"a": [1, "b"]}}]
  })");
  ASSERT_TRUE(result.errors.empty()) << result.errors.front().pointer << ": " << result.errors.front().reason;
  const HostConfig& config = *result.config;
  EXPECT_EQ(config.listen.host, "0.0.0.0");
  EXPECT_EQ(config.listen.port, 9000);
  EXPECT_EQ(config.threads, 3u);
  EXPECT_EQ(config.max_body_bytes, 1024u);
  ASSERT_EQ(config.plugins.size(), 1u);
  EXPECT_EQ(config.plugins[0].name, "x");
  EXPECT_EQ(config.plugins[0].pointer, "/plugins/0");
  EXPECT_EQ(config.plugins[0].config_json, R"({"a":[1,"b"]})");
  ASSERT_EQ(config.statics.size(), 1u);
  EXPECT_EQ(config.statics[0].url_prefix, "/");
}

TEST(HostConfig, PluginWithoutConfigGetsEmptyObject) {
  ConfigFolder folder;
  folder.write("libx.so", "");
  const ConfigResult result = load(folder, R"({"plugins": [{"name": "x", "path": "libx.so"}]})");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->plugins[0].config_json, "{}");
}

TEST(HostConfig, UnknownTopLevelKeyIsAnErrorAtItsPointer) {
  ConfigFolder folder;
  const ConfigResult result = load(folder, R"({"threads": 2, "thread": 2})");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(has_error(result, "/thread", "unknown key"));
  EXPECT_EQ(result.errors.size(), 1u);
}

TEST(HostConfig, UnknownKeyInPluginEntryIsAnErrorAtItsPointer) {
  ConfigFolder folder;
  folder.write("libx.so", "");
  const ConfigResult result = load(folder, R"({"plugins": [{"name": "x", "path": "libx.so", "confg": {}}]})");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(has_error(result, "/plugins/0/confg", "unknown key"));
}

TEST(HostConfig, UnknownKeyWithSlashIsEscapedInPointer) {
  ConfigFolder folder;
  const ConfigResult result = load(folder, R"({"a/b~c": 1})");
  EXPECT_TRUE(has_error(result, "/a~1b~0c", "unknown key"));
}

TEST(HostConfig, WrongTypesAreErrorsAtTheirPointers) {
  ConfigFolder folder;
  const ConfigResult result = load(folder, R"({
    "listen": 8080, "threads": "2", "max_body_bytes": -1, "static": [], "plugins": {}
  })");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(has_error(result, "/listen", "HOST:PORT"));
  EXPECT_TRUE(has_error(result, "/threads", "integer"));
  EXPECT_TRUE(has_error(result, "/max_body_bytes", "integer"));
  EXPECT_TRUE(has_error(result, "/static", "object"));
  EXPECT_TRUE(has_error(result, "/plugins", "array"));
}

TEST(HostConfig, ThreadsOutOfRangeIsAnError) {
  ConfigFolder folder;
  EXPECT_TRUE(has_error(load(folder, R"({"threads": 0})"), "/threads", "1 to 256"));
  EXPECT_TRUE(has_error(load(folder, R"({"threads": 257})"), "/threads", "1 to 256"));
  EXPECT_TRUE(has_error(load(folder, R"({"threads": 2.5})"), "/threads", "integer"));
}

TEST(HostConfig, WrongTypesInPluginEntryAreErrorsAtTheirPointers) {
  ConfigFolder folder;
  const ConfigResult result = load(folder, R"({"plugins": [{"name": 1, "path": true, "config": "x"}, 7]})");
  EXPECT_TRUE(has_error(result, "/plugins/0/name", "non-empty string"));
  EXPECT_TRUE(has_error(result, "/plugins/0/path", "string"));
  EXPECT_TRUE(has_error(result, "/plugins/0/config", "object"));
  EXPECT_TRUE(has_error(result, "/plugins/1", "object"));
}

TEST(HostConfig, MissingPluginNameAndPathAreErrors) {
  ConfigFolder folder;
  const ConfigResult result = load(folder, R"({"plugins": [{}]})");
  EXPECT_TRUE(has_error(result, "/plugins/0/name", "non-empty string"));
  EXPECT_TRUE(has_error(result, "/plugins/0/path", "string"));
}

TEST(HostConfig, DuplicatePluginNameIsAnError) {
  ConfigFolder folder;
  folder.write("libx.so", "");
  const ConfigResult result = load(
      folder, R"({"plugins": [{"name": "x", "path": "libx.so"}, {"name": "x", "path": "libx.so"}]})");
  EXPECT_TRUE(has_error(result, "/plugins/1/name", "duplicate"));
}

TEST(HostConfig, MissingPluginFileIsAnErrorNamingTheResolvedPath) {
  ConfigFolder folder;
  const ConfigResult result = load(folder, R"({"plugins": [{"name": "x", "path": "nowhere/libx.so"}]})");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(has_error(result, "/plugins/0/path", "no such file: " + (folder.dir() / "nowhere/libx.so").string()));
}

TEST(HostConfig, MissingStaticFolderIsAnError) {
  ConfigFolder folder;
  const ConfigResult result = load(folder, R"({"static": {"/": "nowhere"}})");
  EXPECT_TRUE(has_error(result, "/static/~1", "no such folder"));
}

TEST(HostConfig, StaticPrefixMustStartWithSlash) {
  ConfigFolder folder;
  fs::create_directories(folder.dir() / "web");
  const ConfigResult result = load(folder, R"({"static": {"web": "web"}})");
  EXPECT_TRUE(has_error(result, "/static/web", "start with '/'"));
}

TEST(HostConfig, RelativePathsResolveAgainstTheConfigFolder) {
  ConfigFolder folder;
  folder.write("lib/libx.so", "");
  fs::create_directories(folder.dir() / "site/public");
  const fs::path config_file = folder.write("conf/latchkey.json", R"({
    "static": {"/assets": "../site/public"},
    "plugins": [{"name": "x", "path": "../lib/libx.so"}]
  })");
  // Load from another working directory: the config's own folder must count, not the cwd.
  const fs::path cwd = fs::current_path();
  fs::current_path(fs::temp_directory_path());
  const ConfigResult result = load_host_config(config_file.string(), no_env);
  fs::current_path(cwd);
  ASSERT_TRUE(result.errors.empty()) << result.errors.front().pointer << ": " << result.errors.front().reason;
  const fs::path real_dir = fs::canonical(folder.dir());
  EXPECT_EQ(fs::path(result.config->dir), folder.dir() / "conf");
  EXPECT_EQ(fs::path(result.config->plugins[0].path), folder.dir() / "lib/libx.so");
  EXPECT_EQ(fs::path(result.config->statics[0].folder), real_dir / "site/public");
  EXPECT_EQ(result.config->statics[0].url_prefix, "/assets/");
}

TEST(HostConfig, AbsolutePluginPathIsKept) {
  ConfigFolder folder;
  const fs::path lib = folder.write("abs/libx.so", "");
  const ConfigResult result =
      load(folder, R"({"plugins": [{"name": "x", "path": ")" + lib.string() + R"("}]})");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->plugins[0].path, lib.string());
}

TEST(HostConfig, EnvReferenceIsSubstitutedEverywhere) {
  ConfigFolder folder;
  folder.write("libx.so", "");
  const ConfigResult result = load(folder, R"({
    "listen": "${LISTEN}",
    "plugins": [{"name": "x", "path": "libx.so",
                 "config": {"secret": "${SECRET}", "list": ["${SECRET}", "keep ${SECRET} inside"]}}]
  })", env_of({{"LISTEN", "127.0.0.1:7000"}, {"SECRET", "s3\"cr/et"}}));
  ASSERT_TRUE(result.errors.empty()) << result.errors.front().pointer << ": " << result.errors.front().reason;
  EXPECT_EQ(result.config->listen.port, 7000);
  // Only a whole-string reference is replaced (CONTRACT §2: a value "of the form ${NAME}").
  EXPECT_EQ(result.config->plugins[0].config_json,
            R"({"secret":"s3\"cr/et","list":["s3\"cr/et","keep ${SECRET} inside"]})");
}

TEST(HostConfig, EnvLookupIsUsedNotTheProcessEnvironment) {
  ConfigFolder folder;
  ::setenv("LATCHKEY_CONFIG_TEST_ONLY_IN_PROCESS", "127.0.0.1:1", 1);
  const ConfigResult result = load(folder, R"({"listen": "${LATCHKEY_CONFIG_TEST_ONLY_IN_PROCESS}"})");
  ::unsetenv("LATCHKEY_CONFIG_TEST_ONLY_IN_PROCESS");
  EXPECT_TRUE(has_error(result, "/listen", "LATCHKEY_CONFIG_TEST_ONLY_IN_PROCESS is not set"));
}

TEST(HostConfig, MissingEnvVarIsAnErrorAtItsPointerNamingIt) {
  ConfigFolder folder;
  folder.write("libx.so", "");
  const ConfigResult result = load(folder, R"({
    "plugins": [{"name": "x", "path": "libx.so", "config": {"tokens": {"secret": "${NOT_SET}"}, "l": [0, "${ALSO}"]}}]
  })");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(has_error(result, "/plugins/0/config/tokens/secret", "NOT_SET"));
  EXPECT_TRUE(has_error(result, "/plugins/0/config/l/1", "ALSO"));
}

TEST(HostConfig, InvalidJsonIsAnErrorWithItsOffset) {
  ConfigFolder folder;
  const ConfigResult result = load(folder, R"({"threads": 2,})");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(has_error(result, "", "invalid JSON at byte"));
}

TEST(HostConfig, NonObjectRootIsAnError) {
  ConfigFolder folder;
  EXPECT_TRUE(has_error(load(folder, "[]"), "", "JSON object"));
}

TEST(HostConfig, UnreadableFileIsAnError) {
  ConfigFolder folder;
  const ConfigResult result = load_host_config((folder.dir() / "absent.json").string(), no_env);
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(has_error(result, "", "cannot read"));
}

TEST(ParseListenAddress, AcceptsHostAndPort) {
  auto parsed = parse_listen_address("127.0.0.1:8080");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->host, "127.0.0.1");
  EXPECT_EQ(parsed->port, 8080);
  parsed = parse_listen_address("localhost:0");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->host, "localhost");
  EXPECT_EQ(parsed->port, 0);
  parsed = parse_listen_address("0.0.0.0:65535");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->port, 65535);
}

TEST(ParseListenAddress, AcceptsBracketedIpv6) {
  auto parsed = parse_listen_address("[::1]:80");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->host, "::1");
  EXPECT_EQ(parsed->port, 80);
}

TEST(ParseListenAddress, RefusesMalformedAddresses) {
  for (const char* text : {"", "8080", ":8080", "host:", "host:65536", "host:99999999", "host:80a", "host:-1",
                           "host: 80", "[]:80"}) {
    EXPECT_FALSE(parse_listen_address(text)) << "accepted '" << text << "'";
  }
}

TEST(ParseListenAddress, RefusesAnEmbeddedNul) {
  EXPECT_FALSE(parse_listen_address(std::string_view("127.0.0.1:80\0junk", 17)));
  EXPECT_FALSE(parse_listen_address(std::string_view("127.0.0.1\0x:80", 14)));
}

TEST(HostConfig, ListenWithAnEmbeddedNulIsRefused) {
  ConfigFolder folder;
  const ConfigResult result = load(folder, R"({"listen": "127.0.0.1:80\u0000junk", "plugins": []})");
  EXPECT_TRUE(has_error(result, "/listen", "HOST:PORT"));
}

TEST(ParseListenAddress, RefusesUnbalancedIpv6Brackets) {
  for (const char* text : {"[::1:80", "::1]:80"}) {
    EXPECT_FALSE(parse_listen_address(text)) << "accepted '" << text << "'";
  }
}

}  // namespace
}  // namespace latchkey::host
