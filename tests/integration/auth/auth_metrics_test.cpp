// /metrics of a host with the auth plugin (CONTRACT §9): the auth series move as logins, failed
// logins, refreshes and grace answers happen; the real output passes `promtool check metrics`; a
// real Prometheus server scrapes it and answers a query for latchkey_auth_logins_total; a client
// outside metrics.allow gets a 404. SQLite: the series do not depend on the backend.
#include "auth_test_support.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <thread>

namespace latchkey::test::auth {
namespace {

using namespace std::chrono_literals;

// The value of one sample line ("name{labels} value"), NaN when the series is absent.
double sample(const std::string& exposition, const std::string& series) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
      return std::stod(line.substr(series.size() + 1));
  }
  return std::nan("");
}

uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// A real Prometheus server (Debian's `prometheus`) scraping one target every second, with its
// state in dir; killed with the object.
class PrometheusServer {
 public:
  PrometheusServer(const std::filesystem::path& dir, uint16_t target_port) : dir_(dir), port_(free_port()) {
    std::filesystem::create_directories(dir_ / "data");
    std::ofstream(dir_ / "prometheus.yml") << "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                                           << "scrape_configs:\n  - job_name: latchkey\n    static_configs:\n"
                                           << "      - targets: ['127.0.0.1:" << target_port << "']\n";
    pid_ = ::fork();
    if (pid_ == 0) {
      const int log = ::open((dir_ / "prometheus.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(log, 1);
      ::dup2(log, 2);
      const std::string config = "--config.file=" + (dir_ / "prometheus.yml").string();
      const std::string storage = "--storage.tsdb.path=" + (dir_ / "data").string();
      const std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port_);
      ::execl("/usr/bin/prometheus", "prometheus", config.c_str(), storage.c_str(), listen.c_str(), nullptr);
      ::_exit(127);
    }
  }
  ~PrometheusServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::string log() const {
    std::ifstream in(dir_ / "prometheus.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::filesystem::path dir_;
  uint16_t port_;
  pid_t pid_ = -1;
};

class AuthMetrics : public AuthFixture {
 protected:
  std::string metrics() {
    const HttpResult result = http.get(url("/metrics"));
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    return result.body;
  }
};

TEST_F(AuthMetrics, CountersMoveWithLoginsRefreshesAndGraceAnswers) {
  start_host(R"({"tokens": {"refresh_reuse_grace_seconds": 10}})");
  add_user("metrics@example.com");
  const std::string before = metrics();
  for (const char* series : {"latchkey_auth_logins_total{result=\"success\"}",
                             "latchkey_auth_logins_total{result=\"invalid_credentials\"}",
                             "latchkey_auth_refreshes_total{result=\"rotated\"}",
                             "latchkey_auth_refreshes_total{result=\"grace\"}"}) {
    EXPECT_EQ(sample(before, series), 0) << series << " is not at 0 before anything happened:\n" << before;
  }

  const HttpResult session = login_ok("metrics@example.com");
  EXPECT_EQ(login("metrics@example.com", "wrong password here").status, 401);
  EXPECT_EQ(login("metrics@example.com", "wrong password again").status, 401);
  const std::string refresh0 = set_cookie(session, "refreshToken")->value;
  ASSERT_EQ(refresh_with_cookie(refresh0).status, 200);  // rotated
  const HttpResult grace = refresh_with_cookie(refresh0);  // the same token again, within the grace window
  ASSERT_EQ(grace.status, 200) << grace.body;
  EXPECT_FALSE(set_cookie(grace, "refreshToken").has_value()) << "a grace answer carries no new refresh token";
  EXPECT_EQ(refresh_with_cookie("not-a-refresh-token").status, 401);  // invalid

  const std::string after = metrics();
  EXPECT_EQ(sample(after, "latchkey_auth_logins_total{result=\"success\"}"), 1) << after;
  EXPECT_EQ(sample(after, "latchkey_auth_logins_total{result=\"invalid_credentials\"}"), 2) << after;
  EXPECT_EQ(sample(after, "latchkey_auth_refreshes_total{result=\"rotated\"}"), 1) << after;
  EXPECT_EQ(sample(after, "latchkey_auth_refreshes_total{result=\"grace\"}"), 1) << after;
  EXPECT_EQ(sample(after, "latchkey_auth_refreshes_total{result=\"invalid\"}"), 1) << after;
  // Three logins hashed (one success, two failures): each one computation.
  EXPECT_GE(sample(after, "latchkey_auth_password_hash_seconds_count"), 3) << after;
  // The host's own series name the route pattern.
  EXPECT_EQ(sample(after, "latchkey_http_requests_total{method=\"POST\",route=\"/api/auth/login\",status=\"401\"}"), 2)
      << after;
  // No label holds the email.
  EXPECT_EQ(after.find("metrics@example.com"), std::string::npos);
}

TEST_F(AuthMetrics, RealOutputPassesPromtool) {
  start_host();
  add_user("promtool@example.com");
  login_ok("promtool@example.com");
  EXPECT_EQ(login("promtool@example.com", "not the password").status, 401);
  const std::filesystem::path file = host.write_file("metrics.txt", metrics());
  const ExitResult check = run_program("/bin/sh", {"-c", "promtool check metrics < '" + file.string() + "'"}, "",
                                       host.dir());
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.out + check.err, "") << "promtool found problems";
}

TEST_F(AuthMetrics, RealPrometheusScrapesTheHost) {
  start_host();
  add_user("scraped@example.com");
  login_ok("scraped@example.com");
  PrometheusServer prometheus(host.dir() / "prometheus", host.port());

  // The first scrape comes within a second or two of Prometheus starting; allow it 60 s on a busy machine.
  HttpResult answer;
  double logins = -1;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    answer = http.get(prometheus.url("/api/v1/query?query=latchkey_auth_logins_total%7Bresult%3D%22success%22%7D"));
    if (answer.status == 200) {
      const rapidjson::Document document = parse_json(answer.body);
      const auto& result = document["data"]["result"];
      if (result.IsArray() && result.Size() == 1) {
        logins = std::stod(result[0]["value"][1].GetString());
        break;
      }
    }
    std::this_thread::sleep_for(500ms);
  }
  EXPECT_EQ(logins, 1) << answer.status << " " << answer.body << "\n" << prometheus.log();
}

TEST_F(AuthMetrics, ClientOutsideAllowGets404) {
  start_host("{}", {}, R"("threads": 4, "metrics": {"allow": ["127.0.0.3/32"]})");
  HttpClient outside;
  outside.bind_to("127.0.0.2");
  const HttpResult refused = outside.get(url("/metrics"));
  EXPECT_TRUE(is_json_error(refused, 404, "not_found")) << refused.status << " " << refused.body;
  EXPECT_EQ(refused.body.find("latchkey_"), std::string::npos);

  HttpClient inside;
  inside.bind_to("127.0.0.3");
  const HttpResult allowed = inside.get(url("/metrics"));
  EXPECT_EQ(allowed.status, 200) << allowed.error;
  EXPECT_NE(allowed.body.find("latchkey_auth_logins_total"), std::string::npos);
}

TEST_F(AuthMetrics, MetricsNullTurnsTheEndpointOff) {
  start_host("{}", {}, R"("threads": 4, "metrics": null)");
  EXPECT_TRUE(is_json_error(http.get(url("/metrics")), 404, "not_found"));
  EXPECT_EQ(http.get(url("/healthz")).status, 200);
}

}  // namespace
}  // namespace latchkey::test::auth
