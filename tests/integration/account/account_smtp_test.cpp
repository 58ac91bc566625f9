// Mail through a real SMTP server (Debian's aiosmtpd on a free loopback port): the confirmation
// and reset mails arrive with working links, and a server that is down delays mail, not answers.
#include "account_test_support.h"
#include "smtp_server.h"

#include <chrono>
#include <thread>

namespace latchkey::test::account {
namespace {

using latchkey::mail::testing::SmtpServer;

class AccountSmtp : public AuthBackendTest {
 protected:
  std::string smtp_patch(const SmtpServer& server) {
    return R"({"email": {"transport": "smtp", "smtp_url": ")" + server.url() +
           R"(", "smtp_timeout_seconds": 2, "from": "Latchkey <no-reply@example.com>"}})";
  }
  HttpResult post(const std::string& path, const std::string& json) { return http.post(auth_url(path), json, kJson); }
};

TEST_P(AccountSmtp, ConfirmationAndResetMailsArriveWithWorkingLinks) {
  SmtpServer server;
  std::string why;
  ASSERT_TRUE(server.start(host.dir() / "smtp", &why)) << why;
  start_host(smtp_patch(server));

  ASSERT_EQ(post("/register", R"({"email":"smtp@example.com","password":")" + kPassword + R"("})").status, 202);
  auto raw = server.wait_for_messages(1, std::chrono::seconds(20));
  ASSERT_EQ(raw.size(), 1u);
  const ReceivedMail confirm = parse_mail(raw[0]);
  EXPECT_NE(confirm.to.find("smtp@example.com"), std::string::npos);
  ASSERT_EQ(http.get(auth_url("/confirm?token=" + token_in(confirm.text))).status, 200) << confirm.text;
  EXPECT_EQ(login("smtp@example.com").status, 200);

  ASSERT_EQ(post("/password/forgot", R"({"email":"smtp@example.com"})").status, 202);
  raw = server.wait_for_messages(2, std::chrono::seconds(20));
  ASSERT_EQ(raw.size(), 2u);
  const std::string reset_token = token_in(parse_mail(raw[1]).text);
  const HttpResult reset = post("/password/reset", R"({"token":")" + reset_token + R"(","password":"a new smtp password"})");
  EXPECT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(login("smtp@example.com", "a new smtp password").status, 200);
}

TEST_P(AccountSmtp, ServerDownDuringRegistrationDelaysTheMailButNotTheAnswer) {
  SmtpServer server;  // a free port, nothing listening yet
  start_host(smtp_patch(server));

  const auto started = std::chrono::steady_clock::now();
  const HttpResult registered = post("/register", R"({"email":"later@example.com","password":")" + kPassword + R"("})");
  const auto answered_in = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(registered.status, 202) << registered.body;
  // The answer did not wait for the SMTP attempt (whose timeout is 2 s).
  EXPECT_LT(answered_in, std::chrono::milliseconds(1500));

  // The operator sees it waiting, with the failure.
  bool seen_failed = false;
  for (int i = 0; i < 100 && !seen_failed; ++i) {
    const ExitResult pending = cli({"mail", "pending"});
    ASSERT_EQ(pending.exit_code, 0) << pending.err;
    seen_failed = pending.out.find("later@example.com") != std::string::npos &&
                  pending.out.find("\t1\t") != std::string::npos;  // one failed attempt
    if (!seen_failed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(seen_failed);

  std::string why;
  ASSERT_TRUE(server.start(host.dir() / "smtp", &why)) << why;
  // The first retry comes 5 s after the failure (SenderOptions::first_retry).
  const auto raw = server.wait_for_messages(1, std::chrono::seconds(30));
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(http.get(auth_url("/confirm?token=" + token_in(parse_mail(raw[0]).text))).status, 200);
  const ExitResult after = cli({"mail", "pending"});
  EXPECT_EQ(after.out.find("later@example.com"), std::string::npos) << after.out;
}

INSTANTIATE_ON_EACH_BACKEND(AccountSmtp);

}  // namespace
}  // namespace latchkey::test::account
