// Hostile bodies and tokens (SECURITY.md): each is refused with a clear 4xx JSON answer, never a
// 500, and the host stays up. Tokens are crafted with our own JWS module and the test secret.
#include "auth_test_support.h"

#include "jwt/access_token.h"
#include "jwt/base64url.h"
#include "jwt/jws.h"
#include "jwt/key.h"
#include "jwt/key_set.h"

namespace latchkey::test::auth {
namespace {

class AuthHostile : public AuthFixture {
 protected:
  void expect_host_up() {
    const HttpResult jwks = http.get(url("/.well-known/jwks.json"));
    EXPECT_EQ(jwks.status, 200) << "the host stopped answering: " << jwks.error;
  }
};

jwt::Key key_from(const std::string& secret, const std::string& kid = {}) {
  jwt::KeyResult key = jwt::Key::from_hmac_secret(secret, kid);
  if (!key.key) throw std::runtime_error(key.error);
  return std::move(*key.key);
}

// An access token signed with `secret` (the host's by default) at `now` with the given claims.
std::string craft(const std::string& issuer = "latchkey", const std::string& audience = "latchkey",
                  std::chrono::sys_seconds now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()),
                  const std::string& secret = kSecret, const std::string& kid = {}) {
  auto set = jwt::KeySet::create(key_from(secret, kid));
  return jwt::sign_access_token(*set.key_set, {"1", "forged@example.com", {"admin"}, "no-such-session"},
                                {issuer, audience, std::chrono::seconds(900)}, now)
      .token;
}

std::string segment(const std::string& json) { return jwt::base64url_encode(std::string_view(json)); }

TEST_F(AuthHostile, MalformedBodiesAnswer400InvalidRequest) {
  start_host();
  add_user("body@example.com");
  const std::string login = auth_url("/login");
  const std::vector<std::string> bodies = {
      "{",
      "not json",
      "",
      "[]",
      R"("a string")",
      "42",
      "null",
      R"({"email": "body@example.com", "password": "x", "password": "correct horse battery"})",
      R"({"email": 7, "password": "correct horse battery"})",
      R"({"email": "body@example.com", "password": ["correct horse battery"]})",
      R"({"email": null, "password": {"a": 1}})",
      R"({"email": "body@example.com", "password": "correct horse battery")",
      R"({"email":"body@example.com","password":"correct horse battery"} trailing)",
      std::string(R"({"email": "body@example.com", "password": "a)") + "\xff\xfe" + R"("})",
      std::string(200, '[') + std::string(200, ']'),
      R"({"email": {"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}, "password": "x"})",
  };
  for (const std::string& body : bodies) {
    const HttpResult result = http.post(login, body, kJson);
    EXPECT_TRUE(is_json_error(result, 400, "invalid_request")) << "body: " << body;
    EXPECT_TRUE(set_cookies(result).empty()) << "body: " << body;
  }
  expect_host_up();
}

TEST_F(AuthHostile, MissingFieldsAreNamedInFields) {
  start_host();
  const HttpResult result = http.post(auth_url("/login"), "{}", kJson);
  ASSERT_TRUE(is_json_error(result, 400, "invalid_request"));
  const rapidjson::Document json = parse_json(result.body);
  ASSERT_TRUE(json.HasMember("fields") && json["fields"].IsObject()) << result.body;
  EXPECT_TRUE(json["fields"].HasMember("email")) << result.body;
  EXPECT_TRUE(json["fields"].HasMember("password")) << result.body;

  const HttpResult only_email = http.post(auth_url("/login"), R"({"email": "a@b.c"})", kJson);
  ASSERT_TRUE(is_json_error(only_email, 400, "invalid_request"));
  const rapidjson::Document fields = parse_json(only_email.body);
  ASSERT_TRUE(fields.HasMember("fields")) << only_email.body;
  EXPECT_TRUE(fields["fields"].HasMember("password"));
  EXPECT_FALSE(fields["fields"].HasMember("email"));
}

TEST_F(AuthHostile, WrongContentTypeIsRefused) {
  start_host();
  add_user("type@example.com");
  const std::string body = R"({"email": "type@example.com", "password": "correct horse battery"})";
  for (const std::string type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""}) {
    Headers headers;
    if (!type.empty()) headers.emplace_back("Content-Type", type);
    EXPECT_TRUE(is_json_error(http.post(auth_url("/login"), body, headers), 400, "invalid_request")) << type;
  }
  EXPECT_EQ(http.post(auth_url("/login"), body, kJson).status, 200) << "the same body as JSON logs in";
  expect_host_up();
}

TEST_F(AuthHostile, BodyOverMaxBodyBytesIs413) {
  start_host("{}", {}, R"("threads": 2, "max_body_bytes": 4096)");
  const std::string body = R"({"email": "a@b.c", "password": ")" + std::string(8192, 'x') + R"("})";
  const HttpResult result = http.post(auth_url("/login"), body, kJson);
  EXPECT_EQ(result.status, 413) << result.body << " " << result.error;
  expect_host_up();
}

TEST_F(AuthHostile, MegabytePasswordIsRefusedFastWithoutHashing) {
  // Slow Argon2 here, so that hashing a password would show in the time.
  start_host(R"({"password": {"argon2_memory_kib": 65536, "argon2_iterations": 3}})", {},
             R"("threads": 2, "max_body_bytes": 4194304)");
  add_user("huge@example.com");
  const auto timed = [&](const std::string& password) {
    const auto start = std::chrono::steady_clock::now();
    HttpResult result = login("huge@example.com", password);
    return std::make_pair(result, std::chrono::steady_clock::now() - start);
  };
  const auto [wrong, hash_time] = timed("a wrong but ordinary password");
  ASSERT_TRUE(is_json_error(wrong, 401, "invalid_credentials"));
  const auto [huge, huge_time] = timed(std::string(1 << 20, 'p'));
  EXPECT_GE(huge.status, 400);
  EXPECT_LT(huge.status, 500) << huge.body;
  EXPECT_EQ(parse_json(huge.body).IsObject(), true) << huge.body;
  EXPECT_LT(huge_time, hash_time / 2) << "a 1 MB password took "
                                      << std::chrono::duration_cast<std::chrono::milliseconds>(huge_time).count()
                                      << " ms, one hash takes "
                                      << std::chrono::duration_cast<std::chrono::milliseconds>(hash_time).count() << " ms";
  expect_host_up();
}

TEST_F(AuthHostile, NoTokenAnswers401WithPlainBearerChallenge) {
  start_host();
  const HttpResult result = http.get(auth_url("/me"));
  EXPECT_TRUE(is_json_error(result, 401, "invalid_token"));
  EXPECT_EQ(result.header("WWW-Authenticate"), "Bearer");
}

TEST_F(AuthHostile, ForgedAndBrokenTokensAnswer401InvalidToken) {
  start_host();
  add_user("victim@example.com");
  const std::string genuine = access_token_of(login_ok("victim@example.com"));
  ASSERT_EQ(http.get(auth_url("/me"), bearer(genuine)).status, 200);
  const std::string kid = string_member(jwt_header(genuine), "kid");
  const std::string payload = genuine.substr(genuine.find('.') + 1, genuine.rfind('.') - genuine.find('.') - 1);
  const std::string signature = genuine.substr(genuine.rfind('.') + 1);

  std::vector<std::pair<std::string, std::string>> tokens;  // what, token
  for (const std::string alg : {"none", "None", "NONE", "nOnE"}) {
    const std::string header = segment(R"({"alg":")" + alg + R"(","typ":"at+jwt","kid":")" + kid + R"("})");
    tokens.emplace_back("alg " + alg + " unsigned", header + "." + payload + ".");
    tokens.emplace_back("alg " + alg + " with a signature", header + "." + payload + "." + signature);
  }
  tokens.emplace_back("HS256 with another secret, our kid",
                      craft("latchkey", "latchkey", std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()),
                            "another-secret-that-is-long-enough-0123456789", kid));
  tokens.emplace_back("stripped signature", genuine.substr(0, genuine.rfind('.') + 1));
  std::string flipped = genuine;
  flipped[genuine.rfind('.') + 5] = flipped[genuine.rfind('.') + 5] == 'A' ? 'B' : 'A';
  tokens.emplace_back("bit-flipped signature", flipped);
  tokens.emplace_back("truncated signature", genuine.substr(0, genuine.size() - 4));
  tokens.emplace_back("padded signature", genuine + "=");
  for (const std::string bad_kid : {"../../etc/passwd", "' OR '1'='1", "x; rm -rf /", ""}) {
    auto key = key_from(kSecret, bad_kid.empty() ? "k" : bad_kid);
    const std::string header = segment(R"({"alg":"HS256","typ":"at+jwt","kid":")" + bad_kid + R"("})");
    const std::string input = header + "." + payload;
    const auto mac = key.sign(input);
    tokens.emplace_back("kid " + bad_kid, input + "." + jwt::base64url_encode(std::span<const uint8_t>(mac)));
  }
  {
    const auto key = key_from(kSecret);
    const auto payload_bytes = jwt::base64url_decode(payload);
    ASSERT_TRUE(payload_bytes);
    const std::string payload_json(payload_bytes->begin(), payload_bytes->end());
    tokens.emplace_back("typ JWT instead of at+jwt", jwt::sign_jws(key, payload_json, "JWT"));
    tokens.emplace_back("no typ", jwt::sign_jws(key, payload_json));
    tokens.emplace_back("jku header", [&] {
      const std::string header = segment(R"({"alg":"HS256","typ":"at+jwt","kid":")" + kid +
                                         R"(","jku":"http://127.0.0.1:1/keys"})");
      const auto mac = key.sign(header + "." + payload);
      return header + "." + payload + "." + jwt::base64url_encode(std::span<const uint8_t>(mac));
    }());
  }
  tokens.emplace_back("wrong issuer", craft("someone-else"));
  tokens.emplace_back("wrong audience", craft("latchkey", "another-api"));
  tokens.emplace_back("five segments (JWE)", genuine + ".a.b");
  tokens.emplace_back("garbage", "garbage");
  tokens.emplace_back("whitespace inside", genuine.substr(0, 10) + " " + genuine.substr(10));

  for (const auto& [what, token] : tokens) {
    for (const Headers& headers : {bearer(token), cookie("accessToken", token)}) {
      const HttpResult result = http.get(auth_url("/me"), headers);
      EXPECT_TRUE(is_json_error(result, 401, "invalid_token")) << what << " (" << headers[0].first << ")";
      EXPECT_EQ(result.header("WWW-Authenticate"), "Bearer error=\"invalid_token\"") << what;
    }
  }
  expect_host_up();
  EXPECT_EQ(http.get(auth_url("/me"), bearer(genuine)).status, 200);
}

TEST_F(AuthHostile, ExpiredTokenAnswersTokenExpired) {
  start_host();
  const auto two_hours_ago =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) - std::chrono::hours(2);
  const HttpResult result = http.get(auth_url("/me"), bearer(craft("latchkey", "latchkey", two_hours_ago)));
  EXPECT_TRUE(is_json_error(result, 401, "token_expired"));
  EXPECT_EQ(result.header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
}

TEST_F(AuthHostile, MalformedAuthorizationHeadersAndCookiesAnswer4xx) {
  start_host();
  const std::vector<Headers> requests = {
      {{"Authorization", "Bearer"}},
      {{"Authorization", "Bearer "}},
      {{"Authorization", "Basic dXNlcjpwYXNz"}},
      {{"Authorization", "bearer abc.def.ghi"}},
      {{"Authorization", "Bearer " + std::string(100 * 1024, 'A')}},
      {{"Cookie", "accessToken=garbage"}},
      {{"Cookie", "accessToken=%%%; other=x"}},
      {{"Cookie", "accessToken=" + std::string(8000, '.')}},
      // Not here: a cookie pair without '=' (e.g. "a=1; b"). Pistache 0.0.5 refuses it inside its
      // own parser with a plain-text 500 before the host sees the request (docs/HOST.md).
  };
  for (const Headers& headers : requests) {
    const HttpResult result = http.get(auth_url("/me"), headers);
    EXPECT_GE(result.status, 400) << headers[0].first << ": " << headers[0].second.substr(0, 40) << " " << result.error;
    EXPECT_LT(result.status, 500) << headers[0].first << ": " << headers[0].second.substr(0, 40) << " " << result.body;
    if (result.status == 401) {
      EXPECT_TRUE(is_json_error(result, 401, "invalid_token")) << headers[0].second.substr(0, 40);
    }
  }
  // Garbage refresh cookies: 401 invalid_refresh_token, cookies cleared.
  for (const std::string& value : std::vector<std::string>{"garbage", "", "a.b.c", std::string(5000, 'r')}) {
    const HttpResult result = refresh_with_cookie(value);
    EXPECT_TRUE(is_json_error(result, 401, "invalid_refresh_token")) << value.substr(0, 20);
  }
  expect_host_up();
}

TEST_F(AuthHostile, UnauthorizedStatusIsConfigurable) {
  start_host(R"({"routes": {"unauthorized_status": 419}})");
  EXPECT_TRUE(is_json_error(http.get(auth_url("/me")), 419, "invalid_token"));
  EXPECT_TRUE(is_json_error(http.get(auth_url("/me"), bearer("garbage")), 419, "invalid_token"));
}

}  // namespace
}  // namespace latchkey::test::auth
