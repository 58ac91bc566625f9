// Through the real host: what a handler sees of a request, the principal, roles, protection by
// default, response headers and cookies, and the access log.
#include <algorithm>
#include "host_test_support.h"

namespace latchkey::test {
namespace {

class HostRequests : public HostTest {};

TEST_F(HostRequests, HandlerSeesMethodPathParamQueryHeaderCookieRemoteAndOrigin) {
  start_host();
  const HttpResult result = http.get(url("/test/items/a%20b?q=x%20y&other=1"),
                                     {{"X-Probe", "probe-value"}, {"Cookie", "c=cookie-value; d=other"}});
  ASSERT_EQ(result.status, 200) << result.body;
  const rapidjson::Document json = parse_json(result.body);
  EXPECT_EQ(string_member(json, "method"), "GET");
  EXPECT_EQ(string_member(json, "path"), "/test/items/a%20b");  // as sent, not decoded
  EXPECT_EQ(string_member(json, "id"), "a b");
  EXPECT_EQ(string_member(json, "q"), "x y");
  EXPECT_EQ(string_member(json, "probe"), "probe-value");
  EXPECT_EQ(string_member(json, "cookie"), "cookie-value");
  EXPECT_EQ(string_member(json, "body"), "");
  EXPECT_EQ(string_member(json, "remote"), "127.0.0.1");
  EXPECT_EQ(string_member(json, "origin"), host.base_url());
  EXPECT_EQ(int_member(json, "route_auth"), LK_AUTH_PUBLIC);
}

TEST_F(HostRequests, PostBodyReachesHandler) {
  start_host();
  const std::string body = R"({"text":"hello \u00e9","n":[1,2,3]})";
  const HttpResult result = http.post(url("/test/echo"), body, {{"Content-Type", "application/json"}});
  ASSERT_EQ(result.status, 200) << result.body;
  const rapidjson::Document json = parse_json(result.body);
  EXPECT_EQ(string_member(json, "method"), "POST");
  EXPECT_EQ(string_member(json, "body"), body);
  EXPECT_EQ(string_member(json, "id"), "<absent>");  // no such param: null
}

TEST_F(HostRequests, QueryValueAndParamAreDecodedExactlyOnce) {
  start_host();
  const HttpResult result = http.get(url("/test/items/%2541?q=%2541"));
  ASSERT_EQ(result.status, 200) << result.body;
  const rapidjson::Document json = parse_json(result.body);
  EXPECT_EQ(string_member(json, "id"), "%41");
  EXPECT_EQ(string_member(json, "q"), "%41");
}

TEST_F(HostRequests, RepeatedHeaderShowsItsFirstValue) {
  start_host();
  // plugin.h: a header sent more than once shows one of its values (Pistache keeps one per name).
  const HttpResult result = http.get(url("/test/items/1"), {{"X-Probe", "first"}, {"X-Probe", "second"}});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(string_member(parse_json(result.body), "probe"), "first");
}

TEST_F(HostRequests, HeaderValueReachesHandlerAsSentWithoutItsOuterWhitespace) {
  start_host();
  const std::string long_value(8000, 'v');
  for (const std::string& sent : {std::string("\t a  \"b\";q=0.5 \t"), long_value}) {
    const HttpResult result = http.get(url("/test/items/1"), {{"x-probe", sent}});
    ASSERT_EQ(result.status, 200) << result.body;
    const std::string expected = sent == long_value ? long_value : "a  \"b\";q=0.5";
    EXPECT_EQ(string_member(parse_json(result.body), "probe"), expected);
  }
}

TEST_F(HostRequests, CookieLinesAreJoinedSoEveryLinesCookiesAreSeen) {
  start_host();
  const HttpResult result = http.get(url("/test/items/1"), {{"Cookie", "c=first-line"}, {"Cookie", "d=second"}});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(string_member(parse_json(result.body), "cookie"), "first-line");
}

TEST_F(HostRequests, ResponseCarriesEverySetCookie) {
  start_host();
  const HttpResult result = http.get(url("/test/cookies"));
  ASSERT_EQ(result.status, 200) << result.body;
  // The auth plugin sets two cookies (access and refresh) on one response: both must arrive.
  std::vector<std::string> cookies = result.headers_named("Set-Cookie");
  ASSERT_EQ(cookies.size(), 2u) << "got: " << (cookies.empty() ? "none" : cookies.front());
  std::sort(cookies.begin(), cookies.end());  // cookies are independent: their order is not kept
  EXPECT_EQ(cookies[0], "a=1; Path=/; HttpOnly");
  EXPECT_EQ(cookies[1], "b=2; Path=/test; SameSite=Strict");
}

TEST_F(HostRequests, SecondHeaderOfANameReplacesFirstAndCrlfValueIsRefused) {
  start_host();
  const HttpResult result = http.get(url("/test/cookies"));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.headers_named("X-Custom"), std::vector<std::string>{"second"});
  EXPECT_FALSE(result.has_header("Injected"));
  EXPECT_FALSE(result.has_header("X-Bad"));
  EXPECT_EQ(int_member(parse_json(result.body), "crlf_header_status"), LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(int_member(parse_json(result.body), "framing_header_status"), LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(result.header("Content-Type"), "application/json");  // a body without one is JSON
}

TEST_F(HostRequests, PrincipalSetByAuthenticateFilterReachesHandler) {
  start_host();
  const HttpResult result = http.get(url("/test/protected"), {{"X-Test-User", "alice;user,editor"}});
  ASSERT_EQ(result.status, 200) << result.body;
  const rapidjson::Document json = parse_json(result.body);
  EXPECT_EQ(string_member(json, "subject"), "alice");
  EXPECT_EQ(string_member(json, "sid"), "sid-alice");
  ASSERT_TRUE(json.IsObject() && json.HasMember("roles") && json["roles"].IsArray()) << result.body;
  ASSERT_EQ(json["roles"].Size(), 2u);
  EXPECT_STREQ(json["roles"][0].GetString(), "user");
  EXPECT_STREQ(json["roles"][1].GetString(), "editor");
  ASSERT_TRUE(json.HasMember("claims") && json["claims"].IsObject()) << result.body;
  EXPECT_EQ(string_member(json["claims"], "sub"), "alice");
  EXPECT_TRUE(json["claims"]["test"].IsBool() && json["claims"]["test"].GetBool());
}

TEST_F(HostRequests, ProtectedRouteWithoutPrincipalIs401InvalidToken) {
  start_host();
  const HttpResult result = http.get(url("/test/protected"));
  EXPECT_TRUE(is_json_error(result, 401, "invalid_token"));
  EXPECT_EQ(result.header("WWW-Authenticate"), "Bearer");
}

TEST_F(HostRequests, RouteWithRolesRefusesPrincipalWithoutThemWith403) {
  start_host();
  EXPECT_TRUE(is_json_error(http.get(url("/test/admin"), {{"X-Test-User", "bob;user"}}), 403, "insufficient_role"));
  EXPECT_TRUE(is_json_error(http.get(url("/test/admin"), {{"X-Test-User", "bob"}}), 403, "insufficient_role"));
  EXPECT_TRUE(is_json_error(http.get(url("/test/admin")), 401, "invalid_token"));
  const HttpResult admin = http.get(url("/test/admin"), {{"X-Test-User", "carol;user,admin"}});
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(string_member(parse_json(admin.body), "subject"), "carol");
}

TEST_F(HostRequests, DefaultStageFilterCannotSetPrincipal) {
  start_host();
  // The default-stage filter tried to set "intruder": refused, so no principal and a 401...
  EXPECT_TRUE(is_json_error(http.get(url("/test/protected")), 401, "invalid_token"));
  // ...and it did not replace the authenticate stage's principal either.
  const HttpResult alice = http.get(url("/test/protected"), {{"X-Test-User", "alice"}});
  EXPECT_EQ(string_member(parse_json(alice.body), "subject"), "alice");
  // What request_set_principal returned to it:
  const HttpResult stage = http.get(url("/test/stage"));
  ASSERT_EQ(stage.status, 200);
  EXPECT_EQ(int_member(parse_json(stage.body), "default_stage_set_principal"), LK_ERR_WRONG_STAGE);
}

TEST_F(HostRequests, HelloPublicRouteAnswersWithoutAuthentication) {
  start_host(R"("threads": 2)", {plugin_entry("hello", kHelloPlugin)});
  const HttpResult result = http.get(url("/hello"));
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "hello, world\n");
  EXPECT_EQ(result.header("Content-Type"), "text/plain; charset=utf-8");
}

TEST_F(HostRequests, HelloPrivateRouteIsProtectedEvenWithNoAuthPluginLoaded) {
  start_host(R"("threads": 2)", {plugin_entry("hello", kHelloPlugin)});
  const HttpResult result = http.get(url("/hello/private"));
  EXPECT_TRUE(is_json_error(result, 401, "invalid_token"));
  EXPECT_EQ(result.header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(result.body.find("hello"), std::string::npos);
  // A header naming a user is no authentication without a filter that trusts it.
  EXPECT_EQ(http.get(url("/hello/private"), {{"X-Test-User", "alice"}}).status, 401);
}

TEST_F(HostRequests, HelloPrivateRouteAnswersTheSubjectAnotherPluginsFilterSet) {
  start_host(R"("threads": 2)", {plugin_entry("hello", kHelloPlugin), plugin_entry("test", kTestPlugin)});
  const HttpResult result = http.get(url("/hello/private"), {{"X-Test-User", "alice;user"}});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.body, "hello, alice\n");
  EXPECT_EQ(http.get(url("/hello")).body, "hello, world\n");
}

TEST_F(HostRequests, KeepAliveConnectionServesSeveralRequests) {
  start_host();
  HttpClient keep_alive(true);
  for (int i = 0; i < 5; ++i) {
    const HttpResult result = keep_alive.get(url("/test/fast"));
    ASSERT_EQ(result.status, 200) << result.error;
    EXPECT_EQ(result.body, R"({"ok":true})");
  }
}

TEST_F(HostRequests, AccessLogHasMethodPathStatusButNoQueryCredentialsOrBody) {
  start_host();
  const HttpResult result = http.request(
      "POST", url("/test/echo?token=SECRET_QUERY_VALUE"),
      {{"Authorization", "Bearer SECRET_AUTHORIZATION_VALUE"}, {"Cookie", "c=SECRET_COOKIE_VALUE"}},
      "SECRET_BODY_VALUE");
  ASSERT_EQ(result.status, 200);
  ASSERT_NE(result.body.find("SECRET_BODY_VALUE"), std::string::npos);  // the request did carry them
  EXPECT_EQ(http.get(url("/no/such/route?SECRET_QUERY_404")).status, 404);
  ASSERT_TRUE(host.wait_for_stderr("GET /no/such/route 404")) << host.stderr_text();
  const std::string log = host.stderr_text();
  EXPECT_NE(log.find("POST /test/echo 200"), std::string::npos) << log;
  for (const char* secret : {"SECRET_QUERY_VALUE", "SECRET_AUTHORIZATION_VALUE", "SECRET_COOKIE_VALUE",
                             "SECRET_BODY_VALUE", "SECRET_QUERY_404", "token="}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " leaked into the log:\n" << log;
  }
}

}  // namespace
}  // namespace latchkey::test
