// Two hosts on one PostgreSQL database: a logout on one reaches the other within the revocation
// cache TTL (CONTRACT §6, DESIGN "Scale").
#include "auth_test_support.h"

#include <cstdio>

namespace latchkey::test::auth {
namespace {

class AuthCluster : public AuthFixture {
 protected:
  Backend backend() const override { return Backend::postgresql; }
};

TEST_F(AuthCluster, LogoutOnOneHostIsRefusedOnTheOtherWithinTwoSeconds) {
  const std::string patch = R"({"tokens": {"revocation_cache_ms": 1000}})";
  start_host(patch);
  HostProcess other(kHostBinary);
  other.write_config(auth_host_config(merge_json(base_auth_config(database_url()), patch)));
  ASSERT_TRUE(other.start({}, true, 30s)) << other.last_error();

  add_user("roaming@example.com");
  const HttpResult session = login_ok("roaming@example.com");
  const std::string access = access_token_of(session);
  ASSERT_EQ(http.get(other.url("/api/auth/me"), bearer(access)).status, 200) << "host B accepts host A's token";

  const HttpResult logout = http.post(auth_url("/logout"), "", bearer(access));
  ASSERT_EQ(logout.status, 204) << logout.body;
  const auto start = std::chrono::steady_clock::now();
  const bool refused = wait_until([&] { return http.get(other.url("/api/auth/me"), bearer(access)).status == 401; }, 5s);
  const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(refused) << "host B still accepts the token 5 s after logout on host A";
  std::printf("[two-hosts] logout on A refused on B after %lld ms (revocation_cache_ms 1000)\n",
              static_cast<long long>(delay.count()));
  std::fflush(stdout);
  EXPECT_LE(delay, 2000ms);
  EXPECT_TRUE(is_json_error(http.post(other.url("/api/auth/refresh"), "",
                                      {{"Cookie", "refreshToken=" + set_cookie(session, "refreshToken")->value}}),
                            401, "invalid_refresh_token"));
}

}  // namespace
}  // namespace latchkey::test::auth
