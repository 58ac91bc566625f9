// Asymmetric keys (CONTRACT §3, §5–6): `latchkey-auth keygen`, hosts signing with EdDSA / ES256,
// their JWKS, and rotation through tokens.verify_keys.
#include "auth_test_support.h"

#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>

namespace latchkey::test::auth {
namespace {
namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class AuthKeys : public AuthFixture {
 protected:
  ExitResult keygen(const std::string& algorithm, const fs::path& out) {
    return run_program(kAuthCli, {"keygen", "--algorithm", algorithm, "--out", out.string()}, "", host.dir());
  }
  std::string key_config(const std::string& algorithm, const fs::path& key, const std::string& verify_keys = "[]") {
    return R"({"tokens": {"algorithm": ")" + algorithm + R"(", "private_key_file": ")" + key.string() +
           R"(", "verify_keys": )" + verify_keys + "}}";
  }
};

TEST_F(AuthKeys, KeygenWritesAPrivatePemReadableByItsOwnerOnlyAndNeverOverwrites) {
  const fs::path key = host.dir() / "signing.pem";
  const ExitResult made = keygen("EdDSA", key);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  struct stat info {};
  ASSERT_EQ(::stat(key.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  const std::string pem = read_text(key);
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u) << pem.substr(0, 40);

  const ExitResult again = keygen("EdDSA", key);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_FALSE(again.err.empty());
  EXPECT_EQ(read_text(key), pem) << "keygen overwrote an existing key";

  EXPECT_NE(keygen("HS256", host.dir() / "hs.pem").exit_code, 0);
  EXPECT_NE(keygen("none", host.dir() / "none.pem").exit_code, 0);
  EXPECT_FALSE(fs::exists(host.dir() / "none.pem"));
}

class AuthAsymmetric : public AuthKeys, public ::testing::WithParamInterface<std::tuple<std::string, std::string, std::string>> {};

TEST_P(AuthAsymmetric, HostSignsVerifiesAndPublishesItsKey) {
  const auto& [algorithm, kty, crv] = GetParam();
  const fs::path key = host.dir() / "signing.pem";
  ASSERT_EQ(keygen(algorithm, key).exit_code, 0);
  start_host(key_config(algorithm, key));
  add_user("keys@example.com");
  const std::string access = access_token_of(login_ok("keys@example.com"));
  const rapidjson::Document header = jwt_header(access);
  EXPECT_EQ(string_member(header, "alg"), algorithm);
  EXPECT_EQ(http.get(auth_url("/me"), bearer(access)).status, 200);

  const HttpResult jwks = http.get(url("/.well-known/jwks.json"));
  ASSERT_EQ(jwks.status, 200);
  const rapidjson::Document set = parse_json(jwks.body);
  ASSERT_TRUE(set.IsObject() && set.HasMember("keys") && set["keys"].IsArray() && set["keys"].Size() == 1) << jwks.body;
  const rapidjson::Value& jwk = set["keys"][0];
  EXPECT_EQ(string_member(jwk, "kid"), string_member(header, "kid"));
  EXPECT_EQ(string_member(jwk, "kty"), kty);
  EXPECT_EQ(string_member(jwk, "crv"), crv);
  EXPECT_NE(string_member(jwk, "x"), "<absent>");
  if (kty == "EC") {
    EXPECT_NE(string_member(jwk, "y"), "<absent>");
  }
  EXPECT_FALSE(jwk.HasMember("d")) << "the private part is published: " << jwks.body;
}

INSTANTIATE_TEST_SUITE_P(Algorithms, AuthAsymmetric,
                         ::testing::Values(std::make_tuple("EdDSA", "OKP", "Ed25519"), std::make_tuple("ES256", "EC", "P-256")),
                         [](const auto& info) { return std::get<0>(info.param); });

TEST_F(AuthKeys, JwksIsEmptyForHs256) {
  start_host();
  const HttpResult jwks = http.get(url("/.well-known/jwks.json"));
  ASSERT_EQ(jwks.status, 200);
  const rapidjson::Document set = parse_json(jwks.body);
  ASSERT_TRUE(set.IsObject() && set.HasMember("keys") && set["keys"].IsArray()) << jwks.body;
  EXPECT_EQ(set["keys"].Size(), 0u) << jwks.body;
}

TEST_F(AuthKeys, TokensOfARetiredKeyInVerifyKeysStillVerify) {
  const fs::path old_key = host.dir() / "old.pem";
  const fs::path new_key = host.dir() / "new.pem";
  ASSERT_EQ(keygen("EdDSA", old_key).exit_code, 0);
  ASSERT_EQ(keygen("EdDSA", new_key).exit_code, 0);
  start_host(key_config("EdDSA", old_key));
  add_user("rotate@example.com");
  const std::string old_token = access_token_of(login_ok("rotate@example.com"));
  const std::string old_kid = string_member(jwt_header(old_token), "kid");

  // The same database, a host signing with the new key and still verifying the old one.
  const std::string shared_db = R"({"database": {"url": ")" + database_url() + R"("}})";
  HostProcess rotated(kHostBinary);
  rotated.write_config(auth_host_config(merge_json(
      merge_json(base_auth_config(database_url()), key_config("EdDSA", new_key, R"([{"file": ")" + old_key.string() + R"("}])")),
      shared_db)));
  ASSERT_TRUE(rotated.start({}, true, 30s)) << rotated.last_error();
  EXPECT_EQ(http.get(rotated.url("/api/auth/me"), bearer(old_token)).status, 200) << "the old key's token";
  const HttpResult fresh = http.post(rotated.url("/api/auth/login"),
                                     R"({"email": "rotate@example.com", "password": ")" + kPassword + R"("})", kJson);
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  const std::string new_kid = string_member(jwt_header(access_token_of(fresh)), "kid");
  EXPECT_NE(new_kid, old_kid);
  const rapidjson::Document jwks = parse_json(http.get(rotated.url("/.well-known/jwks.json")).body);
  std::set<std::string> kids;
  if (jwks.IsObject() && jwks.HasMember("keys") && jwks["keys"].IsArray())
    for (const auto& jwk : jwks["keys"].GetArray()) kids.insert(string_member(jwk, "kid"));
  EXPECT_EQ(kids, (std::set<std::string>{old_kid, new_kid}));

  // Without the old key listed, its tokens are refused.
  HostProcess forgetful(kHostBinary);
  forgetful.write_config(auth_host_config(merge_json(merge_json(base_auth_config(database_url()), key_config("EdDSA", new_key)), shared_db)));
  ASSERT_TRUE(forgetful.start({}, true, 30s)) << forgetful.last_error();
  EXPECT_TRUE(is_json_error(http.get(forgetful.url("/api/auth/me"), bearer(old_token)), 401, "invalid_token"));
}

TEST_F(AuthKeys, Hs256SecretInVerifyKeysKeepsOldTokensValid) {
  start_host();
  add_user("hs-rotate@example.com");
  const std::string old_token = access_token_of(login_ok("hs-rotate@example.com"));
  const std::string old_kid = string_member(jwt_header(old_token), "kid");
  HostProcess rotated(kHostBinary);
  rotated.write_config(auth_host_config(merge_json(base_auth_config(database_url()),
      R"({"tokens": {"secret": "a-brand-new-secret-of-enough-length-0123456789",
                     "verify_keys": [{"kid": ")" + old_kid + R"(", "secret": "${LATCHKEY_IT_JWT_SECRET}"}]}})")));
  ASSERT_TRUE(rotated.start({}, true, 30s)) << rotated.last_error();
  EXPECT_EQ(http.get(rotated.url("/api/auth/me"), bearer(old_token)).status, 200);
}

}  // namespace
}  // namespace latchkey::test::auth
