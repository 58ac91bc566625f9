// Registration → confirmation mail → confirm → login, on each backend, and the answers that must
// not reveal whether an address has an account.
#include "account_test_support.h"

namespace latchkey::test::account {
namespace {

class AccountJourney : public AuthBackendTest {
 protected:
  std::filesystem::path mail_dir() const { return host.dir() / "mail"; }
  void start(const std::string& extra_email = "") { start_host(file_mail_patch(mail_dir(), extra_email)); }

  HttpResult post(const std::string& path, const std::string& json, Headers headers = kJson) {
    return http.post(auth_url(path), json, headers);
  }
  HttpResult register_account(const std::string& email, const std::string& password = kPassword) {
    return post("/register", R"({"email":")" + email + R"(","password":")" + password + R"("})");
  }
};

TEST_P(AccountJourney, RegisterConfirmThenLogin) {
  start();
  const HttpResult registered = register_account("New.User@Example.com");
  ASSERT_EQ(registered.status, 202) << registered.body;
  EXPECT_EQ(registered.body, R"({"status":"confirmation_sent"})");

  const auto mails = wait_for_mails(mail_dir(), 1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].to.find("new.user@example.com"), std::string::npos) << mails[0].to;
  const std::string token = token_in(mails[0].text);
  ASSERT_GE(token.size(), 43u) << mails[0].text;  // 256 bits in base64url

  // Not confirmed yet: the right password says so, a wrong one says nothing.
  EXPECT_TRUE(is_json_error(login("new.user@example.com"), 403, "email_not_confirmed"));
  EXPECT_TRUE(is_json_error(login("new.user@example.com", "wrong password!"), 401, "invalid_credentials"));

  const HttpResult confirmed = http.get(auth_url("/confirm?token=" + token));
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.body, R"({"status":"confirmed"})");

  const HttpResult logged_in = login("new.user@example.com");
  ASSERT_EQ(logged_in.status, 200) << logged_in.body;
  EXPECT_TRUE(parse_json(logged_in.body)["user"]["emailConfirmed"].GetBool());

  // The link works once.
  EXPECT_TRUE(is_json_error(http.get(auth_url("/confirm?token=" + token)), 400, "invalid_token"));
}

TEST_P(AccountJourney, RegisteringAnExistingAddressAnswersTheSameAndMailsAResetLink) {
  start();
  add_user("taken@example.com");
  const HttpResult fresh = register_account("someone-new@example.com");
  const HttpResult taken = register_account("TAKEN@example.com");
  EXPECT_EQ(taken.status, fresh.status);
  EXPECT_EQ(taken.body, fresh.body);
  EXPECT_EQ(taken.header("Content-Type"), fresh.header("Content-Type"));
  EXPECT_EQ(set_cookies(taken).size(), set_cookies(fresh).size());

  const auto mails = wait_for_mails(mail_dir(), 2);
  ASSERT_EQ(mails.size(), 2u);
  const ReceivedMail& to_taken = mails[0].to.find("taken@") != std::string::npos ? mails[0] : mails[1];
  EXPECT_NE(to_taken.text.find("already"), std::string::npos) << to_taken.text;
  // Its link is a reset link: it resets the password, it does not confirm anything.
  const std::string token = token_in(to_taken.text);
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(is_json_error(http.get(auth_url("/confirm?token=" + token)), 400, "invalid_token"));
  const HttpResult reset =
      post("/password/reset", R"({"token":")" + token + R"(","password":"a brand new password"})");
  EXPECT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(login("taken@example.com", "a brand new password").status, 200);
  // The existing password was never changed by the registration attempt itself.
}

TEST_P(AccountJourney, ConfirmByPostAndRedirectingLink) {
  start(R"("confirm_redirect": "http://127.0.0.1/welcome.html")");
  ASSERT_EQ(register_account("a@example.com").status, 202);
  ASSERT_EQ(register_account("b@example.com").status, 202);
  const auto mails = wait_for_mails(mail_dir(), 2);
  ASSERT_EQ(mails.size(), 2u);

  const HttpResult by_link = http.get(auth_url("/confirm?token=" + token_in(mails[0].text)));
  EXPECT_EQ(by_link.status, 303);
  EXPECT_EQ(by_link.header("Location"), "http://127.0.0.1/welcome.html");

  const HttpResult by_post = post("/confirm", R"({"token":")" + token_in(mails[1].text) + R"("})");
  EXPECT_EQ(by_post.status, 200) << by_post.body;
  EXPECT_EQ(login(mails[0].to.find("a@") != std::string::npos ? "a@example.com" : "b@example.com").status, 200);
}

TEST_P(AccountJourney, RegistrationRefusesBadInputWithoutAnAccount) {
  start();
  EXPECT_TRUE(is_json_error(register_account("not-an-address"), 400, "invalid_request"));
  EXPECT_TRUE(is_json_error(register_account("short@example.com", "short"), 400, "weak_password"));
  EXPECT_TRUE(is_json_error(register_account("long@example.com", std::string(300, 'x')), 400, "weak_password"));
  EXPECT_TRUE(is_json_error(post("/register", R"({"email":"x@example.com"})"), 400, "invalid_request"));
  EXPECT_TRUE(is_json_error(post("/register", R"({"email":1,"password":2})"), 400, "invalid_request"));
  EXPECT_TRUE(is_json_error(post("/register", "not json"), 400, "invalid_request"));
  EXPECT_TRUE(is_json_error(post("/register", R"({"email":"a@b.cd","password":"x","password":"y"})"), 400,
                            "invalid_request"));
  // None of them sent mail.
  EXPECT_TRUE(wait_for_mails(mail_dir(), 1, std::chrono::milliseconds(500)).empty());
}

TEST_P(AccountJourney, ResendAnswersAlikeForEveryAddressAndIsRateLimited) {
  start(R"("resend_interval_seconds": 60)");
  ASSERT_EQ(register_account("pending@example.com").status, 202);
  add_user("done@example.com");
  for (const std::string email : {"pending@example.com", "done@example.com", "nobody@example.com"}) {
    const HttpResult first = post("/confirm/resend", R"({"email":")" + email + R"("})");
    EXPECT_EQ(first.status, 202) << email << " " << first.body;
    EXPECT_EQ(first.body, R"({"status":"accepted"})");
    const HttpResult again = post("/confirm/resend", R"({"email":")" + email + R"("})");
    EXPECT_TRUE(is_json_error(again, 429, "rate_limited")) << email;
    EXPECT_FALSE(again.header("Retry-After").empty());
  }
  // The registration mail and one resend, both to the unconfirmed address: nothing to the others.
  const auto mails = wait_for_mails(mail_dir(), 2);
  ASSERT_EQ(mails.size(), 2u);
  for (const ReceivedMail& mail : mails) EXPECT_NE(mail.to.find("pending@"), std::string::npos) << mail.to;
  // The newest link confirms.
  EXPECT_EQ(http.get(auth_url("/confirm?token=" + token_in(mails[1].text))).status, 200);
}

INSTANTIATE_ON_EACH_BACKEND(AccountJourney);

}  // namespace
}  // namespace latchkey::test::account
