// Refresh rotation under concurrency and reuse (CONTRACT §3, DESIGN "Tokens and sessions",
// RFC 9700 §4.14): one winner, no fork, reuse after the grace window revokes the whole session.
#include "auth_test_support.h"

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

namespace latchkey::test::auth {
namespace {

class AuthRefresh : public AuthBackendTest {};

// Sleeps until just after the next whole second of the wall clock, which the host reads too.
void wait_for_the_next_second() {
  std::this_thread::sleep_until(std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now()) + 20ms);
}

TEST_P(AuthRefresh, TwentyConcurrentRefreshesOfOneTokenNeverForkTheSession) {
  start_host(R"({"tokens": {"refresh_reuse_grace_seconds": 10}, "database": {"pool_size": 8}})", {},
             R"("threads": 8)");
  add_user("tabs@example.com");
  const HttpResult session = login_ok("tabs@example.com");
  const std::string refresh0 = set_cookie(session, "refreshToken")->value;
  const std::string sid = string_member(jwt_claims(access_token_of(session)), "sid");

  constexpr int kThreads = 20;
  std::vector<HttpResult> results(kThreads);
  std::mutex mutex;
  std::condition_variable go;
  int ready = 0;
  bool started = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      HttpClient client;
      {
        std::unique_lock lock(mutex);
        ++ready;
        go.notify_all();
        go.wait(lock, [&] { return started; });
      }
      results[i] = client.post(auth_url("/refresh"), "", {{"Cookie", "refreshToken=" + refresh0}});
    });
  }
  {
    std::unique_lock lock(mutex);
    go.wait(lock, [&] { return ready == kThreads; });
    started = true;
    go.notify_all();
  }
  for (std::thread& thread : threads) thread.join();

  std::vector<std::string> winners;
  std::set<std::string> sids;
  for (const HttpResult& result : results) {
    ASSERT_EQ(result.status, 200) << result.body << " " << result.error;
    if (const auto rotated = set_cookie(result, "refreshToken")) winners.push_back(rotated->value);
    sids.insert(string_member(jwt_claims(access_token_of(result)), "sid"));
  }
  ASSERT_EQ(winners.size(), 1u) << "more than one new refresh token: the session forked";
  EXPECT_EQ(sids, std::set<std::string>{sid});
  EXPECT_NE(winners[0], refresh0);

  // The session lives on: the winner's token refreshes, and the new access token works.
  const HttpResult next = refresh_with_cookie(winners[0]);
  ASSERT_EQ(next.status, 200) << next.body;
  ASSERT_TRUE(set_cookie(next, "refreshToken").has_value());
  EXPECT_EQ(string_member(jwt_claims(access_token_of(next)), "sid"), sid);
  EXPECT_EQ(http.get(auth_url("/me"), bearer(access_token_of(next))).status, 200);
}

TEST_P(AuthRefresh, SequentialRefreshRateIsMeasured) {
  start_host();
  add_user("rate@example.com");
  std::string refresh = set_cookie(login_ok("rate@example.com"), "refreshToken")->value;
  HttpClient keep_alive(true);
  constexpr int kRefreshes = 200;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRefreshes; ++i) {
    const HttpResult result =
        keep_alive.post(auth_url("/refresh"), "", {{"Cookie", "refreshToken=" + refresh}});
    ASSERT_EQ(result.status, 200) << "refresh " << i << ": " << result.body << " " << result.error;
    const auto rotated = set_cookie(result, "refreshToken");
    ASSERT_TRUE(rotated) << "refresh " << i << " did not rotate";
    refresh = rotated->value;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[refresh-rate] %s: %d sequential refreshes in %.0f ms = %.0f refreshes/s (keep-alive, one client)\n",
              std::string(store::backend_name(GetParam())).c_str(), kRefreshes, seconds * 1000, kRefreshes / seconds);
  std::fflush(stdout);
}

TEST_P(AuthRefresh, ReuseAfterGraceWindowRevokesTheWholeSession) {
  start_host(R"({"tokens": {"refresh_reuse_grace_seconds": 1, "revocation_cache_ms": 300}})");
  add_user("stolen@example.com");
  const HttpResult session = login_ok("stolen@example.com");
  const std::string refresh0 = set_cookie(session, "refreshToken")->value;
  const HttpResult rotated = refresh_with_cookie(refresh0);
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  const std::string refresh1 = set_cookie(rotated, "refreshToken")->value;
  const std::string access1 = access_token_of(rotated);
  ASSERT_EQ(http.get(auth_url("/me"), bearer(access1)).status, 200);  // cached as allowed

  // Let the grace window (1 s) pass: time itself is the condition here.
  std::this_thread::sleep_for(2200ms);

  const HttpResult reuse = refresh_with_cookie(refresh0);
  EXPECT_TRUE(is_json_error(reuse, 401, "invalid_refresh_token"));
  EXPECT_TRUE(clears_cookie(reuse, "accessToken"));
  EXPECT_TRUE(clears_cookie(reuse, "refreshToken"));
  if (const auto cleared = set_cookie(reuse, "refreshToken")) {
    EXPECT_EQ(cleared->attribute("Path"), "/api/auth");
  }
  if (const auto cleared = set_cookie(reuse, "accessToken")) {
    EXPECT_EQ(cleared->attribute("Path"), "/");
  }

  // The thief's use ended the session for the winner too.
  EXPECT_TRUE(is_json_error(refresh_with_cookie(refresh1), 401, "invalid_refresh_token"));
  EXPECT_TRUE(wait_until([&] { return http.get(auth_url("/me"), bearer(access1)).status == 401; }, 1300ms))
      << "the revoked session's access token is still accepted";
  EXPECT_TRUE(wait_until([&] { return http.get(auth_url("/me"), bearer(access_token_of(session))).status == 401; }, 1300ms));
}

// CONTRACT §6: the grace window is counted in milliseconds. The rotation happens early in a
// wall-clock second, so a store that kept whole seconds would count 1 s at 1.2 s and answer grace.
TEST_P(AuthRefresh, ReuseAt1200msAfterRotationRevokesTheSessionWithAOneSecondGrace) {
  start_host(R"({"tokens": {"refresh_reuse_grace_seconds": 1}})");
  add_user("late@example.com");
  const std::string refresh0 = set_cookie(login_ok("late@example.com"), "refreshToken")->value;
  wait_for_the_next_second();
  const HttpResult rotated = refresh_with_cookie(refresh0);
  const auto rotated_before = std::chrono::steady_clock::now();  // the host marked refresh0 used by now
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  const std::string refresh1 = set_cookie(rotated, "refreshToken")->value;

  std::this_thread::sleep_until(rotated_before + 1200ms);
  const HttpResult reuse = refresh_with_cookie(refresh0);
  EXPECT_TRUE(is_json_error(reuse, 401, "invalid_refresh_token")) << "reuse at 1.2 s was answered as grace";
  EXPECT_TRUE(is_json_error(refresh_with_cookie(refresh1), 401, "invalid_refresh_token"))
      << "the session was not revoked";
}

// A 3 s grace: the 300 ms must stay well inside it even when a busy machine (CI, sanitizers) adds
// hundreds of milliseconds to each request; the 1 s edge itself is the 1.2 s test above.
TEST_P(AuthRefresh, ReuseAt300msAfterRotationIsGrace) {
  start_host(R"({"tokens": {"refresh_reuse_grace_seconds": 3}})");
  add_user("tab@example.com");
  const HttpResult session = login_ok("tab@example.com");
  const std::string refresh0 = set_cookie(session, "refreshToken")->value;
  const auto rotation_sent = std::chrono::steady_clock::now();  // the host marks refresh0 used after this
  const HttpResult rotated = refresh_with_cookie(refresh0);
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  const std::string refresh1 = set_cookie(rotated, "refreshToken")->value;

  std::this_thread::sleep_until(rotation_sent + 300ms);
  const HttpResult loser = refresh_with_cookie(refresh0);
  ASSERT_EQ(loser.status, 200) << loser.body;
  EXPECT_FALSE(set_cookie(loser, "refreshToken").has_value()) << "grace gives an access token only";
  EXPECT_EQ(string_member(jwt_claims(access_token_of(loser)), "sid"),
            string_member(jwt_claims(access_token_of(session)), "sid"));
  EXPECT_EQ(refresh_with_cookie(refresh1).status, 200) << "the session must stand";
}

INSTANTIATE_ON_EACH_BACKEND(AuthRefresh);

}  // namespace
}  // namespace latchkey::test::auth
