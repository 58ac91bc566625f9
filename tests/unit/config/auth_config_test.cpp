// parse_auth_config: the defaults of CONTRACT §4, and every error carrying the JSON pointer of
// the value at fault (CONTRACT §6 "--check-config errors name ... the JSON pointer").
#include "config/auth_config.h"

#include "jwt/key.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace latchkey::config {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef";  // 32 bytes
const std::string kSecretJson = R"("tokens": {"secret": ")" + kSecret + R"("})";

// Every pointer of the errors, for messages.
std::string pointers(const AuthConfigResult& result) {
  std::string all;
  for (const auto& e : result.errors) all += "[" + e.pointer + ": " + e.reason + "] ";
  return all;
}

bool has_error(const AuthConfigResult& result, const std::string& pointer) {
  for (const auto& e : result.errors)
    if (e.pointer == pointer) return true;
  return false;
}

// Expects the config to be refused with (at least) an error at `pointer`, and no config.
void expect_error(const std::string& json, const std::string& pointer, const std::string& dir = "/etc/latchkey") {
  const AuthConfigResult result = parse_auth_config(json, dir);
  EXPECT_FALSE(result.config.has_value()) << json;
  EXPECT_TRUE(has_error(result, pointer)) << json << "\nwanted " << pointer << ", got " << pointers(result);
}

AuthConfig expect_ok(const std::string& json, const std::string& dir = "/etc/latchkey") {
  const AuthConfigResult result = parse_auth_config(json, dir);
  EXPECT_TRUE(result.errors.empty()) << json << "\n" << pointers(result);
  return result.config.value_or(AuthConfig{});
}

// A temp folder with generated PEM keys, removed afterwards.
class AuthConfigKeyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("latchkey-config-test-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_ / "keys");
    write("keys/ed25519.pem", *jwt::generate_private_key_pem(jwt::Algorithm::EdDSA));
    write("keys/p256.pem", *jwt::generate_private_key_pem(jwt::Algorithm::ES256));
    write("keys/garbage.pem", "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string dir() const { return dir_.string(); }

  std::filesystem::path dir_;
};

TEST(AuthConfigDefaults, EveryDefaultIsTheContractsOne) {
  const AuthConfig c = expect_ok("{" + kSecretJson + "}");
  EXPECT_EQ(c.config_dir, "/etc/latchkey");
  EXPECT_EQ(c.database.url, "sqlite3://data/auth.db");
  EXPECT_EQ(c.database.pool_size, 4u);
  EXPECT_TRUE(c.database.auto_migrate);
  EXPECT_EQ(c.database.query_timeout_ms, 10000u);
  EXPECT_EQ(c.routes.prefix, "/api/auth");
  EXPECT_EQ(c.routes.me_alias, "/api/me");
  EXPECT_EQ(c.routes.unauthorized_status, 401u);
  EXPECT_EQ(c.tokens.issuer, "latchkey");
  EXPECT_EQ(c.tokens.audience, "latchkey");
  EXPECT_EQ(c.tokens.algorithm, "HS256");
  EXPECT_EQ(c.tokens.secret, kSecret);
  EXPECT_FALSE(c.tokens.private_key_file.has_value());
  EXPECT_TRUE(c.tokens.verify_keys.empty());
  EXPECT_EQ(c.tokens.access_ttl_seconds, 900u);
  EXPECT_EQ(c.tokens.refresh_ttl_seconds, 604800u);
  EXPECT_EQ(c.tokens.refresh_reuse_grace_seconds, 10u);
  EXPECT_EQ(c.tokens.leeway_seconds, 30u);
  EXPECT_FALSE(c.tokens.refresh_in_body);
  EXPECT_EQ(c.cookies.access_name, "accessToken");
  EXPECT_EQ(c.cookies.refresh_name, "refreshToken");
  EXPECT_TRUE(c.cookies.secure);
  EXPECT_EQ(c.cookies.same_site, "Strict");
  EXPECT_FALSE(c.cookies.domain.has_value());
  EXPECT_EQ(c.password.min_length, 8u);
  EXPECT_EQ(c.password.max_length, 256u);
  EXPECT_EQ(c.password.encoding, "plain");
  EXPECT_EQ(c.password.max_queue_wait_ms, 2000u);
  EXPECT_EQ(c.email.transport, "file");
  EXPECT_EQ(c.email.file_dir, "data/mail");
  EXPECT_EQ(c.email.smtp_url, "smtp://127.0.0.1:2525");
  EXPECT_FALSE(c.email.smtp_username.has_value());
  EXPECT_FALSE(c.email.smtp_password.has_value());
  EXPECT_EQ(c.email.from, "Latchkey <no-reply@localhost>");
  EXPECT_EQ(c.email.confirm_url, "http://127.0.0.1:8080/confirm.html?token={token}");
  EXPECT_EQ(c.email.reset_url, "http://127.0.0.1:8080/reset.html?token={token}");
  EXPECT_EQ(c.email.magic_link_url, "http://127.0.0.1:8080/magic.html?token={token}");
  EXPECT_EQ(c.email.magic_link_ttl_seconds, 900u);
  EXPECT_FALSE(c.email.confirm_redirect.has_value());
  EXPECT_FALSE(c.google.client_id.has_value());
  EXPECT_EQ(c.google.jwks, "https://www.googleapis.com/oauth2/v3/certs");
  EXPECT_TRUE(c.protect.empty());
  EXPECT_TRUE(c.csrf_allowed_origins.empty());
}

TEST(AuthConfigDefaults, NullSectionsKeepTheirDefaults) {
  const AuthConfig c = expect_ok(R"({"cookies": null, "email": null, "routes": {}, )" + kSecretJson + "}");
  EXPECT_EQ(c.cookies.same_site, "Strict");
  EXPECT_EQ(c.email.transport, "file");
  EXPECT_EQ(c.routes.prefix, "/api/auth");
}

TEST(AuthConfigDefaults, GivenValuesReplaceTheDefaults) {
  const AuthConfig c = expect_ok(R"({
    "database": {"url": "postgresql://u:p@db:5432/auth", "pool_size": 8, "auto_migrate": false},
    "routes": {"prefix": "/auth", "me_alias": "", "unauthorized_status": 419},
    "tokens": {"secret": ")" + kSecret + R"(", "access_ttl_seconds": 60, "refresh_in_body": true},
    "cookies": {"access_name": "a", "refresh_name": "r", "secure": false, "same_site": "Lax", "domain": "example.com"},
    "email": {"transport": "smtp", "smtp_username": "me"},
    "google": {"client_id": "abc.apps.googleusercontent.com"}
  })");
  EXPECT_EQ(c.database.url, "postgresql://u:p@db:5432/auth");
  EXPECT_EQ(c.database.pool_size, 8u);
  EXPECT_FALSE(c.database.auto_migrate);
  EXPECT_EQ(c.routes.prefix, "/auth");
  EXPECT_EQ(c.routes.me_alias, "");
  EXPECT_EQ(c.routes.unauthorized_status, 419u);
  EXPECT_EQ(c.tokens.access_ttl_seconds, 60u);
  EXPECT_TRUE(c.tokens.refresh_in_body);
  EXPECT_EQ(c.cookies.access_name, "a");
  EXPECT_FALSE(c.cookies.secure);
  EXPECT_EQ(c.cookies.same_site, "Lax");
  EXPECT_EQ(c.cookies.domain, "example.com");
  EXPECT_EQ(c.email.transport, "smtp");
  EXPECT_EQ(c.email.smtp_username, "me");
  EXPECT_EQ(c.google.client_id, "abc.apps.googleusercontent.com");
}

TEST(AuthConfigErrors, InvalidJsonIsOneErrorAtTheRoot) {
  const AuthConfigResult result = parse_auth_config(R"({"tokens": )", "/etc/latchkey");
  EXPECT_FALSE(result.config.has_value());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].pointer, "");
}

TEST(AuthConfigErrors, ConfigThatIsNotAnObjectIsRefused) {
  expect_error("[]", "");
  expect_error(R"({"tokens": [], "database": 3})", "/tokens");
  expect_error(R"({"database": 3, )" + kSecretJson + "}", "/database");
}

TEST(AuthConfigErrors, UnknownKeyAtTopLevelIsNamed) { expect_error(R"({"bogus": 1, )" + kSecretJson + "}", "/bogus"); }

TEST(AuthConfigErrors, UnknownNestedKeyIsNamed) {
  expect_error(R"({"tokens": {"secret": ")" + kSecret + R"(", "bogus": true}})", "/tokens/bogus");
  expect_error(R"({"cookies": {"samesite": "Lax"}, )" + kSecretJson + "}", "/cookies/samesite");
  expect_error(R"({"csrf": {"allowed_origin": []}, )" + kSecretJson + "}", "/csrf/allowed_origin");
  expect_error(R"({"protect": [{"prefix": "/a", "role": []}], )" + kSecretJson + "}", "/protect/0/role");
}

TEST(AuthConfigErrors, WrongTypesAreNamed) {
  expect_error(R"({"database": {"pool_size": "4"}, )" + kSecretJson + "}", "/database/pool_size");
  expect_error(R"({"database": {"auto_migrate": 1}, )" + kSecretJson + "}", "/database/auto_migrate");
  expect_error(R"({"database": {"url": null}, )" + kSecretJson + "}", "/database/url");
  expect_error(R"({"cookies": {"secure": "true"}, )" + kSecretJson + "}", "/cookies/secure");
  expect_error(R"({"cookies": {"domain": 5}, )" + kSecretJson + "}", "/cookies/domain");
  expect_error(R"({"tokens": {"secret": ")" + kSecret + R"(", "access_ttl_seconds": 900.5}})",
               "/tokens/access_ttl_seconds");
  expect_error(R"({"tokens": {"secret": ")" + kSecret + R"(", "leeway_seconds": -1}})", "/tokens/leeway_seconds");
  expect_error(R"({"tokens": {"secret": 12345}})", "/tokens/secret");
  expect_error(R"({"tokens": {"secret": ")" + kSecret + R"(", "verify_keys": {}}})", "/tokens/verify_keys");
}

TEST(AuthConfigErrors, OutOfRangeNumbersAreNamed) {
  expect_error(R"({"routes": {"unauthorized_status": 200}, )" + kSecretJson + "}", "/routes/unauthorized_status");
  expect_error(R"({"database": {"pool_size": 0}, )" + kSecretJson + "}", "/database/pool_size");
  expect_error(R"({"database": {"query_timeout_ms": 499}, )" + kSecretJson + "}", "/database/query_timeout_ms");
  expect_error(R"({"database": {"query_timeout_ms": "10s"}, )" + kSecretJson + "}", "/database/query_timeout_ms");
  expect_error(R"({"tokens": {"secret": ")" + kSecret + R"(", "refresh_reuse_grace_seconds": 301}})",
               "/tokens/refresh_reuse_grace_seconds");
}

TEST(AuthConfigErrors, SeveralErrorsAreAllReported) {
  const AuthConfigResult result =
      parse_auth_config(R"({"bogus": 1, "cookies": {"same_site": "lax"}, "tokens": {"algorithm": "none"}})", "/x");
  EXPECT_TRUE(has_error(result, "/bogus")) << pointers(result);
  EXPECT_TRUE(has_error(result, "/cookies/same_site")) << pointers(result);
  EXPECT_TRUE(has_error(result, "/tokens/algorithm")) << pointers(result);
}

TEST(AuthConfigSecret, Hs256SecretOf31BytesIsRefused) {
  expect_error(R"({"tokens": {"secret": ")" + kSecret.substr(1) + R"("}})", "/tokens/secret");
}

TEST(AuthConfigSecret, Hs256SecretOf32BytesIsAccepted) {
  EXPECT_EQ(expect_ok("{" + kSecretJson + "}").tokens.secret, kSecret);
}

TEST(AuthConfigSecret, Hs256SecretCountsBytesNotCharacters) {
  // 16 two-byte characters: 32 bytes of UTF-8 (the HMAC key is the UTF-8 bytes, CONTRACT §6).
  std::string secret;
  for (int i = 0; i < 16; ++i) secret += "\xc3\xa9";
  expect_ok(R"({"tokens": {"secret": ")" + secret + R"("}})");
  expect_error(R"({"tokens": {"secret": ")" + secret.substr(2) + R"(x"}})", "/tokens/secret");
}

TEST(AuthConfigSecret, MissingOrNullSecretIsRefused) {
  expect_error("{}", "/tokens/secret");
  expect_error(R"({"tokens": {"secret": null}})", "/tokens/secret");
  expect_error(R"({"tokens": {"algorithm": "HS256"}})", "/tokens/secret");
}

// tokens.keys "database" (CONTRACT §9): the keys come from the signing_keys table.
const std::string kEncryptionKey = "key-encryption-key-of-32-bytes!!";  // 32 bytes

TEST(AuthConfigKeySource, DefaultIsConfigWithA30SecondRefresh) {
  const AuthConfig c = expect_ok("{" + kSecretJson + "}");
  EXPECT_EQ(c.tokens.keys, "config");
  EXPECT_FALSE(c.tokens.key_encryption_key);
  EXPECT_EQ(c.tokens.key_refresh_seconds, 30u);
}

TEST(AuthConfigKeySource, DatabaseNeedsNoSecretButAnEncryptionKey) {
  const AuthConfig c = expect_ok(R"({"tokens": {"keys": "database", "key_encryption_key": ")" + kEncryptionKey +
                                 R"(", "key_refresh_seconds": 5}})");
  EXPECT_EQ(c.tokens.keys, "database");
  EXPECT_EQ(c.tokens.key_encryption_key, kEncryptionKey);
  EXPECT_EQ(c.tokens.key_refresh_seconds, 5u);
  expect_error(R"({"tokens": {"keys": "database"}})", "/tokens/key_encryption_key");
  expect_error(R"({"tokens": {"keys": "database", "key_encryption_key": ")" + kEncryptionKey.substr(1) + R"("}})",
               "/tokens/key_encryption_key");
}

TEST(AuthConfigKeySource, InvalidCombinationsAreNamed) {
  const std::string database = R"("keys": "database", "key_encryption_key": ")" + kEncryptionKey + R"(")";
  expect_error(R"({"tokens": {)" + database + R"(, "secret": ")" + kSecret + R"("}})", "/tokens/secret");
  expect_error(R"({"tokens": {)" + database + R"(, "private_key_file": "k.pem"}})", "/tokens/private_key_file");
  expect_error(R"({"tokens": {)" + database + R"(, "verify_keys": [{"kid": "a", "secret": ")" + kSecret + R"("}]}})",
               "/tokens/verify_keys");
  expect_error(R"({"tokens": {"secret": ")" + kSecret + R"(", "key_encryption_key": ")" + kEncryptionKey + R"("}})",
               "/tokens/key_encryption_key");
  expect_error(R"({"tokens": {"keys": "files", "secret": ")" + kSecret + R"("}})", "/tokens/keys");
  for (const char* seconds : {"0", "3601"}) {
    expect_error(R"({"tokens": {)" + database + R"(, "key_refresh_seconds": )" + seconds + "}}",
                 "/tokens/key_refresh_seconds");
  }
}

TEST(AuthConfigAlgorithm, NoneAndOtherAlgorithmsAreRefused) {
  for (const char* algorithm : {"none", "None", "NONE", "RS256", "hs256", "HS512", ""}) {
    expect_error(R"({"tokens": {"secret": ")" + kSecret + R"(", "algorithm": ")" + algorithm + R"("}})",
                 "/tokens/algorithm");
  }
}

TEST(AuthConfigAlgorithm, EdDsaWithoutPrivateKeyFileIsRefused) {
  expect_error(R"({"tokens": {"algorithm": "EdDSA"}})", "/tokens/private_key_file");
  expect_error(R"({"tokens": {"algorithm": "ES256", "secret": ")" + kSecret + R"("}})", "/tokens/private_key_file");
}

TEST_F(AuthConfigKeyFiles, EdDsaKeyFileRelativeToTheConfigFolderIsAccepted) {
  const AuthConfig c = expect_ok(R"({"tokens": {"algorithm": "EdDSA", "private_key_file": "keys/ed25519.pem"}})", dir());
  EXPECT_EQ(c.tokens.private_key_file, "keys/ed25519.pem");
  EXPECT_EQ(c.resolve(*c.tokens.private_key_file), (dir_ / "keys/ed25519.pem").string());
  expect_ok(R"({"tokens": {"algorithm": "ES256", "private_key_file": "keys/p256.pem"}})", dir());
}

TEST_F(AuthConfigKeyFiles, EdDsaKeyFileIsNotFoundRelativeToTheWorkingFolder) {
  // The same relative path with another config folder must not load.
  expect_error(R"({"tokens": {"algorithm": "EdDSA", "private_key_file": "keys/ed25519.pem"}})",
               "/tokens/private_key_file", "/nonexistent-config-folder");
}

TEST_F(AuthConfigKeyFiles, PrivateKeyOfTheWrongAlgorithmIsRefused) {
  expect_error(R"({"tokens": {"algorithm": "EdDSA", "private_key_file": "keys/p256.pem"}})",
               "/tokens/private_key_file", dir());
  expect_error(R"({"tokens": {"algorithm": "ES256", "private_key_file": "keys/ed25519.pem"}})",
               "/tokens/private_key_file", dir());
}

TEST_F(AuthConfigKeyFiles, MissingOrUnreadableKeyFileIsRefused) {
  expect_error(R"({"tokens": {"algorithm": "EdDSA", "private_key_file": "keys/absent.pem"}})",
               "/tokens/private_key_file", dir());
  expect_error(R"({"tokens": {"algorithm": "EdDSA", "private_key_file": "keys/garbage.pem"}})",
               "/tokens/private_key_file", dir());
}

TEST_F(AuthConfigKeyFiles, VerifyKeysFromFilesAndSecretsAreAccepted) {
  const AuthConfig c = expect_ok(R"({"tokens": {"secret": ")" + kSecret + R"(", "verify_keys": [
      {"file": "keys/ed25519.pem"},
      {"kid": "old-1", "secret": "abcdefghijklmnopqrstuvwxyz0123456789"}]}})",
                                 dir());
  ASSERT_EQ(c.tokens.verify_keys.size(), 2u);
  EXPECT_EQ(c.tokens.verify_keys[0].file, "keys/ed25519.pem");
  EXPECT_EQ(c.tokens.verify_keys[1].kid, "old-1");
  EXPECT_EQ(c.tokens.verify_keys[1].secret, "abcdefghijklmnopqrstuvwxyz0123456789");
}

TEST_F(AuthConfigKeyFiles, VerifyKeyNeedsExactlyOneOfFileAndSecret) {
  const std::string head = R"({"tokens": {"secret": ")" + kSecret + R"(", "verify_keys": [)";
  expect_error(head + R"({"kid": "k", "file": "keys/ed25519.pem", "secret": ")" + kSecret + R"("}]}})",
               "/tokens/verify_keys/0/file", dir());
  expect_error(head + R"({"kid": "k"}]}})", "/tokens/verify_keys/0/file", dir());
}

TEST_F(AuthConfigKeyFiles, VerifyKeyErrorsNameTheirIndex) {
  const std::string head = R"({"tokens": {"secret": ")" + kSecret + R"(", "verify_keys": [{"file": "keys/p256.pem"}, )";
  expect_error(head + R"({"secret": ")" + kSecret + R"("}]}})", "/tokens/verify_keys/1/kid", dir());
  expect_error(head + R"({"kid": "k", "secret": "short"}]}})", "/tokens/verify_keys/1/secret", dir());
  expect_error(head + R"({"file": "keys/absent.pem"}]}})", "/tokens/verify_keys/1/file", dir());
  expect_error(head + R"({"file": "keys/garbage.pem"}]}})", "/tokens/verify_keys/1/file", dir());
  expect_error(head + R"({"file": "keys/p256.pem", "bogus": 1}]}})", "/tokens/verify_keys/1/bogus", dir());
  expect_error(head + R"("keys/p256.pem"]}})", "/tokens/verify_keys/1", dir());
}

// --check-config must refuse what lk_plugin_init refuses: KeySet::create fails on two keys with
// one kid, e.g. the signing key listed again among the verify keys, or two secrets with one kid.
TEST_F(AuthConfigKeyFiles, VerifyKeyWithAKidAlreadyInUseIsRefused) {
  expect_error(R"({"tokens": {"algorithm": "EdDSA", "private_key_file": "keys/ed25519.pem",
                              "verify_keys": [{"file": "keys/ed25519.pem"}]}})",
               "/tokens/verify_keys/0/file", dir());
  expect_error(R"({"tokens": {"secret": ")" + kSecret + R"(", "verify_keys": [
                   {"kid": "old", "secret": "abcdefghijklmnopqrstuvwxyz0123456789"},
                   {"kid": "old", "secret": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"}]}})",
               "/tokens/verify_keys/1/kid", dir());
}

TEST(AuthConfigDatabase, BadUrlIsNamed) {
  for (const char* url : {"redis://127.0.0.1/0", "auth.db", "", "postgresql://"}) {
    expect_error(R"({"database": {"url": ")" + std::string(url) + R"("}, )" + kSecretJson + "}", "/database/url");
  }
}

TEST(AuthConfigDatabase, EveryBackendUrlIsAccepted) {
  for (const char* url : {"sqlite3://data/auth.db", "sqlite3:///var/lib/latchkey/auth.db",
                          "postgresql://u:p@127.0.0.1:5432/auth", "mysql://u:p@127.0.0.1:3306/auth"}) {
    EXPECT_EQ(expect_ok(R"({"database": {"url": ")" + std::string(url) + R"("}, )" + kSecretJson + "}").database.url,
              url);
  }
}

TEST(AuthConfigCookies, InvalidSameSiteIsRefused) {
  for (const char* same_site : {"strict", "lax", "none", "", "Relaxed"}) {
    expect_error(R"({"cookies": {"same_site": ")" + std::string(same_site) + R"("}, )" + kSecretJson + "}",
                 "/cookies/same_site");
  }
}

TEST(AuthConfigCookies, SameSiteNoneNeedsSecure) {
  expect_error(R"({"cookies": {"same_site": "None", "secure": false}, )" + kSecretJson + "}", "/cookies/same_site");
  EXPECT_EQ(expect_ok(R"({"cookies": {"same_site": "None", "secure": true}, )" + kSecretJson + "}").cookies.same_site,
            "None");
}

TEST(AuthConfigCookies, CookieNamesMustBeTokensAndDiffer) {
  expect_error(R"({"cookies": {"access_name": "a b"}, )" + kSecretJson + "}", "/cookies/access_name");
  expect_error(R"({"cookies": {"access_name": ""}, )" + kSecretJson + "}", "/cookies/access_name");
  expect_error(R"({"cookies": {"refresh_name": "accessToken"}, )" + kSecretJson + "}", "/cookies/refresh_name");
}

TEST(AuthConfigRoutes, PrefixMustBeAPathWithoutTrailingSlash) {
  for (const char* prefix : {"/api/auth/", "/", "", "api/auth", "/api//auth", "/api/auth?x"}) {
    expect_error(R"({"routes": {"prefix": ")" + std::string(prefix) + R"("}, )" + kSecretJson + "}",
                 "/routes/prefix");
  }
  expect_error(R"({"routes": {"me_alias": "/api/me/"}, )" + kSecretJson + "}", "/routes/me_alias");
}

TEST(AuthConfigProtect, RulesAreReadInOrder) {
  const AuthConfig c = expect_ok(R"({"protect": [{"prefix": "/api/notes"}, {"prefix": "/api/admin", "roles": ["admin"]}], )" +
                                 kSecretJson + "}");
  ASSERT_EQ(c.protect.size(), 2u);
  EXPECT_EQ(c.protect[0].prefix, "/api/notes");
  EXPECT_TRUE(c.protect[0].roles.empty());
  EXPECT_EQ(c.protect[1].prefix, "/api/admin");
  EXPECT_EQ(c.protect[1].roles, std::vector<std::string>{"admin"});
}

TEST(AuthConfigProtect, BadRulesAreNamedByIndex) {
  expect_error(R"({"protect": [{"prefix": "/ok"}, {"prefix": "notes"}], )" + kSecretJson + "}", "/protect/1/prefix");
  expect_error(R"({"protect": [{"prefix": "/api/notes/"}], )" + kSecretJson + "}", "/protect/0/prefix");
  expect_error(R"({"protect": [{}], )" + kSecretJson + "}", "/protect/0/prefix");
  expect_error(R"({"protect": [{"prefix": "/a", "roles": "admin"}], )" + kSecretJson + "}", "/protect/0/roles");
  expect_error(R"({"protect": [{"prefix": "/a", "roles": [1]}], )" + kSecretJson + "}", "/protect/0/roles");
  expect_error(R"({"protect": ["/a"], )" + kSecretJson + "}", "/protect/0");
  expect_error(R"({"protect": {"prefix": "/a"}, )" + kSecretJson + "}", "/protect");
}

TEST(AuthConfigPassword, MaxQueueWaitIsReadWithin1MsAndAMinute) {
  EXPECT_EQ(expect_ok(R"({"password": {"max_queue_wait_ms": 500}, )" + kSecretJson + "}").password.max_queue_wait_ms,
            500u);
  EXPECT_EQ(expect_ok(R"({"password": {"max_queue_wait_ms": 60000}, )" + kSecretJson + "}").password.max_queue_wait_ms,
            60000u);
  expect_error(R"({"password": {"max_queue_wait_ms": 0}, )" + kSecretJson + "}", "/password/max_queue_wait_ms");
  expect_error(R"({"password": {"max_queue_wait_ms": 60001}, )" + kSecretJson + "}", "/password/max_queue_wait_ms");
}

TEST(AuthConfigPassword, HashPriorityIsIdleOrNormal) {
  EXPECT_EQ(expect_ok("{" + kSecretJson + "}").password.hash_priority, "idle");
  EXPECT_EQ(expect_ok(R"({"password": {"hash_priority": "normal"}, )" + kSecretJson + "}").password.hash_priority,
            "normal");
  expect_error(R"({"password": {"hash_priority": "low"}, )" + kSecretJson + "}", "/password/hash_priority");
  expect_error(R"({"password": {"hash_priority": 19}, )" + kSecretJson + "}", "/password/hash_priority");
}

TEST(AuthConfigCsrf, AllowedOriginsAreAnArrayOfStrings) {
  const AuthConfig c =
      expect_ok(R"({"csrf": {"allowed_origins": ["https://app.example.com", "http://localhost:3000"]}, )" + kSecretJson + "}");
  EXPECT_EQ(c.csrf_allowed_origins, (std::vector<std::string>{"https://app.example.com", "http://localhost:3000"}));
  expect_error(R"({"csrf": {"allowed_origins": "https://app.example.com"}, )" + kSecretJson + "}",
               "/csrf/allowed_origins");
  expect_error(R"({"csrf": {"allowed_origins": [null]}, )" + kSecretJson + "}", "/csrf/allowed_origins");
}

TEST(AuthConfigPaths, RelativePathsResolveAgainstTheConfigFolder) {
  const AuthConfig c = expect_ok("{" + kSecretJson + "}", "/etc/latchkey");
  EXPECT_EQ(c.resolve("data/mail"), "/etc/latchkey/data/mail");
  EXPECT_EQ(c.resolve("./keys/../keys/k.pem"), "/etc/latchkey/keys/k.pem");
  EXPECT_EQ(c.resolve("../shared/k.pem"), "/etc/shared/k.pem");
  EXPECT_EQ(c.resolve("/var/lib/latchkey/auth.db"), "/var/lib/latchkey/auth.db");
}

// login_throttle.scope (CONTRACT §9): database by default where hosts share a server, host on SQLite.
TEST(AuthConfigThrottleScope, DefaultsToHostOnSqliteAndDatabaseOnServers) {
  EXPECT_EQ(expect_ok("{" + kSecretJson + "}").login_throttle.scope, ThrottleScope::host);
  for (const char* url : {"postgresql://u:p@127.0.0.1:5432/auth", "mysql://u:p@127.0.0.1:3306/auth"}) {
    const std::string json = R"({"database": {"url": ")" + std::string(url) + R"("}, )" + kSecretJson + "}";
    EXPECT_EQ(expect_ok(json).login_throttle.scope, ThrottleScope::database) << url;
  }
}

TEST(AuthConfigThrottleScope, GivenScopeWinsOverTheBackendsDefault) {
  EXPECT_EQ(expect_ok(R"({"login_throttle": {"scope": "database"}, )" + kSecretJson + "}").login_throttle.scope,
            ThrottleScope::database);
  const std::string pg = R"({"database": {"url": "postgresql://u:p@127.0.0.1/auth"}, "login_throttle": {"scope": "host"}, )";
  EXPECT_EQ(expect_ok(pg + kSecretJson + "}").login_throttle.scope, ThrottleScope::host);
}

TEST(AuthConfigThrottleScope, AnyOtherScopeIsAnErrorAtItsPointer) {
  expect_error(R"({"login_throttle": {"scope": "cluster"}, )" + kSecretJson + "}", "/login_throttle/scope");
  expect_error(R"({"login_throttle": {"scope": "Database"}, )" + kSecretJson + "}", "/login_throttle/scope");
  expect_error(R"({"login_throttle": {"scope": 1}, )" + kSecretJson + "}", "/login_throttle/scope");
}

}  // namespace
}  // namespace latchkey::config

namespace latchkey::config {
namespace {

TEST(AuthConfigAudit, DefaultsAreOnAndNinetyDays) {
  const AuthConfigResult result = parse_auth_config("{" + kSecretJson + "}", "/etc/latchkey");
  ASSERT_TRUE(result.config) << pointers(result);
  EXPECT_TRUE(result.config->audit.enabled);
  EXPECT_EQ(result.config->audit.retention_days, 90u);
}

TEST(AuthConfigAudit, GivenValuesAndBadOnesAtTheirPointers) {
  const AuthConfigResult result =
      parse_auth_config(R"({"audit": {"enabled": false, "retention_days": 7}, )" + kSecretJson + "}", "/etc/latchkey");
  ASSERT_TRUE(result.config) << pointers(result);
  EXPECT_FALSE(result.config->audit.enabled);
  EXPECT_EQ(result.config->audit.retention_days, 7u);
  expect_error(R"({"audit": {"retention_days": 0}, )" + kSecretJson + "}", "/audit/retention_days");
  expect_error(R"({"audit": {"retention_days": 36501}, )" + kSecretJson + "}", "/audit/retention_days");
  expect_error(R"({"audit": {"enabled": "yes"}, )" + kSecretJson + "}", "/audit/enabled");
  expect_error(R"({"audit": {"retention": 30}, )" + kSecretJson + "}", "/audit/retention");
}

}  // namespace
}  // namespace latchkey::config

namespace latchkey::config {
namespace {

// --- mfa (CONTRACT §10) ---

TEST(AuthConfigMfa, DefaultsAreNoKeyAndTheIssuerLatchkey) {
  const AuthConfig c = expect_ok("{" + kSecretJson + "}");
  EXPECT_FALSE(c.mfa.encryption_key);
  EXPECT_EQ(c.mfa.issuer, "Latchkey");
}

TEST(AuthConfigMfa, AKeyOfAtLeast32BytesAndAnIssuer) {
  const std::string key(32, 'k');
  const AuthConfig c = expect_ok(R"({"mfa": {"encryption_key": ")" + key + R"(", "issuer": "Acme"}, )" + kSecretJson + "}");
  EXPECT_EQ(c.mfa.encryption_key, key);
  EXPECT_EQ(c.mfa.issuer, "Acme");
  expect_error(R"({"mfa": {"encryption_key": ")" + std::string(31, 'k') + R"("}, )" + kSecretJson + "}", "/mfa/encryption_key");
  expect_error(R"({"mfa": {"issuer": ""}, )" + kSecretJson + "}", "/mfa/issuer");
  expect_error(R"({"mfa": {"bogus": 1}, )" + kSecretJson + "}", "/mfa/bogus");
}

TEST(AuthConfigMfa, TheKeyIsRefusedWhenTheTokensKeyEncryptsTheSecrets) {
  expect_error(R"({"tokens": {"keys": "database", "key_encryption_key": ")" + kEncryptionKey +
                   R"("}, "mfa": {"encryption_key": ")" + std::string(32, 'k') + R"("}})",
               "/mfa/encryption_key");
}

TEST(AuthConfigMfa, ProtectRulesMayRequireASecondFactor) {
  const AuthConfig c = expect_ok(R"({"protect": [{"prefix": "/api/admin", "roles": ["admin"], "mfa": true},
                                                 {"prefix": "/api/notes"}], )" + kSecretJson + "}");
  ASSERT_EQ(c.protect.size(), 2u);
  EXPECT_TRUE(c.protect[0].mfa);
  EXPECT_FALSE(c.protect[1].mfa);
  expect_error(R"({"protect": [{"prefix": "/api/admin", "mfa": "yes"}], )" + kSecretJson + "}", "/protect/0/mfa");
}

}  // namespace
}  // namespace latchkey::config

namespace latchkey::config {
namespace {

// --- webauthn (CONTRACT §10 "Passkeys") ---

TEST(AuthConfigWebAuthn, DefaultsFollowTheRequest) {
  const AuthConfig c = expect_ok("{" + kSecretJson + "}");
  EXPECT_FALSE(c.webauthn.rp_id);
  EXPECT_EQ(c.webauthn.rp_name, "Latchkey");
  EXPECT_TRUE(c.webauthn.origins.empty());
  EXPECT_FALSE(expect_ok(R"({"webauthn": null, )" + kSecretJson + "}").webauthn.rp_id);
}

TEST(AuthConfigWebAuthn, AHostNameAndItsOrigins) {
  const AuthConfig c = expect_ok(R"({"webauthn": {"rp_id": "example.com", "rp_name": "Acme",
      "origins": ["https://example.com", "https://login.example.com:8443", "http://example.com"]}, )" + kSecretJson + "}");
  EXPECT_EQ(c.webauthn.rp_id, "example.com");
  EXPECT_EQ(c.webauthn.rp_name, "Acme");
  EXPECT_EQ(c.webauthn.origins.size(), 3u);
  EXPECT_EQ(expect_ok(R"({"webauthn": {"rp_id": "localhost", "origins": ["http://localhost:8080"]}, )" + kSecretJson + "}")
                .webauthn.origins.front(),
            "http://localhost:8080");
  // Origins without an rp_id: the rp id is each request's host, checked by the ceremony.
  expect_ok(R"({"webauthn": {"origins": ["https://a.example", "https://b.example"]}, )" + kSecretJson + "}");
}

TEST(AuthConfigWebAuthn, TheRpIdIsAHostNameNotAnAddress) {
  for (const char* bad : {"127.0.0.1", "::1", "[::1]", "10.0.0.1", "localhost:8080", "Example.com", "", ".example.com",
                          "example.com.", "https://example.com", "exa mple.com", "例え.jp"}) {
    expect_error(R"({"webauthn": {"rp_id": ")" + std::string(bad) + R"("}, )" + kSecretJson + "}", "/webauthn/rp_id");
  }
  expect_error(R"({"webauthn": {"rp_id": 5}, )" + kSecretJson + "}", "/webauthn/rp_id");
  expect_error(R"({"webauthn": {"rp_id": ")" + std::string(254, 'a') + R"("}, )" + kSecretJson + "}", "/webauthn/rp_id");
}

TEST(AuthConfigWebAuthn, OriginsAreOriginsOnTheRpId) {
  for (const char* bad : {"localhost:8080", "http://localhost:8080/", "https://example.com/login", "ftp://example.com",
                          "https://", "https://user@example.com", "https://example.com?x", "*", "HTTPS://example.com",
                          "https://Example.com"}) {
    expect_error(R"({"webauthn": {"origins": [")" + std::string(bad) + R"("]}, )" + kSecretJson + "}", "/webauthn/origins");
  }
  // An origin outside the RP id's domain: every ceremony from it would fail.
  for (const char* outside : {"https://example.org", "https://notexample.com", "https://example.com.evil.io"}) {
    expect_error(R"({"webauthn": {"rp_id": "example.com", "origins": [")" + std::string(outside) + R"("]}, )" + kSecretJson +
                     "}",
                 "/webauthn/origins");
  }
  expect_error(R"({"webauthn": {"rp_id": "login.example.com", "origins": ["https://example.com"]}, )" + kSecretJson + "}",
               "/webauthn/origins");
  expect_error(R"({"webauthn": {"origins": "https://example.com"}, )" + kSecretJson + "}", "/webauthn/origins");
}

TEST(AuthConfigWebAuthn, NameAndUnknownKeys) {
  expect_error(R"({"webauthn": {"rp_name": ""}, )" + kSecretJson + "}", "/webauthn/rp_name");
  expect_error(R"({"webauthn": {"rp_name": 7}, )" + kSecretJson + "}", "/webauthn/rp_name");
  expect_error(R"({"webauthn": {"rpId": "localhost"}, )" + kSecretJson + "}", "/webauthn/rpId");
  expect_error(R"({"webauthn": [], )" + kSecretJson + "}", "/webauthn");
}

}  // namespace
}  // namespace latchkey::config
