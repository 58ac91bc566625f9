// PostgreSQL stopped under a running host: requests that need the database answer 503 JSON within
// 5 s without clearing cookies, the host stays up, and all works again once PostgreSQL is back,
// without a restart (SECURITY "The server itself"). And a server that hangs (frozen with SIGSTOP:
// its connections stay open and the kernel still acknowledges, but nothing answers) costs at
// most database.query_timeout_ms. Runs alone (RUN_SERIAL): it stops and freezes shared servers.
#include "auth_test_support.h"

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

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

// SIGSTOP on a database server's processes (the root process from script/databases and its direct
// children: PostgreSQL's backends); SIGCONT in the destructor, whatever happened in between.
class FrozenServer {
 public:
  // The pid is read from the server's pid file now, not from the environment: the outage test
  // restarts PostgreSQL under a new pid.
  explicit FrozenServer(Backend backend) {
    const char* dir = std::getenv("LATCHKEY_TEST_DB_DIR");
    if (!dir || !*dir) return;
    std::ifstream pid_file(std::filesystem::path(dir) /
                           (backend == Backend::postgresql ? "pg/data/postmaster.pid" : "mysql/mysqld.pid"));
    pid_file >> root_;
  }
  ~FrozenServer() { thaw(); }
  bool configured() const { return root_ > 0; }
  void freeze() {
    frozen_ = {root_};
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
      const std::string name = entry.path().filename();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream stat(entry.path() / "stat");
      std::string line;
      std::getline(stat, line);
      const auto close = line.rfind(')');  // "pid (comm) state ppid ..."
      if (close == std::string::npos) continue;
      std::istringstream rest(line.substr(close + 2));
      char state = 0;
      int ppid = 0;
      rest >> state >> ppid;
      if (ppid == root_) frozen_.push_back(std::stoi(name));
    }
    for (int pid : frozen_) ::kill(pid, SIGSTOP);
  }
  void thaw() {
    for (int pid : frozen_) ::kill(pid, SIGCONT);
    frozen_.clear();
  }
  std::size_t frozen_count() const { return frozen_.size(); }

 private:
  int root_ = 0;
  std::vector<int> frozen_;
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
  EXPECT_EQ(down_me.header("Retry-After"), "5") << "the filter's 503 says when to try again, like the routes'";
  EXPECT_EQ(down_login.header("Retry-After"), "5");
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

// CONTRACT §9: /readyz says 503 within 2 s of the database going away while /healthz stays 200,
// and 200 again once it is back, without a restart.
TEST_F(AuthOutage, ReadyzFollowsPostgresWhileHealthzStaysUp) {
  PostgresOutage outage(host.dir());
  ASSERT_TRUE(outage.configured()) << "LATCHKEY_TEST_DB_DIR is not set (script/databases start prints it)";
  start_host(R"({"database": {"pool_size": 2}})");
  const HttpResult ready = http.get(url("/readyz"));
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.body, R"({"status":"ready"})");

  ASSERT_EQ(outage.stop().exit_code, 0);
  const auto start = std::chrono::steady_clock::now();
  const HttpResult down = http.get(url("/readyz"));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_LE(took, 2000ms);
  const rapidjson::Document body = parse_json(down.body);
  ASSERT_TRUE(body.IsObject() && body.HasMember("plugins") && body["plugins"].IsObject()) << down.body;
  EXPECT_EQ(string_member(body, "status"), "not_ready");
  EXPECT_NE(string_member(body["plugins"], "auth"), "<absent>") << down.body;
  EXPECT_EQ(down.body.find("latchkey:"), std::string::npos) << "the reason must not carry the database URL";
  const HttpResult live = http.get(url("/healthz"));
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(live.body, R"({"status":"ok"})");

  ASSERT_EQ(outage.start().exit_code, 0);
  HttpResult back;
  EXPECT_TRUE(wait_until([&] { return (back = http.get(url("/readyz"))).status == 200; }, 30s)) << back.body;
  EXPECT_TRUE(host.running());
  // Probes stay out of the access log.
  EXPECT_EQ(host.stderr_text().find("GET /readyz"), std::string::npos);
  EXPECT_EQ(host.stderr_text().find("GET /healthz"), std::string::npos);
}

class AuthHungDatabase : public AuthBackendTest {};

TEST_P(AuthHungDatabase, FrozenServerAnswers503WithinTheQueryTimeoutAndRecovers) {
  FrozenServer server(GetParam());
  ASSERT_TRUE(server.configured()) << "no server pid file under LATCHKEY_TEST_DB_DIR (script/databases start prints it)";
  start_host(R"({"tokens": {"revocation_cache_ms": 200}, "database": {"pool_size": 2, "query_timeout_ms": 1500}})");
  add_user("frozen@example.com");
  const std::string access = access_token_of(login_ok("frozen@example.com"));

  server.freeze();
  ASSERT_GE(server.frozen_count(), 1u);
  auto start = std::chrono::steady_clock::now();
  const HttpResult frozen_login = login("frozen@example.com");
  const auto login_time = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_TRUE(is_json_error(frozen_login, 503, "service_unavailable")) << frozen_login.status << " " << frozen_login.body;
  EXPECT_GE(login_time, 1000ms) << "answered before the timeout: was the server frozen?";
  // PostgreSQL: 1.5 s; MySQL: read_timeout rounded up to 2 s.
  EXPECT_LE(login_time, 4000ms);
  // A server that hangs is not ready either, and /readyz says so within 2 s (the probe waits 1 s).
  start = std::chrono::steady_clock::now();
  const HttpResult frozen_ready = http.get(url("/readyz"));
  EXPECT_EQ(frozen_ready.status, 503) << frozen_ready.body;
  EXPECT_LE(std::chrono::steady_clock::now() - start, 2000ms);
  // Meanwhile the host answers what needs no database.
  start = std::chrono::steady_clock::now();
  EXPECT_EQ(http.get(url("/.well-known/jwks.json")).status, 200);
  const auto jwks_time = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_LE(jwks_time, 1000ms);
  std::printf("[hung] %s frozen (%zu processes): login 503 after %lld ms, jwks 200 after %lld ms\n",
              std::string(store::backend_name(GetParam())).c_str(), server.frozen_count(),
              static_cast<long long>(login_time.count()), static_cast<long long>(jwks_time.count()));
  std::fflush(stdout);

  server.thaw();
  HttpResult back;
  EXPECT_TRUE(wait_until([&] { return (back = login("frozen@example.com")).status == 200; }, 30s))
      << "login after the server thawed: " << back.status << " " << back.body;
  EXPECT_EQ(http.get(auth_url("/me"), bearer(access)).status, 200);
  EXPECT_TRUE(host.running());
}

INSTANTIATE_TEST_SUITE_P(Servers, AuthHungDatabase,
                         ::testing::Values(::latchkey::store::Backend::postgresql, ::latchkey::store::Backend::mysql),
                         ::latchkey::store::testing::backend_param_name);

}  // namespace
}  // namespace latchkey::test::auth
