// POST /api/auth/google through the real host (CONTRACT §3, docs/GOOGLE.md): a local identity
// provider signs ID tokens with an RSA-2048 key; the plugin fetches its JWKS over loopback HTTP
// (or reads it from a file) exactly as it would Google's.
#include "auth_test_support.h"
#include "jwks_server.h"

#include <botan/pkcs8.h>
#include <botan/rsa.h>
#include <botan/system_rng.h>

#include <chrono>
#include <fstream>

#include "jwt/base64url.h"
#include "jwt/jwks.h"
#include "jwt/jws.h"

namespace latchkey::test::auth {
namespace {

using google::JwksServer;

const std::string kClientId = "latchkey-test.apps.googleusercontent.com";

// The identity provider: one RSA key for the whole suite (generation is slow), kid "idp-1".
struct IdentityProvider {
  std::string pem = Botan::PKCS8::PEM_encode(Botan::RSA_PrivateKey(Botan::system_rng(), 2048));
  jwt::Key key = *jwt::Key::from_rsa_private_pem(pem, "idp-1").key;
  std::string jwks = jwt::jwks_json(*jwt::KeySet::verify_only({*jwt::Key::from_rsa_private_pem(pem, "idp-1").key}).key_set);
};

const IdentityProvider& idp() {
  static const IdentityProvider provider;
  return provider;
}

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Claims {
  std::string iss = "https://accounts.google.com";
  std::string aud = kClientId;
  std::string sub = "110169484474386276334";
  std::string email = "ann@example.com";
  std::string email_verified = "true";
  int64_t iat = now_s() - 5;
  int64_t exp = now_s() + 3595;
  std::string nonce;  // omitted when empty

  std::string json() const {
    std::string out = R"({"iss":")" + iss + R"(","azp":")" + kClientId + R"(","aud":")" + aud + R"(","sub":")" + sub +
                      R"(","email":")" + email + R"(","email_verified":)" + email_verified +
                      R"(,"iat":)" + std::to_string(iat) + R"(,"exp":)" + std::to_string(exp);
    if (!nonce.empty()) out += R"(,"nonce":")" + nonce + "\"";
    return out + "}";
  }
};

std::string sign(const Claims& claims, const jwt::Key& key = idp().key) { return jwt::sign_jws(key, claims.json(), "JWT"); }

class GoogleSignIn : public AuthFixture {
 protected:
  void start_with_jwks(const std::string& jwks_location) {
    start_host(R"({"google": {"client_id": ")" + kClientId + R"(", "jwks": ")" + jwks_location + R"("}})");
  }
  HttpResult post_credential(const std::string& credential, const std::string& nonce = "") {
    std::string body = R"({"credential":")" + credential + "\"";
    if (!nonce.empty()) body += R"(,"nonce":")" + nonce + "\"";
    return http.post(auth_url("/google"), body + "}", kJson);
  }
  std::string user_id_of(const HttpResult& result) {
    const auto body = parse_json(result.body);
    return body.HasMember("user") ? string_member(body["user"], "id") : "<none>";
  }
  std::unique_ptr<JwksServer> server = std::make_unique<JwksServer>(idp().jwks);
};

TEST_F(GoogleSignIn, FirstSignInCreatesAConfirmedUserAndTheSameSubjectFindsIt) {
  start_with_jwks(server->url());
  const HttpResult first = post_credential(sign({}));
  ASSERT_EQ(first.status, 200) << first.body;
  const auto body = parse_json(first.body);
  EXPECT_EQ(string_member(body["user"], "email"), "ann@example.com");
  EXPECT_TRUE(body["user"]["emailConfirmed"].GetBool());
  EXPECT_FALSE(access_token_of(first).empty());
  const rapidjson::Document claims = jwt_claims(access_token_of(first));  // RFC 8176: an external IdP
  ASSERT_TRUE(claims.HasMember("amr") && claims["amr"].IsArray() && claims["amr"].Size() == 1u);
  EXPECT_STREQ(claims["amr"][0].GetString(), "ext");
  EXPECT_TRUE(set_cookie(first, "accessToken"));
  EXPECT_TRUE(set_cookie(first, "refreshToken"));

  const HttpResult again = post_credential(sign({}));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(user_id_of(again), user_id_of(first));
  const HttpResult me = http.get(url("/api/auth/me"), bearer(access_token_of(again)));
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(server->requests(), 1);  // cached per max-age

  // The audit log: the account made by the first sign-in, then one google.signed_in per sign-in.
  const ExitResult audit = cli({"audit", "--user", "ann@example.com"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  size_t signed_in = 0;
  for (size_t at = 0; (at = audit.out.find("\tgoogle.signed_in\t", at)) != std::string::npos; ++at) ++signed_in;
  EXPECT_EQ(signed_in, 2u) << audit.out;
  EXPECT_NE(audit.out.find("\tuser.registered\t" + user_id_of(first) + "\t-\t127.0.0.1\t"), std::string::npos)
      << audit.out;
  EXPECT_NE(audit.out.find("{\"method\":\"google\"}"), std::string::npos) << audit.out;
}

TEST_F(GoogleSignIn, TokenSignedByNpmJoseIsAccepted) {
  const std::string js_dir = LATCHKEY_GOOGLE_JS_DIR;
  ASSERT_TRUE(std::filesystem::exists(js_dir + "/node_modules/jose"))
      << "npm `jose` is missing: run `npm ci --prefix tests/integration/google/js` (script/bootstrap does)";
  start_with_jwks(server->url());
  const auto pem_path = host.dir() / "idp.pem";
  std::ofstream(pem_path) << idp().pem;
  Claims claims;
  claims.sub = "jose-subject";
  claims.email = "jose@example.com";
  const ExitResult signed_by_jose =
      run_program(LATCHKEY_NODE, {js_dir + "/sign_id_token.mjs", pem_path.string(), "idp-1", claims.json()}, "",
                  host.dir());
  ASSERT_EQ(signed_by_jose.exit_code, 0) << signed_by_jose.err;
  const HttpResult result = post_credential(signed_by_jose.out);
  EXPECT_EQ(result.status, 200) << result.body;
}

TEST_F(GoogleSignIn, EveryBadTokenIsInvalidCredential) {
  start_with_jwks(server->url());
  ASSERT_EQ(post_credential(sign({})).status, 200);
  Claims wrong_aud, wrong_iss, expired, future;
  wrong_aud.aud = "someone-else.apps.googleusercontent.com";
  wrong_iss.iss = "https://accounts.evil.example";
  expired.iat = now_s() - 7200;
  expired.exp = now_s() - 3600;
  future.iat = now_s() + 3600;
  const std::string other_pem = Botan::PKCS8::PEM_encode(Botan::RSA_PrivateKey(Botan::system_rng(), 2048));
  const jwt::Key other_same_kid = *jwt::Key::from_rsa_private_pem(other_pem, "idp-1").key;
  const jwt::Key other_unknown_kid = *jwt::Key::from_rsa_private_pem(other_pem, "other-1").key;
  const auto n = idp().key.public_jwk()->n;
  const jwt::Key hmac_with_public_key = *jwt::Key::from_hmac_secret(n, "idp-1").key;
  const std::string unsigned_payload = jwt::base64url_encode(Claims{}.json());
  const std::map<std::string, std::string> cases = {
      {"wrong aud", sign(wrong_aud)},
      {"wrong iss", sign(wrong_iss)},
      {"expired", sign(expired)},
      {"issued in the future", sign(future)},
      {"another key, known kid", sign({}, other_same_kid)},
      {"another key, unknown kid", sign({}, other_unknown_kid)},
      {"alg none", jwt::base64url_encode(std::string(R"({"alg":"none","kid":"idp-1"})")) + "." + unsigned_payload + "."},
      {"HS256 with the RSA public key", sign({}, hmac_with_public_key)},
      {"stripped signature", sign({}).substr(0, sign({}).rfind('.') + 1)},
      {"not a JWT", "hello"},
  };
  for (const auto& [what, token] : cases) {
    EXPECT_TRUE(is_json_error(post_credential(token), 401, "invalid_credential")) << what;
  }
  EXPECT_TRUE(is_json_error(http.post(auth_url("/google"), R"({"credential":42})", kJson), 400, "invalid_request"));
}

TEST_F(GoogleSignIn, UnknownKidsCauseOneRefetchNotOnePerRequest) {
  start_with_jwks(server->url());
  ASSERT_EQ(post_credential(sign({})).status, 200);
  ASSERT_EQ(server->requests(), 1);
  const std::string other_pem = Botan::PKCS8::PEM_encode(Botan::RSA_PrivateKey(Botan::system_rng(), 2048));
  for (int i = 0; i < 20; ++i) {
    const jwt::Key made_up = *jwt::Key::from_rsa_private_pem(other_pem, "made-up-" + std::to_string(i)).key;
    EXPECT_TRUE(is_json_error(post_credential(sign({}, made_up)), 401, "invalid_credential"));
  }
  EXPECT_EQ(server->requests(), 2);
  EXPECT_EQ(post_credential(sign({})).status, 200);  // the known key still works
}

TEST_F(GoogleSignIn, JwksServerDownIs503) {
  server->stop();
  start_with_jwks(server->url());
  const HttpResult result = post_credential(sign({}));
  EXPECT_TRUE(is_json_error(result, 503, "service_unavailable")) << result.body;
  EXPECT_TRUE(set_cookies(result).empty());
  // Malformed tokens never reach the JWKS: still 401, not 503.
  EXPECT_TRUE(is_json_error(post_credential("a.b.c"), 401, "invalid_credential"));
}

TEST_F(GoogleSignIn, JwksFromAFileWorks) {
  const auto jwks_path = host.dir() / "google-jwks.json";
  std::filesystem::create_directories(host.dir());
  std::ofstream(jwks_path) << idp().jwks;
  start_with_jwks(jwks_path.string());
  EXPECT_EQ(post_credential(sign({})).status, 200);
}

TEST_F(GoogleSignIn, LinksAPasswordAccountOnlyWhenTheEmailIsVerified) {
  start_with_jwks(server->url());
  add_user("ann@example.com");
  const std::string password_user = user_id_of(login_ok("ann@example.com"));
  Claims unverified;
  unverified.email_verified = "false";
  EXPECT_TRUE(is_json_error(post_credential(sign(unverified)), 401, "invalid_credential"));
  const HttpResult linked = post_credential(sign({}));
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(user_id_of(linked), password_user);
  login_ok("ann@example.com");  // the password still works for a confirmed account
}

TEST_F(GoogleSignIn, UnverifiedEmailCreatesNoAccount) {
  start_with_jwks(server->url());
  Claims unverified;
  unverified.email_verified = "false";
  EXPECT_TRUE(is_json_error(post_credential(sign(unverified)), 401, "invalid_credential"));
}

TEST_F(GoogleSignIn, DisabledAccountIs403) {
  start_with_jwks(server->url());
  ASSERT_EQ(post_credential(sign({})).status, 200);
  ASSERT_EQ(cli({"user", "disable", "ann@example.com"}).exit_code, 0);
  EXPECT_TRUE(is_json_error(post_credential(sign({})), 403, "account_disabled"));
}

TEST_F(GoogleSignIn, NonceMustBeOursMatchAndBeUsedOnce) {
  start_with_jwks(server->url());
  const HttpResult issued = http.get(auth_url("/google/nonce"));
  ASSERT_EQ(issued.status, 200) << issued.body;
  const std::string nonce = string_member(parse_json(issued.body), "nonce");
  ASSERT_GE(nonce.size(), 32u);
  Claims with_nonce;
  with_nonce.nonce = nonce;
  EXPECT_TRUE(is_json_error(post_credential(sign(with_nonce), nonce + "x"), 401, "invalid_credential"));  // mismatch
  Claims made_up;
  made_up.nonce = "0123456789abcdef0123456789abcdef";
  EXPECT_TRUE(is_json_error(post_credential(sign(made_up), made_up.nonce), 401, "invalid_credential"));  // not ours
  EXPECT_EQ(post_credential(sign(with_nonce), nonce).status, 200);
  EXPECT_TRUE(is_json_error(post_credential(sign(with_nonce), nonce), 401, "invalid_credential"));  // reused
}

TEST_F(GoogleSignIn, NoncesAreLimitedPerClientAddress) {
  start_with_jwks(server->url());
  int issued = 0;
  HttpResult last;
  for (int i = 0; i < 70; ++i) {
    last = http.get(auth_url("/google/nonce"));
    if (last.status != 200) break;
    ++issued;
  }
  EXPECT_EQ(issued, 60) << "60 nonces per address per minute";
  EXPECT_TRUE(is_json_error(last, 429, "rate_limited")) << last.status << " " << last.body;
  const std::string retry_after = last.header("Retry-After");
  ASSERT_FALSE(retry_after.empty()) << "no Retry-After";
  EXPECT_GT(std::stoll(retry_after), 0);
  EXPECT_LE(std::stoll(retry_after), 60);
  // Sign-in itself is not held back by the nonce limit.
  EXPECT_EQ(post_credential(sign({})).status, 200);
}

// With login_throttle.scope "database" (the default on servers) the nonce limit counts on every host.
class GoogleSignInTwoHosts : public GoogleSignIn, public ::testing::WithParamInterface<store::Backend> {
 protected:
  Backend backend() const override { return GetParam(); }
};

TEST_P(GoogleSignInTwoHosts, NonceLimitIsSharedByTwoHostsOnOneDatabase) {
  const std::string patch = R"({"google": {"client_id": ")" + kClientId + R"(", "jwks": ")" + server->url() + R"("}})";
  start_host(patch);
  HostProcess other(kHostBinary);
  other.write_config(auth_host_config(merge_json(base_auth_config(database_url()), patch)));
  ASSERT_TRUE(other.start({}, true, std::chrono::seconds(30))) << other.last_error();
  int issued = 0;
  HttpResult last;
  for (int i = 0; i < 70; ++i) {
    last = http.get((i % 2 ? other : host).url("/api/auth/google/nonce"));
    if (last.status != 200) break;
    ++issued;
  }
  EXPECT_EQ(issued, 60) << "60 nonces per address per minute on both hosts together";
  EXPECT_TRUE(is_json_error(last, 429, "rate_limited")) << last.status << " " << last.body;
  EXPECT_TRUE(is_json_error(http.get(host.url("/api/auth/google/nonce")), 429, "rate_limited"));
}

INSTANTIATE_TEST_SUITE_P(Servers, GoogleSignInTwoHosts,
                         ::testing::Values(store::Backend::postgresql, store::Backend::mysql),
                         store::testing::backend_param_name);

}  // namespace
}  // namespace latchkey::test::auth
