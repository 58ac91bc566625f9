// `protect` prefixes with roles (CONTRACT §3–4): a public route of another plugin becomes
// protected; a token without the role gets 403 insufficient_role; a fresh login after
// `user role EMAIL add admin` gets through.
#include "auth_test_support.h"

namespace latchkey::test::auth {
namespace {

class AuthRoles : public AuthFixture {};

std::string test_plugin_entry() {
  return R"({"name": "test", "path": ")" + kTestPlugin + R"(", "config": {}})";
}

TEST_F(AuthRoles, ProtectPrefixNeedsTheRoleAndAFreshLoginAfterGrantingIt) {
  start_host(R"({"protect": [{"prefix": "/test/fast", "roles": ["admin"]}]})", {test_plugin_entry()});
  add_user("plain@example.com");
  // Still public next to it: /test/sleep is not under the prefix.
  EXPECT_EQ(http.get(url("/test/sleep?ms=0")).status, 200);

  const HttpResult anonymous = http.get(url("/test/fast"));
  EXPECT_TRUE(is_json_error(anonymous, 401, "invalid_token"));
  EXPECT_EQ(anonymous.header("WWW-Authenticate"), "Bearer");

  const std::string plain_token = access_token_of(login_ok("plain@example.com"));
  EXPECT_TRUE(is_json_error(http.get(url("/test/fast"), bearer(plain_token)), 403, "insufficient_role"));

  const ExitResult granted = cli({"user", "role", "plain@example.com", "add", "admin"});
  ASSERT_EQ(granted.exit_code, 0) << granted.err;
  // Roles travel in the token: the old one still lacks the role.
  EXPECT_TRUE(is_json_error(http.get(url("/test/fast"), bearer(plain_token)), 403, "insufficient_role"));
  const std::string admin_token = access_token_of(login_ok("plain@example.com"));
  const HttpResult allowed = http.get(url("/test/fast"), bearer(admin_token));
  EXPECT_EQ(allowed.status, 200) << allowed.body;
  EXPECT_EQ(allowed.body, R"({"ok":true})");
  EXPECT_EQ(http.get(url("/test/fast"), cookie("accessToken", admin_token)).status, 200);
}

TEST_F(AuthRoles, ProtectPrefixWithoutRolesNeedsAnyValidToken) {
  start_host(R"({"protect": [{"prefix": "/test", "roles": []}]})", {test_plugin_entry()});
  add_user("any@example.com");
  EXPECT_TRUE(is_json_error(http.get(url("/test/fast")), 401, "invalid_token"));
  EXPECT_TRUE(is_json_error(http.get(url("/test/fast"), bearer("not.a.token")), 401, "invalid_token"));
  EXPECT_TRUE(is_json_error(http.get(url("/test/items/7")), 401, "invalid_token")) << "the prefix covers paths below it";
  EXPECT_EQ(http.get(url("/test/fast"), bearer(access_token_of(login_ok("any@example.com")))).status, 200);
  EXPECT_EQ(http.get(url("/testing-other")).status, 404) << "a prefix matches whole path segments only";
}

}  // namespace
}  // namespace latchkey::test::auth
