// Limits shared by every host on one database (CONTRACT §9, login_throttle.scope): two real hosts
// on one PostgreSQL and on one MariaDB. With "database" they count together (N hosts give an
// attacker the limit, not N times it), atomically under concurrency; with "host" each counts alone.
#include "auth_test_support.h"

#include <atomic>
#include <latch>
#include <thread>

namespace latchkey::test::auth {
namespace {

class SharedThrottle : public AuthBackendTest {
 protected:
  // This fixture's host (A) and a second host (B) on the same database and config.
  void start_two_hosts(const std::string& patch) {
    start_host(patch);
    other_.write_config(auth_host_config(merge_json(base_auth_config(database_url()), patch)));
    ASSERT_TRUE(other_.start({}, true, std::chrono::seconds(30))) << other_.last_error();
  }
  std::string host_url(int which, const std::string& path) const {
    return (which == 0 ? host : other_).url("/api/auth" + path);
  }
  HttpResult login_on(HttpClient& client, int which, const std::string& email, const std::string& password) {
    const std::string body = R"({"email":")" + email + R"(","password":")" + password + R"("})";
    return client.post(host_url(which, "/login"), body, kJson);
  }

  HostProcess other_{kHostBinary};
};

TEST_P(SharedThrottle, FailuresAlternatingBetweenHostsReachTheLimitOnceInTotal) {
  ASSERT_NO_FATAL_FAILURE(start_two_hosts(R"({"login_throttle": {"max_failures_per_account": 4}})"));
  add_user("target@example.com");
  for (int attempt = 0; attempt < 4; ++attempt) {
    EXPECT_TRUE(is_json_error(login_on(http, attempt % 2, "target@example.com", "wrong guess"), 401,
                              "invalid_credentials"))
        << "attempt " << attempt + 1 << " on host " << "AB"[attempt % 2];
  }
  for (int which : {0, 1}) {
    const HttpResult limited = login_on(http, which, "target@example.com", "wrong guess");
    EXPECT_TRUE(is_json_error(limited, 429, "rate_limited")) << "the 5th attempt on host " << "AB"[which];
    EXPECT_FALSE(limited.header("Retry-After").empty());
  }
  EXPECT_TRUE(is_json_error(login_on(http, 1, "target@example.com", kPassword), 429, "rate_limited"))
      << "even the right password waits, on either host";
}

TEST_P(SharedThrottle, TwentyConcurrentFailuresOnBothHostsNeverPassMoreThanTheLimit) {
  ASSERT_NO_FATAL_FAILURE(start_two_hosts(R"({"login_throttle": {"max_failures_per_account": 5}})"));
  add_user("target@example.com");
  std::atomic<int> not_limited{0}, limited{0};
  std::latch start(20);
  std::vector<std::thread> clients;
  for (int i = 0; i < 20; ++i) {
    clients.emplace_back([&, i] {
      HttpClient client;
      start.arrive_and_wait();
      const HttpResult answer = login_on(client, i % 2, "target@example.com", "guess " + std::to_string(i));
      (answer.status == 429 ? limited : not_limited)++;
      EXPECT_TRUE(answer.status == 401 || answer.status == 429) << answer.status << " " << answer.body << answer.error;
    });
  }
  for (auto& client : clients) client.join();
  std::printf("[shared-throttle] %s: 20 concurrent failures on two hosts, limit 5: %d answered, %d limited\n",
              store::backend_name(GetParam()).data(), not_limited.load(), limited.load());
  EXPECT_EQ(not_limited.load(), 5) << "exactly the limit reaches the password check";
  EXPECT_EQ(limited.load(), 15);
}

TEST_P(SharedThrottle, TheMailRequestLimitIsSharedToo) {
  ASSERT_NO_FATAL_FAILURE(start_two_hosts(R"({"email": {"resend_interval_seconds": 60}})"));
  const std::string body = R"({"email":"someone@example.com"})";
  const HttpResult first = http.post(host_url(0, "/password/forgot"), body, kJson);
  EXPECT_EQ(first.status, 202) << first.body;
  EXPECT_TRUE(is_json_error(http.post(host_url(1, "/password/forgot"), body, kJson), 429, "rate_limited"))
      << "host B knows host A took this address's one request of the minute";
  EXPECT_EQ(http.post(host_url(0, "/confirm/resend"), body, kJson).status, 202) << "another kind of mail, its own limit";
  EXPECT_TRUE(is_json_error(http.post(host_url(1, "/confirm/resend"), body, kJson), 429, "rate_limited"));
  EXPECT_EQ(http.post(host_url(1, "/magic-link"), body, kJson).status, 202) << "sign-in links: their own limit";
  EXPECT_TRUE(is_json_error(http.post(host_url(0, "/magic-link"), body, kJson), 429, "rate_limited"));
}

TEST_P(SharedThrottle, WithScopeHostEachHostCountsOnItsOwn) {
  ASSERT_NO_FATAL_FAILURE(
      start_two_hosts(R"({"login_throttle": {"scope": "host", "max_failures_per_account": 3}})"));
  add_user("target@example.com");
  for (int attempt = 0; attempt < 3; ++attempt) {
    EXPECT_EQ(login_on(http, 0, "target@example.com", "wrong guess").status, 401) << attempt + 1;
  }
  EXPECT_TRUE(is_json_error(login_on(http, 0, "target@example.com", "wrong guess"), 429, "rate_limited"));
  EXPECT_EQ(login_on(http, 1, "target@example.com", "wrong guess").status, 401) << "host B has counted nothing";
  EXPECT_EQ(login_on(http, 1, "target@example.com", kPassword).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Servers, SharedThrottle,
                         ::testing::Values(::latchkey::store::Backend::postgresql, ::latchkey::store::Backend::mysql),
                         ::latchkey::store::testing::backend_param_name);

}  // namespace
}  // namespace latchkey::test::auth
