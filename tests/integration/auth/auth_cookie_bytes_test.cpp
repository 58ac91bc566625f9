// The auth cookies as they are on the wire (raw socket, no HTTP library re-reading them): with
// cookies.secure (the default) a login's and a logout's Set-Cookie lines are exactly the plugin's.
#include "auth_test_support.h"
#include "support/raw_http.h"

namespace latchkey::test::auth {
namespace {

class AuthCookieBytes : public AuthFixture {
 protected:
  uint16_t port() const { return host.port(); }
};

TEST_F(AuthCookieBytes, SecureLoginAndLogoutCookiesAreSentExactlyAsWritten) {
  start_host(R"({"cookies": {"secure": true}})");
  add_user("bytes@example.com");
  const std::string body = R"({"email":"bytes@example.com","password":")" + std::string(kPassword) + R"("})";
  latchkey::test::RawConnection connection(port());
  ASSERT_TRUE(connection.send("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body));
  const auto login = connection.read_response();
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->head << login->body;
  const std::vector<std::string> cookies = login->header_values("Set-Cookie");
  ASSERT_EQ(cookies.size(), 2u) << login->head;
  const std::string access_token = string_member(parse_json(login->body), "accessToken");
  EXPECT_EQ(cookies[0], "accessToken=" + access_token + "; Path=/; Max-Age=900; HttpOnly; Secure; SameSite=Strict");
  EXPECT_EQ(cookies[1].rfind("refreshToken=", 0), 0u) << cookies[1];
  EXPECT_NE(cookies[1].find("; Path=/api/auth; Max-Age=604800; HttpOnly; Secure; SameSite=Strict"), std::string::npos)
      << cookies[1];
  for (const auto& cookie : cookies) {
    EXPECT_EQ(cookie.find("; ;"), std::string::npos) << cookie;
    EXPECT_EQ(cookie.find("Secure="), std::string::npos) << cookie;
  }

  ASSERT_TRUE(connection.send("POST /api/auth/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                              access_token + "\r\nContent-Length: 0\r\n\r\n"));
  const auto logout = connection.read_response();
  ASSERT_TRUE(logout) << "the connection should have stayed open after the login";
  ASSERT_EQ(logout->status, 204) << logout->head;
  EXPECT_EQ(logout->header_values("Set-Cookie"),
            (std::vector<std::string>{"accessToken=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict",
                                      "refreshToken=; Path=/api/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict"}));
}

}  // namespace
}  // namespace latchkey::test::auth
