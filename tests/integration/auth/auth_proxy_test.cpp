// Behind a reverse proxy (CONTRACT §9 trusted_proxies): a real nginx in front of a real host that
// trusts only 127.0.0.1, the address nginx connects from. The clients connect from 127.0.0.2 and
// 127.0.0.3, so whatever the host believes about them came through X-Forwarded-*, or from the
// TCP peer when they talk to it directly.
#include "auth_test_support.h"
#include "support/nginx_process.h"

#include <regex>

namespace latchkey::test::auth {
namespace {

constexpr const char* kFirst = "127.0.0.2";
constexpr const char* kSecond = "127.0.0.3";

class AuthBehindProxy : public AuthFixture {
 protected:
  void SetUp() override {
    // script/bootstrap installs it: a missing nginx is a broken machine, not a test to skip.
    ASSERT_TRUE(NginxProcess::installed()) << kNginxBinary << " is not installed (Debian nginx-light)";
    AuthFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    first.bind_to(kFirst);
    second.bind_to(kSecond);
  }

  // Starts the host trusting nginx (plus host_extra's keys), then nginx in front of it.
  void start(const std::string& auth_patch, const std::string& host_extra = "") {
    start_host(auth_patch, {}, R"("threads": 4, "trusted_proxies": ["127.0.0.1/32"])" + host_extra);
    if (HasFatalFailure()) return;
    ASSERT_TRUE(nginx.start(host.base_url())) << nginx.last_error();
  }

  // A login with a wrong password, from client, to base ("http://127.0.0.1:PORT" of nginx or the host).
  HttpResult fail_login(HttpClient& client, const std::string& base, Headers extra = {}) {
    return client.post(base + "/api/auth/login", R"({"email":"proxied@example.com","password":"wrong guess"})",
                       json_with(std::move(extra)));
  }

  NginxProcess nginx;
  HttpClient first;
  HttpClient second;
};

const std::string kThrottle =
    R"({"login_throttle": {"max_failures_per_address": 3, "max_failures_per_account": 1000, "window_seconds": 600}})";

TEST_F(AuthBehindProxy, ClientsBehindTheProxyAreThrottledByTheirOwnAddress) {
  start(kThrottle);
  add_user("proxied@example.com");
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(is_json_error(fail_login(first, nginx.base_url()), 401, "invalid_credentials"));
  EXPECT_TRUE(is_json_error(fail_login(first, nginx.base_url()), 429, "rate_limited"));
  // The same proxy, another client: had the host counted nginx's address, this would be 429.
  EXPECT_TRUE(is_json_error(fail_login(second, nginx.base_url()), 401, "invalid_credentials"));
  // What the client sends in X-Forwarded-For is to the left of what nginx appends: never believed.
  EXPECT_TRUE(is_json_error(fail_login(first, nginx.base_url(), {{"X-Forwarded-For", kSecond}}), 429, "rate_limited"));
  EXPECT_TRUE(is_json_error(fail_login(second, nginx.base_url(), {{"X-Forwarded-For", "10.9.9.9"}}), 401,
                            "invalid_credentials"));

  // The audit log names the clients too, never nginx or what a client claimed.
  const ExitResult audit = cli({"audit", "--user", "proxied@example.com"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("\tlogin.failed\t"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("\t127.0.0.2\t"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("\t127.0.0.3\t"), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find("\t127.0.0.1\t"), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find("10.9.9.9"), std::string::npos) << audit.out;
  const ExitResult limited = cli({"audit", "--event", "login.rate_limited"});
  EXPECT_NE(limited.out.find("\t127.0.0.2\t"), std::string::npos) << limited.out;
}

TEST_F(AuthBehindProxy, AForgedHeaderStraightToTheHostCountsTheRealPeer) {
  start(kThrottle);
  add_user("proxied@example.com");
  // Each failure claims another address; believed, none of them would ever reach the limit.
  for (int i = 0; i < 3; ++i) {
    const Headers forged = {{"X-Forwarded-For", "10.9.9." + std::to_string(i)}};
    EXPECT_TRUE(is_json_error(fail_login(first, host.base_url(), forged), 401, "invalid_credentials"));
  }
  EXPECT_TRUE(
      is_json_error(fail_login(first, host.base_url(), {{"X-Forwarded-For", "10.9.9.9"}}), 429, "rate_limited"));
  // Counted as 127.0.0.2: the same client through nginx is limited too, another one is not.
  EXPECT_TRUE(is_json_error(fail_login(first, nginx.base_url()), 429, "rate_limited"));
  EXPECT_TRUE(is_json_error(fail_login(second, host.base_url()), 401, "invalid_credentials"));
}

TEST_F(AuthBehindProxy, TheAccessLogShowsTheClientNotTheProxy) {
  start("{}");
  EXPECT_EQ(second.get(nginx.url("/.well-known/jwks.json?through=nginx")).status, 200);
  EXPECT_EQ(first.get(host.url("/.well-known/jwks.json"), {{"X-Forwarded-For", "10.9.9.9"}}).status, 200);
  const std::regex proxied(R"(\[access\] GET /\.well-known/jwks\.json 200 [0-9.]+ms 127\.0\.0\.3\n)");
  const std::regex direct(R"(\[access\] GET /\.well-known/jwks\.json 200 [0-9.]+ms 127\.0\.0\.2\n)");
  ASSERT_TRUE(wait_until([&] { return std::regex_search(host.stderr_text(), direct); }, 5s)) << host.stderr_text();
  EXPECT_TRUE(std::regex_search(host.stderr_text(), proxied)) << host.stderr_text();
  EXPECT_EQ(host.stderr_text().find("ms 127.0.0.1\n"), std::string::npos) << host.stderr_text();
  EXPECT_EQ(host.stderr_text().find("10.9.9.9"), std::string::npos) << host.stderr_text();
}

TEST_F(AuthBehindProxy, TheCsrfCheckAllowsTheOriginTheProxyForwards) {
  start("{}");
  add_user("proxied@example.com");
  const HttpResult session = first.post(nginx.url("/api/auth/login"),
                                        R"({"email":"proxied@example.com","password":")" + kPassword + R"("})", kJson);
  ASSERT_EQ(session.status, 200) << session.body;
  std::string refresh = set_cookie(session, "refreshToken")->value;
  auto refresh_via = [&](const std::string& base, const std::string& origin) {
    const HttpResult result = first.post(base + "/api/auth/refresh", "",
                                         {{"Cookie", "refreshToken=" + refresh}, {"Origin", origin}});
    const auto rotated = set_cookie(result, "refreshToken");
    if (rotated && !rotated->value.empty()) refresh = rotated->value;
    return result;
  };
  // The browser's origin is nginx's: allowed through nginx, which forwards it.
  const HttpResult through = refresh_via(nginx.base_url(), nginx.base_url());
  EXPECT_EQ(through.status, 200) << through.body;
  // The same Origin straight to the host: the host's origin is its own address, nginx's is foreign.
  EXPECT_TRUE(is_json_error(refresh_via(host.base_url(), nginx.base_url()), 403, "origin_not_allowed"));
  // Nor can a client straight to the host choose its origin with the headers.
  EXPECT_TRUE(is_json_error(first.post(host.url("/api/auth/refresh"), "",
                                       {{"Cookie", "refreshToken=" + refresh},
                                        {"Origin", "https://evil.example"},
                                        {"X-Forwarded-Proto", "https"},
                                        {"X-Forwarded-Host", "evil.example"}}),
                            403, "origin_not_allowed"));
  // A foreign origin through nginx is still foreign.
  EXPECT_TRUE(is_json_error(refresh_via(nginx.base_url(), "https://evil.example"), 403, "origin_not_allowed"));
}

TEST_F(AuthBehindProxy, AnOriginInAllowedOriginsPassesStraightToTheHostToo) {
  start(R"({"csrf": {"allowed_origins": [")" + nginx.base_url() + R"("]}})");
  add_user("proxied@example.com");
  const HttpResult session = first.post(host.url("/api/auth/login"),
                                        R"({"email":"proxied@example.com","password":")" + kPassword + R"("})", kJson);
  ASSERT_EQ(session.status, 200) << session.body;
  const HttpResult direct = first.post(host.url("/api/auth/refresh"), "",
                                       {{"Cookie", "refreshToken=" + set_cookie(session, "refreshToken")->value},
                                        {"Origin", nginx.base_url()}});
  EXPECT_EQ(direct.status, 200) << direct.body;
}

// Pistache keeps a header's first line only; a proxy such as HAProxy adds its own X-Forwarded-For
// line below the client's. The host joins the lines, so the proxy's entry is still the rightmost.
TEST_F(AuthBehindProxy, AProxysOwnForwardedForLineIsReadAfterTheClients) {
  start_host("{}", {}, R"("threads": 4, "trusted_proxies": ["127.0.0.2/32"])");
  const HttpResult answered = first.get(host.url("/.well-known/jwks.json"),
                                        {{"X-Forwarded-For", "10.9.9.9"}, {"X-Forwarded-For", "198.51.100.7"}});
  EXPECT_EQ(answered.status, 200);
  const std::regex line(R"(\[access\] GET /\.well-known/jwks\.json 200 [0-9.]+ms 198\.51\.100\.7\n)");
  EXPECT_TRUE(wait_until([&] { return std::regex_search(host.stderr_text(), line); }, 5s)) << host.stderr_text();
}

TEST_F(AuthBehindProxy, MetricsAllowChecksTheClientAddress) {
  start("{}", R"(, "metrics": {"allow": ["127.0.0.3/32"]})");
  EXPECT_EQ(second.get(nginx.url("/metrics")).status, 200);
  EXPECT_TRUE(is_json_error(first.get(nginx.url("/metrics")), 404, "not_found"));
  EXPECT_TRUE(is_json_error(first.get(nginx.url("/metrics"), {{"X-Forwarded-For", kSecond}}), 404, "not_found"));
  EXPECT_TRUE(is_json_error(first.get(host.url("/metrics"), {{"X-Forwarded-For", kSecond}}), 404, "not_found"));
  EXPECT_EQ(second.get(host.url("/metrics")).status, 200);
}

}  // namespace
}  // namespace latchkey::test::auth
