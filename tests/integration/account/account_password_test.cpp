// Password reset and change, and the one-time tokens behind them: single use, expiring, bound to
// their purpose, and revoking sessions as CONTRACT §3 says.
#include "account_test_support.h"

#include <thread>

namespace latchkey::test::account {
namespace {

class AccountPassword : public AuthBackendTest {
 protected:
  std::filesystem::path mail_dir() const { return host.dir() / "mail"; }
  void start() { start_host(file_mail_patch(mail_dir())); }
  HttpResult post(const std::string& path, const std::string& json, Headers headers = kJson) {
    return http.post(auth_url(path), json, headers);
  }
  // forgot → the reset token from the newest mail.
  std::string reset_token_for(const std::string& email, size_t mails_before) {
    const HttpResult forgot = post("/password/forgot", R"({"email":")" + email + R"("})");
    EXPECT_EQ(forgot.status, 202) << forgot.body;
    const auto mails = wait_for_mails(mail_dir(), mails_before + 1);
    EXPECT_EQ(mails.size(), mails_before + 1);
    return mails.empty() ? "" : token_in(mails.back().text);
  }
  HttpResult reset(const std::string& token, const std::string& password) {
    return post("/password/reset", R"({"token":")" + token + R"(","password":")" + password + R"("})");
  }
  std::string refresh_token_of(const HttpResult& login) {
    const auto cookie = set_cookie(login, "refreshToken");
    return cookie ? cookie->value : "";
  }
};

TEST_P(AccountPassword, ForgotAnswersAlikeAndResetEndsEverySession) {
  start();
  add_user("user@example.com");
  const HttpResult session = login_ok("user@example.com");
  const HttpResult unknown = post("/password/forgot", R"({"email":"nobody@example.com"})");
  const std::string token = reset_token_for("user@example.com", 0);
  EXPECT_EQ(unknown.status, 202);
  EXPECT_EQ(unknown.body, R"({"status":"accepted"})");
  ASSERT_FALSE(token.empty());

  // A weak password does not use the token up.
  EXPECT_TRUE(is_json_error(reset(token, "short"), 400, "weak_password"));
  const HttpResult done = reset(token, "the new password");
  ASSERT_EQ(done.status, 200) << done.body;

  EXPECT_TRUE(is_json_error(reset(token, "another new password"), 400, "invalid_token"));  // single use
  EXPECT_TRUE(is_json_error(login("user@example.com"), 401, "invalid_credentials"));
  EXPECT_EQ(login("user@example.com", "the new password").status, 200);
  // The session from before the reset is over: its refresh token and, by sid, its access token.
  EXPECT_TRUE(is_json_error(refresh_with_cookie(refresh_token_of(session)), 401, "invalid_refresh_token"));
  const std::string old_access = access_token_of(session);
  bool refused = false;
  for (int i = 0; i < 40 && !refused; ++i) {  // within the revocation cache TTL of the base config
    refused = http.get(auth_url("/me"), bearer(old_access)).status == 401;
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(refused);
}

TEST_P(AccountPassword, ExpiredUnknownAndCrossPurposeTokensAreInvalid) {
  start();
  add_user("user@example.com", kPassword, {});  // unconfirmed: the resend mail has a confirm token
  ASSERT_EQ(post("/confirm/resend", R"({"email":"user@example.com"})").status, 202);
  const auto mails = wait_for_mails(mail_dir(), 1);
  ASSERT_EQ(mails.size(), 1u);
  const std::string confirm_token = token_in(mails[0].text);
  const std::string reset_token = reset_token_for("user@example.com", 1);
  ASSERT_FALSE(confirm_token.empty());
  ASSERT_FALSE(reset_token.empty());

  // Each is refused for the other purpose, and stays usable for its own.
  EXPECT_TRUE(is_json_error(reset(confirm_token, "a fine new password"), 400, "invalid_token"));
  EXPECT_TRUE(is_json_error(http.get(auth_url("/confirm?token=" + reset_token)), 400, "invalid_token"));
  EXPECT_TRUE(is_json_error(post("/confirm", R"({"token":")" + reset_token + R"("})"), 400, "invalid_token"));
  // Unknown and malformed tokens.
  EXPECT_TRUE(is_json_error(http.get(auth_url("/confirm?token=AAAA")), 400, "invalid_token"));
  EXPECT_TRUE(is_json_error(http.get(auth_url("/confirm")), 400, "invalid_token"));
  EXPECT_TRUE(is_json_error(http.get(auth_url("/confirm?token=" + std::string(5000, 'x'))), 400, "invalid_token"));
  EXPECT_TRUE(is_json_error(reset("' OR 1=1 --", "a fine new password"), 400, "invalid_token"));

  // Expired: moved into the past in the database rather than waiting a day.
  execute_sql(database_url(), "UPDATE one_time_tokens SET expires_at = 1");
  EXPECT_TRUE(is_json_error(http.get(auth_url("/confirm?token=" + confirm_token)), 400, "invalid_token"));
  EXPECT_TRUE(is_json_error(reset(reset_token, "a fine new password"), 400, "invalid_token"));
}

TEST_P(AccountPassword, ChangeChecksTheCurrentPasswordAndEndsOtherSessions) {
  start();
  add_user("user@example.com");
  const HttpResult other = login_ok("user@example.com");
  const HttpResult current = login_ok("user@example.com");
  const Headers auth = json_with(bearer(access_token_of(current)));
  auto change = [&](const std::string& from, const std::string& to) {
    return post("/password/change", R"({"current_password":")" + from + R"(","new_password":")" + to + R"("})", auth);
  };

  EXPECT_TRUE(is_json_error(post("/password/change", R"({"current_password":"x","new_password":"y"})"), 401,
                            "invalid_token"));  // protected
  EXPECT_TRUE(is_json_error(change("not my password", "a fine new password"), 401, "invalid_credentials"));
  EXPECT_TRUE(is_json_error(change(kPassword, "short"), 400, "weak_password"));
  const HttpResult changed = change(kPassword, "a fine new password");
  ASSERT_EQ(changed.status, 200) << changed.body;

  EXPECT_EQ(login("user@example.com", "a fine new password").status, 200);
  EXPECT_TRUE(is_json_error(refresh_with_cookie(refresh_token_of(other)), 401, "invalid_refresh_token"));
  // The session that changed it goes on.
  EXPECT_EQ(refresh_with_cookie(refresh_token_of(current)).status, 200);
}

TEST_P(AccountPassword, WrongCurrentPasswordsCountAsFailedLogins) {
  start_host(R"({"login_throttle": {"max_failures_per_account": 3, "window_seconds": 600}})");
  add_user("user@example.com");
  const Headers auth = json_with(bearer(access_token_of(login_ok("user@example.com"))));
  auto change = [&](const std::string& from) {
    return post("/password/change", R"({"current_password":")" + from + R"(","new_password":"a fine new password"})", auth);
  };

  // Two guesses through password/change and one through login: one shared limit of 3.
  EXPECT_TRUE(is_json_error(change("guess 1"), 401, "invalid_credentials"));
  EXPECT_TRUE(is_json_error(change("guess 2"), 401, "invalid_credentials"));
  EXPECT_TRUE(is_json_error(login("user@example.com", "guess 3"), 401, "invalid_credentials"));

  const HttpResult limited = change(kPassword);
  EXPECT_TRUE(is_json_error(limited, 429, "rate_limited")) << "even the right password waits";
  const std::string retry_after = limited.header("Retry-After");
  ASSERT_FALSE(retry_after.empty()) << "no Retry-After";
  EXPECT_GT(std::stoll(retry_after), 0);
  EXPECT_LE(std::stoll(retry_after), 600);
  EXPECT_TRUE(is_json_error(login("user@example.com"), 429, "rate_limited"));
  add_user("other@example.com");
  EXPECT_EQ(login("other@example.com").status, 200) << "another account is not limited";
}

INSTANTIATE_ON_EACH_BACKEND(AccountPassword);

}  // namespace
}  // namespace latchkey::test::account
