// TOTP and recovery codes through the real host (CONTRACT §10): enrolment, the mfaRequired login
// and mfa/verify, replay refusal, recovery codes used once, disable, step-up on a `protect` prefix
// with "mfa": true, the throttle of wrong codes, bad input, and the secret encrypted at rest. The
// codes come from an independent TOTP (tests/unit/mfa/reference_totp.h, checked there against RFC
// 6238's vectors). The host's clock cannot be moved: codes use the steps around now, each step
// once, and a call waits when a step boundary is less than two seconds away.
#include "auth_test_support.h"
#include "reference_totp.h"  // tests/unit/mfa

#include "store/database.h"
#include "store/database_url.h"
#include "store/totp_factor_store.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <utility>
#include <vector>


namespace latchkey::test::auth {
namespace {

using test::key_of_base32;
using test::reference_totp;

const std::string kMfaPatch = R"({"mfa": {"encryption_key": "integration mfa key, 32 bytes or more"}})";

int64_t inside_a_step() { return test::unix_now_inside_a_step(); }

struct Enrolled {
  std::vector<uint8_t> key;
  std::vector<std::string> recovery_codes;
  std::string access;  // the session that enrolled (amr ["pwd"])
};

class AuthMfa : public AuthBackendTest {
 protected:
  void SetUp() override {
    AuthBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
  }
  HttpResult post_json(const std::string& path, const std::string& body, const std::string& access = "") {
    return http.post(auth_url(path), body, access.empty() ? kJson : json_with(bearer(access)));
  }
  // Logs in (no second factor yet), sets TOTP up and enables it with the previous step's code.
  Enrolled enroll(const std::string& email) {
    add_user(email);
    Enrolled enrolled;
    enrolled.access = access_token_of(login_ok(email));
    const HttpResult setup = http.post(auth_url("/mfa/totp/setup"), "", bearer(enrolled.access));
    EXPECT_EQ(setup.status, 200) << setup.body;
    const auto body = parse_json(setup.body);
    enrolled.key = key_of_base32(string_member(body, "secret"));
    const std::string code = reference_totp(enrolled.key, inside_a_step() - 30);
    const HttpResult enabled = post_json("/mfa/totp/enable", R"({"code":")" + code + R"(","password":")" + kPassword + "\"}",
                                         enrolled.access);
    EXPECT_EQ(enabled.status, 200) << enabled.body;
    const auto codes = parse_json(enabled.body);
    if (codes.HasMember("recoveryCodes")) {
      for (const auto& one : codes["recoveryCodes"].GetArray()) enrolled.recovery_codes.emplace_back(one.GetString());
    }
    return enrolled;
  }
  // The password step of a login with TOTP on: the mfaToken.
  std::string mfa_token(const std::string& email) {
    const HttpResult first = login(email);
    EXPECT_EQ(first.status, 200) << first.body;
    return string_member(parse_json(first.body), "mfaToken");
  }
  HttpResult verify(const std::string& token, const std::string& field, const std::string& value) {
    return post_json("/mfa/verify", R"({"mfaToken":")" + token + R"(",")" + field + R"(":")" + value + "\"}");
  }
};

TEST_P(AuthMfa, FullLoginNeedsTheCodeAndGivesPwdAndOtp) {
  start_host(kMfaPatch);
  const Enrolled enrolled = enroll("mfa@example.com");
  ASSERT_EQ(enrolled.recovery_codes.size(), 10u);

  const HttpResult first = login("mfa@example.com");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(set_cookies(first).empty()) << "no cookie before the second factor";
  const auto challenge = parse_json(first.body);
  EXPECT_TRUE(challenge["mfaRequired"].GetBool());
  EXPECT_FALSE(challenge.HasMember("accessToken"));
  ASSERT_TRUE(challenge["methods"].IsArray());
  EXPECT_EQ(challenge["methods"].Size(), 2u);
  EXPECT_EQ(std::string(challenge["methods"][0].GetString()), "totp");
  EXPECT_EQ(std::string(challenge["methods"][1].GetString()), "recovery_code");
  const std::string token = string_member(challenge, "mfaToken");
  EXPECT_GE(token.size(), 43u);

  const int64_t now = inside_a_step();
  const std::string code = reference_totp(enrolled.key, now);
  const HttpResult verified = verify(token, "code", code);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_TRUE(set_cookie(verified, "accessToken"));
  EXPECT_TRUE(set_cookie(verified, "refreshToken"));
  const auto body = parse_json(verified.body);
  EXPECT_TRUE(body["user"]["mfa"]["totp"].GetBool());
  EXPECT_EQ(body["user"]["mfa"]["passkeys"].GetInt(), 0);
  const auto claims = jwt_claims(access_token_of(verified));
  ASSERT_TRUE(claims.HasMember("amr"));
  ASSERT_EQ(claims["amr"].Size(), 2u);
  EXPECT_EQ(std::string(claims["amr"][0].GetString()), "pwd");
  EXPECT_EQ(std::string(claims["amr"][1].GetString()), "otp");
  EXPECT_NEAR(static_cast<double>(int_member(claims, "auth_time")), static_cast<double>(now), 3.0);

  const HttpResult me = http.get(auth_url("/me"), bearer(access_token_of(verified)));
  ASSERT_EQ(me.status, 200);
  EXPECT_TRUE(parse_json(me.body)["user"]["mfa"]["totp"].GetBool());
  // A refreshed access token keeps the session's amr.
  const HttpResult refreshed = refresh_with_cookie(set_cookie(verified, "refreshToken")->value);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(jwt_claims(access_token_of(refreshed))["amr"].Size(), 2u);

  // The same code again (a new mfaToken): refused; the used mfaToken: refused.
  EXPECT_TRUE(is_json_error(verify(mfa_token("mfa@example.com"), "code", code), 401, "invalid_code"));
  EXPECT_TRUE(is_json_error(verify(token, "code", reference_totp(enrolled.key, now + 30)), 401, "invalid_mfa_token"));
  EXPECT_TRUE(is_json_error(verify("x" + token.substr(1), "code", reference_totp(enrolled.key, now + 30)), 401,
                            "invalid_mfa_token"));
}

TEST_P(AuthMfa, RecoveryCodesWorkOnceAndDisableNeedsThePassword) {
  start_host(kMfaPatch);
  const Enrolled enrolled = enroll("codes@example.com");
  ASSERT_EQ(enrolled.recovery_codes.size(), 10u);
  const HttpResult used = verify(mfa_token("codes@example.com"), "recoveryCode", enrolled.recovery_codes[0]);
  ASSERT_EQ(used.status, 200) << used.body;
  EXPECT_EQ(jwt_claims(access_token_of(used))["amr"].Size(), 2u);
  EXPECT_TRUE(is_json_error(verify(mfa_token("codes@example.com"), "recoveryCode", enrolled.recovery_codes[0]), 401,
                            "invalid_code"));
  // Upper case and without the hyphen is the same code.
  std::string typed = enrolled.recovery_codes[1];
  typed.erase(5, 1);
  for (char& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(verify(mfa_token("codes@example.com"), "recoveryCode", typed).status, 200);

  const std::string access = access_token_of(used);
  const std::string code_body = R"(","recoveryCode":")" + enrolled.recovery_codes[2] + "\"}";
  EXPECT_TRUE(is_json_error(post_json("/mfa/totp/disable", R"({"password":"wrong password)" + code_body, access), 401,
                            "invalid_credentials"));
  EXPECT_TRUE(is_json_error(post_json("/mfa/totp/disable",
                                      R"({"password":")" + kPassword + R"(","recoveryCode":")" +
                                          enrolled.recovery_codes[0] + "\"}",
                                      access),
                            401, "invalid_code"));
  EXPECT_EQ(login("codes@example.com").status, 200);
  EXPECT_TRUE(parse_json(login("codes@example.com").body).HasMember("mfaRequired")) << "still on";
  const HttpResult disabled = post_json("/mfa/totp/disable", R"({"password":")" + kPassword + code_body, access);
  EXPECT_EQ(disabled.status, 204) << disabled.body;
  const HttpResult plain = login("codes@example.com");
  ASSERT_EQ(plain.status, 200);
  EXPECT_FALSE(parse_json(plain.body).HasMember("mfaRequired"));
  EXPECT_FALSE(parse_json(plain.body)["user"]["mfa"]["totp"].GetBool());
  EXPECT_TRUE(is_json_error(post_json("/mfa/totp/disable", R"({"password":")" + kPassword + code_body, access), 409,
                            "mfa_not_enabled"));
}

TEST_P(AuthMfa, EnableNeedsTheRightCodeAndPasswordAndTheSecretIsNotInClear) {
  start_host(kMfaPatch);
  add_user("enable@example.com");
  const std::string access = access_token_of(login_ok("enable@example.com"));
  EXPECT_TRUE(is_json_error(post_json("/mfa/totp/enable", R"({"code":"123456","password":")" + kPassword + "\"}", access),
                            409, "mfa_not_set_up"));
  const HttpResult setup = http.post(auth_url("/mfa/totp/setup"), "", bearer(access));
  ASSERT_EQ(setup.status, 200) << setup.body;
  EXPECT_EQ(setup.header("Cache-Control"), "no-store");
  const auto body = parse_json(setup.body);
  const std::string secret = string_member(body, "secret");
  EXPECT_EQ(string_member(body, "otpauthUri"),
            "otpauth://totp/Latchkey:enable%40example.com?secret=" + secret + "&issuer=Latchkey");
  EXPECT_EQ(string_member(body, "qrSvg").substr(0, 40), "<svg xmlns=\"http://www.w3.org/2000/svg\" ");
  const auto key = key_of_base32(secret);

  const std::string right = reference_totp(key, inside_a_step());
  const std::string wrong = right == "000000" ? "000001" : "000000";
  EXPECT_TRUE(is_json_error(post_json("/mfa/totp/enable", R"({"code":")" + wrong + R"(","password":")" + kPassword + "\"}", access),
                            400, "invalid_code"));
  EXPECT_TRUE(is_json_error(post_json("/mfa/totp/enable", R"({"code":")" + right + R"(","password":"not it"})", access),
                            401, "invalid_credentials"));
  EXPECT_FALSE(parse_json(login("enable@example.com").body).HasMember("mfaRequired")) << "nothing is on yet";

  // The row: only the AES-GCM ciphertext, neither the base32 secret nor its bytes.
  store::Database db(*store::parse_database_url(database_url(), host.dir().string()).url);
  const std::string user_id = string_member(parse_json(http.get(auth_url("/me"), bearer(access)).body)["user"], "id");
  const auto row = store::TotpFactorStore(db).find(user_id);
  ASSERT_TRUE(row);
  EXPECT_FALSE(row->enabled_at);
  EXPECT_EQ(row->secret_encrypted.substr(0, 3), "v1.");
  EXPECT_EQ(row->secret_encrypted.find(secret), std::string::npos);
  EXPECT_EQ(row->secret_encrypted.find(std::string(key.begin(), key.end())), std::string::npos);

  const HttpResult enabled = post_json("/mfa/totp/enable", R"({"code":")" + right + R"(","password":")" + kPassword + "\"}", access);
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(parse_json(enabled.body)["recoveryCodes"].Size(), 10u);
  EXPECT_TRUE(store::TotpFactorStore(db).find(user_id)->enabled_at);
  EXPECT_TRUE(is_json_error(http.post(auth_url("/mfa/totp/setup"), "", bearer(access)), 409, "mfa_already_enabled"));
  EXPECT_TRUE(is_json_error(http.post(auth_url("/mfa/totp/setup"), ""), 401, "invalid_token"));
}

std::string test_plugin_entry() { return R"({"name": "test", "path": ")" + kTestPlugin + R"(", "config": {}})"; }

TEST_P(AuthMfa, StepUpOpensAProtectedPrefixThatNeedsMfa) {
  start_host(merge_json(kMfaPatch, R"({"protect": [{"prefix": "/test/fast", "roles": [], "mfa": true}]})"),
             {test_plugin_entry()});
  const Enrolled enrolled = enroll("admin@example.com");  // its session signed in with a password only
  EXPECT_TRUE(is_json_error(http.get(url("/test/fast"), bearer(enrolled.access)), 403, "mfa_required"));
  EXPECT_TRUE(is_json_error(http.get(url("/test/fast")), 401, "invalid_token"));

  EXPECT_TRUE(is_json_error(post_json("/mfa/step-up", R"({"recoveryCode":"abcde-fgh23"})", enrolled.access), 400,
                            "invalid_request"));
  const int64_t now = inside_a_step();
  const HttpResult stepped = post_json("/mfa/step-up", R"({"code":")" + reference_totp(enrolled.key, now) + "\"}", enrolled.access);
  ASSERT_EQ(stepped.status, 200) << stepped.body;
  EXPECT_TRUE(set_cookie(stepped, "accessToken"));
  EXPECT_FALSE(set_cookie(stepped, "refreshToken")) << "the session keeps its refresh token";
  const std::string access = access_token_of(stepped);
  const auto before = jwt_claims(enrolled.access), after = jwt_claims(access);
  EXPECT_EQ(string_member(after, "sid"), string_member(before, "sid"));
  ASSERT_EQ(after["amr"].Size(), 2u);
  EXPECT_EQ(std::string(after["amr"][1].GetString()), "otp");
  EXPECT_GE(int_member(after, "auth_time"), int_member(before, "auth_time"));
  const HttpResult allowed = http.get(url("/test/fast"), bearer(access));
  EXPECT_EQ(allowed.status, 200) << allowed.body;
  EXPECT_EQ(http.get(url("/test/fast"), cookie("accessToken", access)).status, 200);
  // The code is spent.
  EXPECT_TRUE(is_json_error(post_json("/mfa/step-up", R"({"code":")" + reference_totp(enrolled.key, now) + "\"}", access),
                            401, "invalid_code"));
}

TEST_P(AuthMfa, WrongCodesAreThrottledPerAccount) {
  start_host(merge_json(kMfaPatch, R"({"login_throttle": {"max_failures_per_account": 3}})"));
  const Enrolled enrolled = enroll("guessed@example.com");
  const std::string token = mfa_token("guessed@example.com");
  const std::string right = reference_totp(enrolled.key, inside_a_step());
  const std::string wrong = right == "111111" ? "222222" : "111111";
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(is_json_error(verify(token, "code", wrong), 401, "invalid_code")) << i;
  const HttpResult limited = verify(token, "code", right);
  EXPECT_TRUE(is_json_error(limited, 429, "rate_limited"));
  EXPECT_GE(std::stoi(limited.header("Retry-After")), 1);
  // Logins are counted apart: the password still works (and asks for the code).
  EXPECT_TRUE(parse_json(login("guessed@example.com").body).HasMember("mfaRequired"));
}

// Single use under concurrency, on each backend: one mfaToken with the right code sent six times at
// once signs in once; one code with two mfaTokens at once (two tabs) signs in once; one recovery code
// with two mfaTokens at once signs in once.
TEST_P(AuthMfa, ConcurrentVerifiesSignInOnce) {
  start_host(merge_json(kMfaPatch, R"({"database": {"pool_size": 8}})"));
  const Enrolled enrolled = enroll("race@example.com");
  auto race = [&](const std::vector<std::pair<std::string, std::string>>& requests) {  // {mfaToken, body tail}
    std::atomic<int> signed_in = 0, refused = 0;
    std::vector<std::thread> threads;
    for (const auto& [token, tail] : requests) {
      threads.emplace_back([&, token = token, tail = tail] {
        HttpClient client;
        const HttpResult answer = client.post(auth_url("/mfa/verify"), R"({"mfaToken":")" + token + tail, kJson);
        signed_in += answer.status == 200;
        refused += answer.status == 401;
      });
    }
    for (std::thread& thread : threads) thread.join();
    return std::pair<int, int>(signed_in, refused);
  };
  const int64_t now = inside_a_step();
  const std::string one_token = mfa_token("race@example.com");
  const std::string code_tail = R"(","code":")" + reference_totp(enrolled.key, now) + "\"}";
  EXPECT_EQ(race(std::vector<std::pair<std::string, std::string>>(6, {one_token, code_tail})), std::make_pair(1, 5));

  const std::string next_tail = R"(","code":")" + reference_totp(enrolled.key, now + 30) + "\"}";
  EXPECT_EQ(race({{mfa_token("race@example.com"), next_tail}, {mfa_token("race@example.com"), next_tail}}),
            std::make_pair(1, 1));

  const std::string recovery_tail = R"(","recoveryCode":")" + enrolled.recovery_codes[0] + "\"}";
  EXPECT_EQ(race({{mfa_token("race@example.com"), recovery_tail}, {mfa_token("race@example.com"), recovery_tail},
                  {mfa_token("race@example.com"), recovery_tail}}),
            std::make_pair(1, 2));

  // Three sign-ins completed, each audited once.
  const ExitResult audit = cli({"audit", "--event", "login.succeeded", "--user", "race@example.com", "--json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_EQ(std::count(audit.out.begin(), audit.out.end(), '\n'), 1 + 3) << audit.out;  // enroll's login too
}

TEST_P(AuthMfa, BadInputIsA400AndChangesNothing) {
  start_host(kMfaPatch);
  const Enrolled enrolled = enroll("strict@example.com");
  const std::string token = mfa_token("strict@example.com");
  const std::vector<std::string> bodies = {
      "{",
      "[]",
      R"({"mfaToken":")" + token + R"("})",
      R"({"mfaToken":")" + token + R"(","code":123456})",
      R"({"mfaToken":")" + token + R"(","code":"12345"})",
      R"({"mfaToken":")" + token + R"(","code":"1234567"})",
      R"({"mfaToken":")" + token + R"(","code":"12a456"})",
      R"({"mfaToken":")" + token + R"(","code":" 123456"})",
      R"({"mfaToken":")" + token + R"(","code":"123456","recoveryCode":"abcde-fgh23"})",
      R"({"mfaToken":")" + token + R"(","recoveryCode":"abc"})",
      R"({"mfaToken":")" + token + R"(","recoveryCode":null})",
      R"({"mfaToken":")" + token + R"(","credential":{"id":"x"}})",
      R"({"mfaToken":42,"code":"123456"})",
      R"({"mfaToken":")" + std::string(5000, 'a') + R"(","code":"123456"})",
      R"({"mfaToken":")" + token + R"(","code":")" + std::string(100000, '1') + R"("})",
      R"({"mfaToken":")" + token + R"(","mfaToken":")" + token + R"(","code":"123456"})",
  };
  for (const std::string& body : bodies) {
    const HttpResult answer = http.post(auth_url("/mfa/verify"), body, kJson);
    EXPECT_TRUE(answer.status == 400 || answer.status == 413) << body.substr(0, 80) << " → " << answer.status;
    if (answer.status == 400) {
      EXPECT_TRUE(is_json_error(answer, 400, "invalid_request")) << body.substr(0, 80);
    }
  }
  EXPECT_TRUE(is_json_error(http.post(auth_url("/mfa/verify"), R"({"mfaToken":"x","code":"123456"})"), 400,
                            "invalid_request"))
      << "no JSON Content-Type";
  for (const std::string& body : {std::string(R"({"code":"12345","password":"x"})"), std::string(R"({"code":"123456"})"),
                                  std::string(R"({"code":"123456","password":7})")}) {
    EXPECT_TRUE(is_json_error(post_json("/mfa/totp/enable", body, enrolled.access), 400, "invalid_request")) << body;
  }
  for (const std::string& body : {std::string(R"({"password":"x"})"), std::string(R"({"code":"abcdef","password":"x"})"),
                                  std::string(R"({"code":"123456"})")}) {
    EXPECT_TRUE(is_json_error(post_json("/mfa/totp/disable", body, enrolled.access), 400, "invalid_request")) << body;
  }
  EXPECT_TRUE(is_json_error(post_json("/mfa/step-up", R"({"code":"1234"})", enrolled.access), 400, "invalid_request"));
  EXPECT_TRUE(is_json_error(post_json("/mfa/step-up", R"({"credential":{}})", enrolled.access), 400, "invalid_request"));
  // Nothing was used up: the mfaToken and the code still sign in.
  const HttpResult verified = verify(token, "code", reference_totp(enrolled.key, inside_a_step()));
  EXPECT_EQ(verified.status, 200) << verified.body;
}

TEST_P(AuthMfa, WithoutAnEncryptionKeySetupSaysSo) {
  start_host();
  add_user("nokey@example.com");
  const HttpResult setup = http.post(auth_url("/mfa/totp/setup"), "", bearer(access_token_of(login_ok("nokey@example.com"))));
  EXPECT_TRUE(is_json_error(setup, 503, "mfa_not_configured"));
}

INSTANTIATE_ON_EACH_BACKEND(AuthMfa);

}  // namespace
}  // namespace latchkey::test::auth
