// What the auth plugin's integration tests share: the binaries under test, a scratch database per
// test on each backend, a host with the auth plugin built from a base config plus a JSON patch,
// the CLI, and readers for cookies and JWTs.
#pragma once

#include "support/host_process.h"
#include "support/http_client.h"
#include "test_database.h"  // tests/unit/store: scratch PostgreSQL / MariaDB databases

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace latchkey::test::auth {

using store::Backend;

inline const std::string kHostBinary = LATCHKEY_HOST_BINARY;
inline const std::string kAuthPlugin = LATCHKEY_AUTH_PLUGIN;
inline const std::string kAuthCli = LATCHKEY_AUTH_CLI;
inline const std::string kTestPlugin = LATCHKEY_TEST_PLUGIN;
inline const std::string kSourceDir = LATCHKEY_SOURCE_DIR;

// The HS256 secret reaches the configs through ${LATCHKEY_IT_JWT_SECRET} (CONTRACT §2).
inline constexpr const char* kSecretVariable = "LATCHKEY_IT_JWT_SECRET";
inline const std::string kSecret = "latchkey-integration-secret-0123456789abcdef";
inline const std::string kPassword = "correct horse battery";

// ---- JSON -------------------------------------------------------------------------------------

rapidjson::Document parse_json(const std::string& text);
// A string member, or "<absent>".
std::string string_member(const rapidjson::Value& object, const char* name);
int64_t int_member(const rapidjson::Value& object, const char* name, int64_t missing = -999);
// `patch` merged into `base` (objects member by member, anything else replaced).
std::string merge_json(const std::string& base, const std::string& patch);
// {"error": code, "message": "..."} with that status and a JSON Content-Type.
::testing::AssertionResult is_json_error(const HttpResult& result, long status, const std::string& code);

// ---- cookies and tokens -----------------------------------------------------------------------

struct SetCookie {
  std::string name;
  std::string value;
  std::map<std::string, std::string> attributes;  // lower-case names; flags map to ""
  bool has(const std::string& attribute) const { return attributes.count(attribute) > 0; }
  std::string attribute(const std::string& name) const;
};
std::vector<SetCookie> set_cookies(const HttpResult& result);
std::optional<SetCookie> set_cookie(const HttpResult& result, const std::string& name);
// True when the response clears the cookie (empty value, Max-Age=0).
bool clears_cookie(const HttpResult& result, const std::string& name);

// The decoded header / claims of a compact JWS (not verified); an empty object when malformed.
rapidjson::Document jwt_header(const std::string& token);
rapidjson::Document jwt_claims(const std::string& token);
std::string access_token_of(const HttpResult& token_response);

Headers bearer(const std::string& token);
Headers cookie(const std::string& name, const std::string& value);
inline const Headers kJson = {{"Content-Type", "application/json"}};
Headers json_with(Headers extra);

// ---- processes --------------------------------------------------------------------------------

// Runs binary with args, stdin from stdin_text, in `dir` (for its captured output); kills it after timeout.
ExitResult run_program(const std::string& binary, const std::vector<std::string>& args, const std::string& stdin_text,
                       const std::filesystem::path& dir, std::chrono::milliseconds timeout = std::chrono::seconds(30));

// ---- databases --------------------------------------------------------------------------------

// A fresh database for one test: a file in `sqlite_dir`, or a scratch database on the server.
// url() is what goes into database.url. create() returns null with `why` when the server's URL
// is not in the environment.
class TestDatabase {
 public:
  static std::unique_ptr<TestDatabase> create(Backend backend, const std::filesystem::path& sqlite_dir, std::string& why);
  const std::string& url() const { return url_; }
  Backend backend() const { return backend_; }

 private:
  Backend backend_ = Backend::sqlite;
  std::string url_;
  std::unique_ptr<store::testing::ScratchDatabase> scratch_;
};

// The auth plugin's base test config: database URL, ${NAME} secret, fast Argon2, non-Secure
// cookies, log mail. Patches go on top.
std::string base_auth_config(const std::string& database_url);

// The host config: one auth plugin entry (with auth_config), optional extra plugin entries.
std::string auth_host_config(const std::string& auth_config, const std::vector<std::string>& extra_plugins = {},
                             const std::string& host_extra = R"("threads": 4)");

// ---- fixtures ---------------------------------------------------------------------------------

// One test's world: a database, a host with the auth plugin, the CLI on the same config.
class AuthFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  virtual Backend backend() const { return Backend::sqlite; }

  // Writes the host config (base auth config + patch) without starting the host.
  void write_config(const std::string& auth_patch = "{}", const std::vector<std::string>& extra_plugins = {},
                    const std::string& host_extra = R"("threads": 4)");
  // write_config, then start the host; fails the test when it does not come up.
  void start_host(const std::string& auth_patch = "{}", const std::vector<std::string>& extra_plugins = {},
                  const std::string& host_extra = R"("threads": 4)");
  std::string url(const std::string& path) const { return host.url(path); }
  std::string auth_url(const std::string& path) const { return host.url("/api/auth" + path); }

  // latchkey-auth --config <this host's config> args...
  ExitResult cli(const std::vector<std::string>& args, const std::string& stdin_text = "");
  // `user add EMAIL --confirmed` (plus extra args), password on stdin; fails the test on error.
  void add_user(const std::string& email, const std::string& password = kPassword,
                const std::vector<std::string>& extra = {"--confirmed"});
  HttpResult login(const std::string& email, const std::string& password = kPassword, Headers extra = {});
  // Logs in and asserts 200.
  HttpResult login_ok(const std::string& email, const std::string& password = kPassword);
  // POST refresh with the refresh cookie.
  HttpResult refresh_with_cookie(const std::string& refresh_token, Headers extra = {});

  const std::string& database_url() const { return database_->url(); }

  std::unique_ptr<TestDatabase> database_;  // declared first: dropped after the host stopped
  HostProcess host{kHostBinary};
  HttpClient http;
};

// The same on each backend (GetParam()); instantiate with INSTANTIATE_ON_EACH_BACKEND(Suite).
class AuthBackendTest : public AuthFixture, public ::testing::WithParamInterface<Backend> {
 protected:
  Backend backend() const override { return GetParam(); }
};

// A host whose revocation cache holds answers 500 ms, and a probe of how soon an ended session's
// access token is refused (CONTRACT §6: within the TTL).
class ShortRevocationTtlTest : public AuthBackendTest {
 protected:
  static constexpr auto kCacheTtl = std::chrono::milliseconds(500);
  static constexpr auto kMargin = std::chrono::milliseconds(1000);
  void SetUp() override;
  // How long until GET <prefix>/me refuses the token, or nullopt when it is still accepted after `limit`.
  std::optional<std::chrono::milliseconds> time_until_refused(
      const std::string& access, std::chrono::milliseconds limit = std::chrono::milliseconds(5000));
};

#define INSTANTIATE_ON_EACH_BACKEND(suite)                                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                                 \
                           ::testing::Values(::latchkey::store::Backend::sqlite,                            \
                                             ::latchkey::store::Backend::postgresql,                        \
                                             ::latchkey::store::Backend::mysql),                            \
                           ::latchkey::store::testing::backend_param_name)

}  // namespace latchkey::test::auth
