// The whole journey of CONTRACT §3 through the real host: login → me (Bearer, cookie, alias) →
// refresh rotates → logout clears both cookies and denies the old tokens. On each backend.
#include "auth_test_support.h"

#include <regex>
#include <set>

namespace latchkey::test::auth {
namespace {

class AuthJourney : public AuthBackendTest {};

std::set<std::string> member_names(const rapidjson::Value& object) {
  std::set<std::string> names;
  if (object.IsObject())
    for (const auto& member : object.GetObject()) names.insert(member.name.GetString());
  return names;
}

constexpr int64_t kAccessTtl = 600;
constexpr int64_t kRefreshTtl = 86400;

TEST_P(AuthJourney, LoginMeRefreshLogoutFollowTheContract) {
  start_host(R"({"tokens": {"access_ttl_seconds": 600, "refresh_ttl_seconds": 86400, "revocation_cache_ms": 300},
                 "cookies": {"secure": true}})");
  add_user("Journey@Example.com");

  // Login: the token body, exactly.
  const HttpResult login_result = login_ok("journey@example.com");
  const rapidjson::Document body = parse_json(login_result.body);
  ASSERT_TRUE(body.IsObject()) << login_result.body;
  EXPECT_EQ(member_names(body), (std::set<std::string>{"user", "accessToken", "expiresIn", "refreshTokenExpiresIn"}));
  const rapidjson::Value& user = body["user"];
  EXPECT_EQ(member_names(user), (std::set<std::string>{"id", "email", "emailConfirmed", "roles", "active", "createdAt", "mfa"}));
  // CONTRACT §10: which second factors are on.
  ASSERT_TRUE(user["mfa"].IsObject());
  EXPECT_EQ(member_names(user["mfa"]), (std::set<std::string>{"totp", "passkeys"}));
  EXPECT_FALSE(user["mfa"]["totp"].GetBool());
  EXPECT_EQ(user["mfa"]["passkeys"].GetInt(), 0);
  ASSERT_TRUE(user["id"].IsString());
  const std::string user_id = user["id"].GetString();
  EXPECT_FALSE(user_id.empty());
  EXPECT_EQ(string_member(user, "email"), "journey@example.com");
  EXPECT_TRUE(user["emailConfirmed"].IsBool() && user["emailConfirmed"].GetBool());
  EXPECT_TRUE(user["active"].IsBool() && user["active"].GetBool());
  ASSERT_TRUE(user["roles"].IsArray());
  ASSERT_EQ(user["roles"].Size(), 1u);
  EXPECT_STREQ(user["roles"][0].GetString(), "user");
  EXPECT_TRUE(std::regex_match(string_member(user, "createdAt"), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << string_member(user, "createdAt");
  const int64_t expires_in = int_member(body, "expiresIn");
  EXPECT_LE(expires_in, kAccessTtl * 1000);
  EXPECT_GE(expires_in, kAccessTtl * 1000 - 5000);
  const int64_t refresh_expires_in = int_member(body, "refreshTokenExpiresIn");
  EXPECT_LE(refresh_expires_in, kRefreshTtl * 1000);
  EXPECT_GE(refresh_expires_in, kRefreshTtl * 1000 - 5000);

  // The access token: typ at+jwt with a kid, exp - iat == ttl, sub == user.id.
  const std::string access = access_token_of(login_result);
  const rapidjson::Document header = jwt_header(access);
  EXPECT_EQ(string_member(header, "alg"), "HS256");
  EXPECT_EQ(string_member(header, "typ"), "at+jwt");
  EXPECT_NE(string_member(header, "kid"), "<absent>");
  const rapidjson::Document claims = jwt_claims(access);
  EXPECT_EQ(int_member(claims, "exp") - int_member(claims, "iat"), kAccessTtl);
  EXPECT_EQ(string_member(claims, "sub"), user_id);
  EXPECT_EQ(string_member(claims, "iss"), "latchkey");
  EXPECT_EQ(string_member(claims, "email"), "journey@example.com");
  const std::string sid = string_member(claims, "sid");
  EXPECT_NE(sid, "<absent>");
  EXPECT_NE(string_member(claims, "jti"), "<absent>");

  // Both cookies with their attributes.
  const auto access_cookie = set_cookie(login_result, "accessToken");
  const auto refresh_cookie = set_cookie(login_result, "refreshToken");
  ASSERT_TRUE(access_cookie && refresh_cookie) << "Set-Cookie missing";
  EXPECT_EQ(access_cookie->value, access);
  EXPECT_EQ(access_cookie->attribute("Path"), "/");
  EXPECT_EQ(refresh_cookie->attribute("Path"), "/api/auth");
  for (const SetCookie& c : {*access_cookie, *refresh_cookie}) {
    EXPECT_TRUE(c.has("httponly")) << c.name;
    EXPECT_TRUE(c.has("secure")) << c.name;
    EXPECT_EQ(c.attribute("SameSite"), "Strict") << c.name;
  }
  EXPECT_NEAR(std::stoll(access_cookie->attribute("Max-Age")), kAccessTtl, 5);
  EXPECT_NEAR(std::stoll(refresh_cookie->attribute("Max-Age")), kRefreshTtl, 5);
  const std::string refresh0 = refresh_cookie->value;
  EXPECT_FALSE(refresh0.empty());
  EXPECT_EQ(refresh0.find('.'), std::string::npos) << "the refresh token is opaque, not a JWT";

  // me: Bearer, cookie, alias.
  const HttpResult me_bearer = http.get(auth_url("/me"), bearer(access));
  ASSERT_EQ(me_bearer.status, 200) << me_bearer.body;
  EXPECT_EQ(string_member(parse_json(me_bearer.body)["user"], "id"), user_id);
  const HttpResult me_cookie = http.get(auth_url("/me"), cookie("accessToken", access));
  ASSERT_EQ(me_cookie.status, 200) << me_cookie.body;
  EXPECT_EQ(string_member(parse_json(me_cookie.body)["user"], "email"), "journey@example.com");
  const HttpResult me_alias = http.get(url("/api/me"), bearer(access));
  ASSERT_EQ(me_alias.status, 200) << me_alias.body;
  EXPECT_EQ(string_member(parse_json(me_alias.body)["user"], "id"), user_id);

  // Refresh with the cookie: a new refresh token, a new access token in the same session.
  const HttpResult refreshed = refresh_with_cookie(refresh0);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_FALSE(parse_json(refreshed.body).HasMember("refreshToken"));
  const auto rotated_cookie = set_cookie(refreshed, "refreshToken");
  ASSERT_TRUE(rotated_cookie) << "no new refresh cookie";
  const std::string refresh1 = rotated_cookie->value;
  EXPECT_NE(refresh1, refresh0);
  const std::string access1 = access_token_of(refreshed);
  EXPECT_NE(access1, access);
  EXPECT_EQ(string_member(jwt_claims(access1), "sid"), sid);
  EXPECT_EQ(http.get(auth_url("/me"), bearer(access1)).status, 200);

  // The rotated token within the grace window: an access token for the same session, no new
  // refresh cookie (the winner's stands). After the window it fails: see AuthRefreshReuse.
  const HttpResult again = refresh_with_cookie(refresh0);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(set_cookie(again, "refreshToken").has_value());
  EXPECT_EQ(string_member(jwt_claims(access_token_of(again)), "sid"), sid);

  // Logout: 204, both cookies cleared with their own Path, the tokens refused afterwards.
  Headers logout_headers = bearer(access1);
  logout_headers.emplace_back("Cookie", "refreshToken=" + refresh1);
  const HttpResult logout = http.post(auth_url("/logout"), "", logout_headers);
  ASSERT_EQ(logout.status, 204) << logout.body;
  ASSERT_TRUE(clears_cookie(logout, "accessToken"));
  ASSERT_TRUE(clears_cookie(logout, "refreshToken"));
  EXPECT_EQ(set_cookie(logout, "accessToken")->attribute("Path"), "/");
  EXPECT_EQ(set_cookie(logout, "refreshToken")->attribute("Path"), "/api/auth");
  EXPECT_TRUE(set_cookie(logout, "refreshToken")->has("httponly"));

  long last_status = 0;
  EXPECT_TRUE(wait_until([&] { return (last_status = http.get(auth_url("/me"), bearer(access1)).status) == 401; }, 1500ms))
      << "the logged-out access token still answers " << last_status;
  EXPECT_EQ(http.get(auth_url("/me"), bearer(access)).status, 401) << "the session's older access token";
  EXPECT_TRUE(is_json_error(refresh_with_cookie(refresh1), 401, "invalid_refresh_token"));
}

TEST_P(AuthJourney, RefreshTokenInBodyRefreshesThroughBearer) {
  start_host(R"({"tokens": {"refresh_in_body": true}})");
  add_user("bearer@example.com");
  const HttpResult login_result = login_ok("bearer@example.com");
  const rapidjson::Document body = parse_json(login_result.body);
  const std::string refresh0 = string_member(body, "refreshToken");
  ASSERT_NE(refresh0, "<absent>") << login_result.body;
  EXPECT_EQ(set_cookie(login_result, "refreshToken")->value, refresh0);
  EXPECT_FALSE(set_cookie(login_result, "refreshToken")->has("secure")) << "cookies.secure is false here";

  const HttpResult refreshed = http.post(auth_url("/refresh"), "", bearer(refresh0));
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const std::string refresh1 = string_member(parse_json(refreshed.body), "refreshToken");
  ASSERT_NE(refresh1, "<absent>");
  EXPECT_NE(refresh1, refresh0);
  const std::string access1 = access_token_of(refreshed);
  EXPECT_EQ(http.get(auth_url("/me"), bearer(access1)).status, 200);

  // Logout by the refresh token alone ends the session too.
  const HttpResult logout = http.post(auth_url("/logout"), "", bearer(refresh1));
  EXPECT_EQ(logout.status, 204) << logout.body;
  EXPECT_TRUE(is_json_error(http.post(auth_url("/refresh"), "", bearer(refresh1)), 401, "invalid_refresh_token"));
  EXPECT_TRUE(wait_until([&] { return http.get(auth_url("/me"), bearer(access1)).status == 401; }, 1500ms));
}

TEST_P(AuthJourney, LogoutWithoutAnyTokenIsStill204) {
  start_host();
  const HttpResult logout = http.post(auth_url("/logout"), "");
  EXPECT_EQ(logout.status, 204) << logout.body;
  EXPECT_TRUE(clears_cookie(logout, "accessToken"));
}

INSTANTIATE_ON_EACH_BACKEND(AuthJourney);

}  // namespace
}  // namespace latchkey::test::auth
