// The application's own routes next to Latchkey's (CONTRACT §8): protect() lets a caller through
// only with a valid token (and the role), answers its refusals exactly as the `latchkey` server
// answers them for a plugin route, and checks the Origin of cookie-authenticated requests;
// authenticate() tells a public route who calls.
#include "embed_test_support.h"

namespace latchkey::test::embed {
namespace {

class EmbeddedRoutes : public EmbeddedApp {};

std::string test_plugin_entry() { return R"({"name": "test", "path": ")" + kTestPlugin + R"(", "config": {}})"; }

std::string subject_of(const std::string& token) { return string_member(jwt_claims(token), "sub"); }

TEST_F(EmbeddedRoutes, PublicRouteIsTheApplicationsOwn) {
  start_app();
  const HttpResult status = http.get(url("/status"));
  EXPECT_EQ(status.status, 200);
  EXPECT_EQ(status.body, R"({"status":"ok"})");
}

TEST_F(EmbeddedRoutes, ProtectedRouteAnswersOnlyACallerWithAValidToken) {
  start_app();
  add_user("buyer@example.com");

  const HttpResult anonymous = http.get(url("/orders"));
  EXPECT_TRUE(is_json_error(anonymous, 401, "invalid_token"));
  EXPECT_EQ(anonymous.header("WWW-Authenticate"), "Bearer");

  const HttpResult forged = http.get(url("/orders"), bearer("not.a.token"));
  EXPECT_TRUE(is_json_error(forged, 401, "invalid_token"));
  EXPECT_EQ(forged.header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");

  const std::string token = login_token("buyer@example.com");
  const HttpResult orders = http.get(url("/orders"), bearer(token));
  ASSERT_EQ(orders.status, 200) << orders.body;
  const rapidjson::Document body = parse_json(orders.body);
  EXPECT_EQ(string_member(body, "subject"), subject_of(token));
  EXPECT_NE(subject_of(token), "<absent>");
  EXPECT_EQ(http.get(url("/orders"), cookie("accessToken", token)).status, 200) << "the access cookie works too";
}

TEST_F(EmbeddedRoutes, AdminRouteNeedsTheRole) {
  start_app();
  add_user("plain@example.com");
  add_user("boss@example.com", "admin");

  EXPECT_TRUE(is_json_error(http.post(url("/admin/purge"), "", bearer(login_token("plain@example.com"))), 403,
                            "insufficient_role"));
  const std::string admin_token = login_token("boss@example.com");
  const HttpResult purged = http.post(url("/admin/purge"), "", bearer(admin_token));
  ASSERT_EQ(purged.status, 200) << purged.body;
  EXPECT_EQ(purged.body, R"({"purged":true,"by":")" + subject_of(admin_token) + R"("})");
}

TEST_F(EmbeddedRoutes, RefusalsAreTheServersOwnForAPluginRoute) {
  // The application and the `latchkey` server on one config (one database): a token from one
  // works on the other, and each refusal must be the same answer, header for header.
  start_app("{}", {test_plugin_entry()});
  start_server();
  add_user("plain@example.com");
  const std::string token = login_token("plain@example.com");

  struct Case {
    const char* what;
    HttpResult embedded;
    HttpResult server;
  };
  std::vector<Case> cases;
  cases.push_back({"no token", http.get(url("/orders")), http.get(server.url("/test/protected"))});
  cases.push_back({"bad token", http.get(url("/orders"), bearer("not.a.token")),
                   http.get(server.url("/test/protected"), bearer("not.a.token"))});
  cases.push_back({"no role", http.post(url("/admin/purge"), "", bearer(token)),
                   http.get(server.url("/test/admin"), bearer(token))});
  // The plugin route mounted in the application answers alike too.
  cases.push_back({"mounted plugin route, no role", http.get(url("/test/admin"), bearer(token)),
                   http.get(server.url("/test/admin"), bearer(token))});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_GE(c.server.status, 401);
    EXPECT_EQ(c.embedded.status, c.server.status);
    EXPECT_EQ(c.embedded.body, c.server.body);
    EXPECT_EQ(answer_headers(c.embedded), answer_headers(c.server));
  }
}

TEST_F(EmbeddedRoutes, CookieFromAnotherOriginIsRefused) {
  start_app();
  add_user("boss@example.com", "admin");
  const std::string token = login_token("boss@example.com");
  Headers evil = cookie("accessToken", token);
  evil.emplace_back("Origin", "http://evil.example");
  EXPECT_TRUE(is_json_error(http.post(url("/admin/purge"), "", evil), 403, "origin_not_allowed"));

  Headers own = cookie("accessToken", token);
  own.emplace_back("Origin", app.base_url());  // the application's own origin (its Host)
  EXPECT_EQ(http.post(url("/admin/purge"), "", own).status, 200);

  // The own origin is written as a browser writes Origin: the host lower-cased, port 80 dropped.
  Headers named = cookie("accessToken", token);
  named.emplace_back("Host", "App.Example:80");
  named.emplace_back("Origin", "http://app.example");
  EXPECT_EQ(http.post(url("/admin/purge"), "", named).status, 200) << "the same origin, as the browser writes it";
  named.back().second = "http://App.Example:80";
  EXPECT_TRUE(is_json_error(http.post(url("/admin/purge"), "", named), 403, "origin_not_allowed"));

  Headers bearer_from_anywhere = bearer(token);
  bearer_from_anywhere.emplace_back("Origin", "http://evil.example");
  EXPECT_EQ(http.post(url("/admin/purge"), "", bearer_from_anywhere).status, 200) << "Bearer is not Origin-checked";
}

TEST_F(EmbeddedRoutes, AuthenticateTellsAPublicRouteWhoCalls) {
  start_app();
  add_user("reader@example.com");
  EXPECT_EQ(http.get(url("/whoami")).body, R"({"subject":null})");
  EXPECT_EQ(http.get(url("/whoami"), bearer("not.a.token")).body, R"({"subject":null})");
  const std::string token = login_token("reader@example.com");
  EXPECT_EQ(http.get(url("/whoami"), bearer(token)).body, R"({"subject":")" + subject_of(token) + R"("})");
}

}  // namespace
}  // namespace latchkey::test::embed
