// An embedded Latchkey behind a real nginx reads `trusted_proxies` as the `latchkey` server does
// (CONTRACT §9): per-client throttles through the proxy, a forged header straight to the
// application ignored, the proxy's origin allowed by the CSRF check.
#include "embed_test_support.h"

#include "support/nginx_process.h"

namespace latchkey::test::embed {
namespace {

class EmbeddedBehindProxy : public EmbeddedApp {
 protected:
  void SetUp() override {
    // script/bootstrap installs it: a missing nginx is a broken machine, not a test to skip.
    ASSERT_TRUE(NginxProcess::installed()) << kNginxBinary << " is not installed (Debian nginx-light)";
    EmbeddedApp::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    first.bind_to("127.0.0.2");
    second.bind_to("127.0.0.3");
    start_app(R"({"login_throttle": {"max_failures_per_address": 2, "max_failures_per_account": 1000}})", {},
              R"("trusted_proxies": ["127.0.0.1/32"])");
    if (HasFatalFailure()) return;
    ASSERT_TRUE(nginx.start(app.base_url())) << nginx.last_error();
    add_user("proxied@example.com");
  }
  HttpResult login(HttpClient& client, const std::string& base, const std::string& password, Headers extra = {}) {
    return client.post(base + "/api/auth/login", R"({"email":"proxied@example.com","password":")" + password + R"("})",
                       json_with(std::move(extra)));
  }

  NginxProcess nginx;
  HttpClient first;
  HttpClient second;
};

TEST_F(EmbeddedBehindProxy, ClientsAreThrottledByTheirOwnAddress) {
  for (int i = 0; i < 2; ++i) EXPECT_EQ(login(first, nginx.base_url(), "wrong").status, 401);
  EXPECT_TRUE(is_json_error(login(first, nginx.base_url(), "wrong"), 429, "rate_limited"));
  EXPECT_EQ(login(second, nginx.base_url(), "wrong").status, 401);
  // Straight to the application, a forged header changes nothing: still 127.0.0.2.
  EXPECT_TRUE(is_json_error(login(first, app.base_url(), "wrong", {{"X-Forwarded-For", "10.9.9.9"}}), 429,
                            "rate_limited"));
}

TEST_F(EmbeddedBehindProxy, TheCsrfCheckAllowsTheProxysOrigin) {
  const HttpResult session = login(first, nginx.base_url(), kPassword);
  ASSERT_EQ(session.status, 200) << session.body;
  const std::string refresh = set_cookie(session, "refreshToken")->value;
  const Headers from_proxy = {{"Cookie", "refreshToken=" + refresh}, {"Origin", nginx.base_url()}};
  EXPECT_TRUE(is_json_error(first.post(app.url("/api/auth/refresh"), "", from_proxy), 403, "origin_not_allowed"));
  const HttpResult through = first.post(nginx.url("/api/auth/refresh"), "", from_proxy);
  EXPECT_EQ(through.status, 200) << through.body;
}

}  // namespace
}  // namespace latchkey::test::embed
