// Login answers (CONTRACT §3, SECURITY "no account enumeration", throttling).
#include "auth_test_support.h"

#include <chrono>
#include <thread>

namespace latchkey::test::auth {
namespace {

class AuthLogin : public AuthBackendTest {};

TEST_P(AuthLogin, WrongPasswordAndUnknownEmailAnswerAlike) {
  start_host();
  add_user("known@example.com");
  const HttpResult wrong = login("known@example.com", "not the password");
  const HttpResult unknown = login("nobody@example.com", "not the password");
  EXPECT_TRUE(is_json_error(wrong, 401, "invalid_credentials"));
  EXPECT_EQ(wrong.status, unknown.status);
  EXPECT_EQ(wrong.body, unknown.body);
  auto without_date = [](std::multimap<std::string, std::string> headers) {
    headers.erase("date");
    return headers;
  };
  EXPECT_EQ(without_date(wrong.headers), without_date(unknown.headers));
  EXPECT_TRUE(set_cookies(wrong).empty());
}

TEST_P(AuthLogin, UnconfirmedUserHears403OnlyWithTheRightPassword) {
  start_host();
  add_user("unconfirmed@example.com", kPassword, {});
  EXPECT_TRUE(is_json_error(login("unconfirmed@example.com", kPassword), 403, "email_not_confirmed"));
  EXPECT_TRUE(is_json_error(login("unconfirmed@example.com", "wrong password"), 401, "invalid_credentials"));
}

TEST_P(AuthLogin, DisabledUserHears403OnlyWithTheRightPassword) {
  start_host();
  add_user("disabled@example.com");
  const ExitResult disabled = cli({"user", "disable", "disabled@example.com"});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  EXPECT_TRUE(is_json_error(login("disabled@example.com", "wrong password"), 401, "invalid_credentials"));
  const HttpResult right = login("disabled@example.com", kPassword);
  EXPECT_TRUE(is_json_error(right, 403, "account_disabled"));
  EXPECT_TRUE(set_cookies(right).empty());

  ASSERT_EQ(cli({"user", "enable", "disabled@example.com"}).exit_code, 0);
  EXPECT_EQ(login("disabled@example.com", kPassword).status, 200);
}

// CONTRACT §10: access tokens say how and when the session authenticated; a refresh keeps both.
TEST_P(AuthLogin, AccessTokensCarryAmrAndAuthTimeThroughRefreshes) {
  start_host();
  add_user("amr@example.com");
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch()).count();
  const HttpResult signed_in = login("amr@example.com");
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const rapidjson::Document first = jwt_claims(access_token_of(signed_in));
  ASSERT_TRUE(first.HasMember("amr") && first["amr"].IsArray());
  ASSERT_EQ(first["amr"].Size(), 1u);
  EXPECT_STREQ(first["amr"][0].GetString(), "pwd");
  ASSERT_TRUE(first.HasMember("auth_time") && first["auth_time"].IsInt64());
  const int64_t auth_time = first["auth_time"].GetInt64();
  EXPECT_GE(auth_time, before);
  EXPECT_LE(auth_time, first["iat"].GetInt64());

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // so that a new iat would differ
  const HttpResult refreshed = refresh_with_cookie(set_cookie(signed_in, "refreshToken")->value);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const rapidjson::Document second = jwt_claims(access_token_of(refreshed));
  ASSERT_TRUE(second.HasMember("amr") && second["amr"].IsArray() && second["amr"].Size() == 1u);
  EXPECT_STREQ(second["amr"][0].GetString(), "pwd");
  EXPECT_EQ(second["auth_time"].GetInt64(), auth_time);
  EXPECT_GT(second["iat"].GetInt64(), auth_time);
}

INSTANTIATE_ON_EACH_BACKEND(AuthLogin);

class AuthLoginThrottle : public AuthFixture {};

TEST_F(AuthLoginThrottle, FailuresBeyondTheLimitAnswer429EvenForTheRightPassword) {
  start_host(R"({"login_throttle": {"max_failures_per_account": 3, "window_seconds": 600}})");
  add_user("target@example.com");
  add_user("bystander@example.com");
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(is_json_error(login("target@example.com", "guess " + std::to_string(i)), 401, "invalid_credentials"));

  const HttpResult limited = login("target@example.com", "guess 4");
  EXPECT_TRUE(is_json_error(limited, 429, "rate_limited"));
  const std::string retry_after = limited.header("Retry-After");
  ASSERT_FALSE(retry_after.empty()) << "no Retry-After";
  EXPECT_GT(std::stoll(retry_after), 0);
  EXPECT_LE(std::stoll(retry_after), 600);

  EXPECT_TRUE(is_json_error(login("target@example.com", kPassword), 429, "rate_limited"))
      << "the right password is refused as well while limited";
  // Per account: another account is not limited.
  EXPECT_EQ(login("bystander@example.com").status, 200);
  // Case variants of the email are the same account.
  EXPECT_TRUE(is_json_error(login("TARGET@example.com", kPassword), 429, "rate_limited"));
}

}  // namespace
}  // namespace latchkey::test::auth
