// PostgreSQL stopped under a running host: requests that need the database answer 503 JSON within
// 5 s without clearing cookies, the host stays up, and all works again once PostgreSQL is back,
// without a restart (SECURITY "The server itself"). Runs alone (RUN_SERIAL): it stops the server.
#include "auth_test_support.h"

#include <cstdio>
#include <cstdlib>

namespace latchkey::test::auth {
namespace {

// script/databases pg-stop / pg-start on LATCHKEY_TEST_DB_DIR; the destructor restarts PostgreSQL
// whatever happened in between.
class PostgresOutage {
 public:
  explicit PostgresOutage(std::filesystem::path work_dir) : work_dir_(std::move(work_dir)) {
    const char* dir = std::getenv("LATCHKEY_TEST_DB_DIR");
    if (dir && *dir) db_dir_ = dir;
  }
  ~PostgresOutage() {
    if (stopped_) start();
  }
  bool configured() const { return !db_dir_.empty(); }
  ExitResult stop() {
    stopped_ = true;
    return run("pg-stop");
  }
  ExitResult start() {
    ExitResult result = run("pg-start");
    if (result.exit_code == 0) stopped_ = false;
    return result;
  }

 private:
  ExitResult run(const std::string& command) {
    return run_program("/bin/bash", {kSourceDir + "/script/databases", command, db_dir_}, "", work_dir_, 90s);
  }
  std::filesystem::path work_dir_;
  std::string db_dir_;
  bool stopped_ = false;
};

class AuthOutage : public AuthFixture {
 protected:
  Backend backend() const override { return Backend::postgresql; }
};

TEST_F(AuthOutage, PostgresDownAnswers503WithinFiveSecondsAndRecoversWithoutRestart) {
  PostgresOutage outage(host.dir());
  ASSERT_TRUE(outage.configured()) << "LATCHKEY_TEST_DB_DIR is not set (script/databases start prints it)";
  start_host(R"({"tokens": {"revocation_cache_ms": 200}, "database": {"pool_size": 2}})");
  add_user("outage@example.com");
  const HttpResult session = login_ok("outage@example.com");
  const std::string access = access_token_of(session);
  const std::string refresh = set_cookie(session, "refreshToken")->value;
  ASSERT_EQ(http.get(auth_url("/me"), bearer(access)).status, 200);

  const ExitResult stopped = outage.stop();
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;

  // Login needs the database.
  auto start = std::chrono::steady_clock::now();
  const HttpResult down_login = login("outage@example.com");
  const auto login_time = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_TRUE(is_json_error(down_login, 503, "service_unavailable"));
  EXPECT_LE(login_time, 5000ms);
  EXPECT_TRUE(set_cookies(down_login).empty());

  // Refresh needs it: 503, and the cookies are NOT cleared on a 5xx.
  start = std::chrono::steady_clock::now();
  const HttpResult down_refresh = refresh_with_cookie(refresh);
  const auto refresh_time = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_TRUE(is_json_error(down_refresh, 503, "service_unavailable"));
  EXPECT_LE(refresh_time, 5000ms);
  EXPECT_TRUE(set_cookies(down_refresh).empty()) << "a 5xx must not clear cookies";

  // A protected route whose revocation state is no longer cached: fail closed with 503.
  HttpResult down_me;
  start = std::chrono::steady_clock::now();
  EXPECT_TRUE(wait_until([&] { return (down_me = http.get(auth_url("/me"), bearer(access))).status != 200; }, 5s));
  const auto me_time = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_TRUE(is_json_error(down_me, 503, "service_unavailable"));
  EXPECT_LE(me_time, 5000ms);
  EXPECT_TRUE(set_cookies(down_me).empty());

  // The host itself still answers.
  const HttpResult jwks = http.get(url("/.well-known/jwks.json"));
  EXPECT_EQ(jwks.status, 200) << jwks.body << " " << jwks.error;
  std::printf("[outage] PostgreSQL down: login 503 after %lld ms, refresh 503 after %lld ms, me 503 within %lld ms\n",
              static_cast<long long>(login_time.count()), static_cast<long long>(refresh_time.count()),
              static_cast<long long>(me_time.count()));
  std::fflush(stdout);

  const ExitResult restarted = outage.start();
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  HttpResult back;
  EXPECT_TRUE(wait_until([&] { return (back = login("outage@example.com")).status == 200; }, 30s))
      << "login after PostgreSQL came back: " << back.status << " " << back.body;
  EXPECT_EQ(http.get(auth_url("/me"), bearer(access)).status, 200);
  const HttpResult refreshed = refresh_with_cookie(refresh);
  EXPECT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_TRUE(host.running());
}

}  // namespace
}  // namespace latchkey::test::auth
