// Revocation reaches valid access tokens within the revocation cache TTL (CONTRACT §6): a disabled
// user, `sessions revoke`, logout-all.
#include "auth_test_support.h"

namespace latchkey::test::auth {
namespace {

class AuthRevocation : public ShortRevocationTtlTest {};

TEST_P(AuthRevocation, DisabledUsersValidTokenIsRefusedWithinCacheTtl) {
  add_user("soon-disabled@example.com");
  const HttpResult session = login_ok("soon-disabled@example.com");
  const std::string access = access_token_of(session);
  ASSERT_EQ(http.get(auth_url("/me"), bearer(access)).status, 200);  // now cached as allowed

  const auto before = std::chrono::steady_clock::now();
  const ExitResult disabled = cli({"user", "disable", "soon-disabled@example.com"});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  const auto cli_time = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - before);
  const auto refused_after = time_until_refused(access);
  ASSERT_TRUE(refused_after) << "a disabled user's token is still accepted after 5 s";
  EXPECT_LE(*refused_after, kCacheTtl + kMargin) << "(the CLI itself took " << cli_time.count() << " ms)";
  EXPECT_TRUE(is_json_error(refresh_with_cookie(set_cookie(session, "refreshToken")->value), 401, "invalid_refresh_token"));
}

TEST_P(AuthRevocation, SessionsRevokeRefusesAccessAndRefreshTokens) {
  add_user("revoked@example.com");
  const HttpResult first = login_ok("revoked@example.com");
  const HttpResult second = login_ok("revoked@example.com");
  for (const HttpResult* s : {&first, &second}) ASSERT_EQ(http.get(auth_url("/me"), bearer(access_token_of(*s))).status, 200);

  const ExitResult revoked = cli({"sessions", "revoke", "revoked@example.com"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  for (const HttpResult* s : {&first, &second}) {
    const auto refused_after = time_until_refused(access_token_of(*s));
    ASSERT_TRUE(refused_after) << "a revoked session's access token is still accepted after 5 s";
    EXPECT_LE(*refused_after, kCacheTtl + kMargin);
    EXPECT_TRUE(is_json_error(refresh_with_cookie(set_cookie(*s, "refreshToken")->value), 401, "invalid_refresh_token"));
  }
  // A new login still works: the account is not disabled.
  EXPECT_EQ(login("revoked@example.com").status, 200);
}

TEST_P(AuthRevocation, LogoutAllRevokesEverySessionOfTheUser) {
  add_user("everywhere@example.com");
  add_user("other@example.com");
  const HttpResult laptop = login_ok("everywhere@example.com");
  const HttpResult phone = login_ok("everywhere@example.com");
  const HttpResult other = login_ok("other@example.com");
  ASSERT_EQ(http.get(auth_url("/me"), bearer(access_token_of(phone))).status, 200);

  const HttpResult logout_all = http.post(auth_url("/logout-all"), "", bearer(access_token_of(laptop)));
  ASSERT_EQ(logout_all.status, 204) << logout_all.body;
  EXPECT_TRUE(clears_cookie(logout_all, "accessToken"));
  EXPECT_TRUE(clears_cookie(logout_all, "refreshToken"));
  for (const HttpResult* s : {&laptop, &phone}) {
    EXPECT_TRUE(is_json_error(refresh_with_cookie(set_cookie(*s, "refreshToken")->value), 401, "invalid_refresh_token"));
    const auto refused_after = time_until_refused(access_token_of(*s));
    ASSERT_TRUE(refused_after);
    EXPECT_LE(*refused_after, kCacheTtl + kMargin);
  }
  // Another user's session is untouched.
  EXPECT_EQ(http.get(auth_url("/me"), bearer(access_token_of(other))).status, 200);
  EXPECT_EQ(refresh_with_cookie(set_cookie(other, "refreshToken")->value).status, 200);
  // logout-all needs an access token.
  EXPECT_TRUE(is_json_error(http.post(auth_url("/logout-all"), ""), 401, "invalid_token"));
}

INSTANTIATE_ON_EACH_BACKEND(AuthRevocation);

}  // namespace
}  // namespace latchkey::test::auth
