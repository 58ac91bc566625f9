// CSRF (CONTRACT §3, §6): cookie-authenticated unsafe requests with a foreign Origin are refused;
// no Origin, the host's own origin and csrf.allowed_origins pass; Bearer requests are not checked.
#include "auth_test_support.h"

namespace latchkey::test::auth {
namespace {

class AuthCsrf : public AuthFixture {
 protected:
  void SetUp() override {
    AuthFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    start_host(R"({"csrf": {"allowed_origins": ["https://app.example"]}})");
    add_user("csrf@example.com");
    const HttpResult session = login_ok("csrf@example.com");
    access = access_token_of(session);
    refresh = set_cookie(session, "refreshToken")->value;
  }
  // Refresh with the cookie (and the Origin, when given); keeps the rotated token.
  HttpResult refresh_from(const std::string& origin) {
    Headers headers;
    if (!origin.empty()) headers.emplace_back("Origin", origin);
    HttpResult result = refresh_with_cookie(refresh, headers);
    if (const auto rotated = set_cookie(result, "refreshToken"); rotated && !rotated->value.empty()) refresh = rotated->value;
    return result;
  }
  Headers both_cookies(const std::string& origin) {
    return {{"Cookie", "accessToken=" + access + "; refreshToken=" + refresh}, {"Origin", origin}};
  }

  std::string access;
  std::string refresh;
  const std::string evil = "https://evil.example";
};

TEST_F(AuthCsrf, ForeignOriginIsRefusedOnCookieAuthenticatedPosts) {
  EXPECT_TRUE(is_json_error(refresh_from(evil), 403, "origin_not_allowed"));
  EXPECT_TRUE(is_json_error(http.post(auth_url("/logout-all"), "", both_cookies(evil)), 403, "origin_not_allowed"));
  const HttpResult logout = http.post(auth_url("/logout"), "", both_cookies(evil));
  EXPECT_TRUE(is_json_error(logout, 403, "origin_not_allowed"));
  EXPECT_FALSE(clears_cookie(logout, "accessToken"));
  // Nothing happened: the session is alive.
  EXPECT_EQ(http.get(auth_url("/me"), bearer(access)).status, 200);
  EXPECT_EQ(refresh_from("").status, 200);
  // A look-alike of an allowed origin is foreign too.
  EXPECT_TRUE(is_json_error(refresh_from("https://app.example.evil.example"), 403, "origin_not_allowed"));
  EXPECT_TRUE(is_json_error(refresh_from("null"), 403, "origin_not_allowed"));
}

TEST_F(AuthCsrf, NoOriginOwnOriginAndAllowedOriginsPass) {
  EXPECT_EQ(refresh_from("").status, 200);
  EXPECT_EQ(refresh_from(host.base_url()).status, 200) << "the host's own origin " << host.base_url();
  EXPECT_EQ(refresh_from("https://app.example").status, 200);
  const HttpResult logout_all = http.post(auth_url("/logout-all"), "", both_cookies("https://app.example"));
  EXPECT_EQ(logout_all.status, 204) << logout_all.body;
}

TEST_F(AuthCsrf, BearerRequestsAreNotOriginChecked) {
  const HttpResult logout_all =
      http.post(auth_url("/logout-all"), "", {{"Authorization", "Bearer " + access}, {"Origin", evil}});
  EXPECT_EQ(logout_all.status, 204) << logout_all.body;
}

TEST_F(AuthCsrf, BearerRefreshTokenIsNotOriginChecked) {
  const HttpResult refreshed = http.post(auth_url("/refresh"), "", {{"Authorization", "Bearer " + refresh}, {"Origin", evil}});
  EXPECT_EQ(refreshed.status, 200) << refreshed.body;
}

}  // namespace
}  // namespace latchkey::test::auth
