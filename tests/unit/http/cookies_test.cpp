// set_cookie / clear_cookie: the exact Set-Cookie values (CONTRACT §3 "Cookies", §6: a cleared
// cookie carries the Path and Domain it was set with).
#include "http/cookies.h"

#include <gtest/gtest.h>

namespace latchkey::http {
namespace {

config::CookiesConfig defaults() { return config::CookiesConfig{}; }

TEST(Cookies, DefaultCookieIsHttpOnlyStrictAndSecure) {
  EXPECT_EQ(set_cookie(defaults(), "accessToken", "abc.def.ghi", "/", 900),
            "accessToken=abc.def.ghi; Path=/; Max-Age=900; HttpOnly; Secure; SameSite=Strict");
}

TEST(Cookies, SecureIsLeftOutWhenNotConfigured) {
  auto c = defaults();
  c.secure = false;
  EXPECT_EQ(set_cookie(c, "refreshToken", "r", "/api/auth", 604800),
            "refreshToken=r; Path=/api/auth; Max-Age=604800; HttpOnly; SameSite=Strict");
}

TEST(Cookies, DomainIsAddedWhenConfigured) {
  auto c = defaults();
  c.domain = "example.com";
  EXPECT_EQ(set_cookie(c, "accessToken", "t", "/", 60),
            "accessToken=t; Path=/; Domain=example.com; Max-Age=60; HttpOnly; Secure; SameSite=Strict");
}

TEST(Cookies, SameSiteIsTheConfiguredValue) {
  for (const char* same_site : {"Strict", "Lax", "None"}) {
    auto c = defaults();
    c.same_site = same_site;
    EXPECT_EQ(set_cookie(c, "a", "v", "/", 1),
              std::string("a=v; Path=/; Max-Age=1; HttpOnly; Secure; SameSite=") + same_site);
  }
}

TEST(Cookies, ClearedCookieIsEmptyWithMaxAgeZero) {
  EXPECT_EQ(clear_cookie(defaults(), "refreshToken", "/api/auth"),
            "refreshToken=; Path=/api/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
}

TEST(Cookies, ClearedCookieHasTheSamePathAndDomainAsTheSetOne) {
  auto c = defaults();
  c.domain = "auth.example.com";
  c.same_site = "Lax";
  const std::string set = set_cookie(c, "refreshToken", "secret-value", "/api/auth", 604800);
  const std::string cleared = clear_cookie(c, "refreshToken", "/api/auth");
  EXPECT_EQ(cleared, "refreshToken=; Path=/api/auth; Domain=auth.example.com; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
  // Everything but the value and Max-Age is identical.
  EXPECT_EQ(set.substr(set.find("; Path=")), std::string("; Path=/api/auth; Domain=auth.example.com; Max-Age=604800; HttpOnly; Secure; SameSite=Lax"));
  EXPECT_EQ(cleared.find("secret-value"), std::string::npos);
}

}  // namespace
}  // namespace latchkey::http
