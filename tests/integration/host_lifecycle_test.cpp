// Through the real binary: --check-config, --listen, plugin refusal and init failure, signals.
#include "host_test_support.h"

#include <signal.h>

#include <thread>

namespace latchkey::test {
namespace {

class HostLifecycle : public ::testing::Test {
 protected:
  ExitResult check_config(const std::string& config) {
    host.write_config(config);
    return host.run_to_exit({"--config", host.config_path().string(), "--check-config"});
  }
  ExitResult serve_until_exit(const std::string& config) {
    host.write_config(config);
    return host.run_to_exit({"--config", host.config_path().string(), "--listen", "127.0.0.1:0"});
  }
  // stderr holds one line with the config file, the pointer and the reason.
  ::testing::AssertionResult names_file_pointer_reason(const ExitResult& result, const std::string& pointer,
                                                       const std::string& reason) {
    const std::string expected = host.config_path().string() + ": " + pointer + ": ";
    std::istringstream lines(result.err);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(expected, 0) == 0 && line.find(reason) != std::string::npos)
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "no line '" << expected << "...' with '" << reason << "' in:\n"
                                         << result.err;
  }

  HostProcess host{kHostBinary};
  HttpClient http;
};

TEST_F(HostLifecycle, CheckConfigExitsZeroOnGoodConfig) {
  std::vector<std::string> plugins = {plugin_entry("test", kTestPlugin, R"({"bad": false})")};
  plugins.push_back(plugin_entry("hello", kHelloPlugin));
  const ExitResult result = check_config(host_config(R"("listen": "127.0.0.1:0", "threads": 2)", plugins));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("ok"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("listening on"), std::string::npos) << "--check-config must not serve";
}

TEST_F(HostLifecycle, CheckConfigNamesUnknownKey) {
  const ExitResult result = check_config(host_config(R"("threads": 2, "theads": 2)", {}));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_TRUE(names_file_pointer_reason(result, "/theads", "unknown key"));
}

TEST_F(HostLifecycle, CheckConfigNamesMissingPluginFile) {
  const ExitResult result = check_config(host_config("", {plugin_entry("gone", "no/such/libgone.so")}));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_TRUE(names_file_pointer_reason(result, "/plugins/0/path", "no such file"));
}

TEST_F(HostLifecycle, CheckConfigNamesMissingEnvVar) {
  const ExitResult result = check_config(
      host_config("", {plugin_entry("test", kTestPlugin, R"({"secret": "${LATCHKEY_TEST_NEVER_SET_VAR}"})")}));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_TRUE(names_file_pointer_reason(result, "/plugins/0/config/secret", "LATCHKEY_TEST_NEVER_SET_VAR"));
}

TEST_F(HostLifecycle, CheckConfigSubstitutesEnvVarFromEnvironment) {
  host.set_env("LATCHKEY_TEST_LISTEN", "127.0.0.1:0");
  const ExitResult result = check_config(R"({"listen": "${LATCHKEY_TEST_LISTEN}"})");
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(HostLifecycle, CheckConfigNamesPluginsOwnConfigError) {
  const ExitResult result = check_config(host_config("", {plugin_entry("test", kTestPlugin, R"({"bad": true})")}));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_TRUE(names_file_pointer_reason(result, "/plugins/0/config/bad", "refuses bad: true"));
}

TEST_F(HostLifecycle, CheckConfigRefusesWrongAbiPlugin) {
  const ExitResult result = check_config(host_config("", {plugin_entry("wrong_major_plugin", kWrongMajorPlugin)}));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("wrong_major_plugin"), std::string::npos) << result.err;
}

TEST_F(HostLifecycle, ListenOverrideReplacesConfigAddress) {
  // 203.0.113.1 (TEST-NET-3) is not an address of this machine: serving there would fail.
  host.write_config(host_config(R"("listen": "203.0.113.1:80", "threads": 2)", {plugin_entry("test", kTestPlugin)}));
  ASSERT_TRUE(host.start()) << host.last_error();
  EXPECT_EQ(host.base_url().rfind("http://127.0.0.1:", 0), 0u) << host.base_url();
  EXPECT_NE(host.base_url(), "http://127.0.0.1:0");  // the real port
  EXPECT_EQ(http.get(host.url("/test/fast")).status, 200);
}

TEST_F(HostLifecycle, ConfigListenWithPortZeroPrintsRealPort) {
  host.write_config(host_config(R"("listen": "127.0.0.1:0", "threads": 2)", {plugin_entry("test", kTestPlugin)}));
  ASSERT_TRUE(host.start({}, /*override_listen=*/false)) << host.last_error();
  EXPECT_NE(host.base_url(), "http://127.0.0.1:0");
  EXPECT_EQ(http.get(host.url("/test/fast")).status, 200);
}

TEST_F(HostLifecycle, UnusableConfigAddressWithoutOverrideExitsNonZero) {
  host.write_config(host_config(R"("listen": "203.0.113.1:80")", {}));
  const ExitResult result = host.run_to_exit({"--config", host.config_path().string()});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("cannot listen"), std::string::npos) << result.err;
}

TEST_F(HostLifecycle, BadListenArgumentExitsNonZero) {
  host.write_config("{}");
  const ExitResult result = host.run_to_exit({"--config", host.config_path().string(), "--listen", "nonsense"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("--listen"), std::string::npos) << result.err;
}

TEST_F(HostLifecycle, PluginOfAnotherAbiMajorIsRefusedByName) {
  const ExitResult result = serve_until_exit(host_config("", {plugin_entry("wrong_major_plugin", kWrongMajorPlugin)}));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("wrong_major_plugin"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("another major"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("WRONG_ABI_INIT_CALLED"), std::string::npos) << "init ran before the magic check";
  EXPECT_EQ(result.out.find("listening on"), std::string::npos);
}

TEST_F(HostLifecycle, PluginOfANewerAbiMinorIsRefusedByName) {
  const ExitResult result =
      serve_until_exit(host_config("", {plugin_entry("newer_minor_plugin", kNewerMinorPlugin)}));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("newer_minor_plugin"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("newer than this host"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("WRONG_ABI_INIT_CALLED"), std::string::npos) << "init ran before the magic check";
  EXPECT_EQ(result.out.find("listening on"), std::string::npos);
}

TEST_F(HostLifecycle, FailingInitExitsNonZeroNamingPluginAndPointer) {
  const ExitResult result =
      serve_until_exit(host_config("", {plugin_entry("failing_test", kTestPlugin, R"({"fail_init": true})")}));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("failing_test"), std::string::npos) << result.err;
  EXPECT_TRUE(names_file_pointer_reason(result, "/plugins/0/config/fail_init", "asked to fail"));
  EXPECT_EQ(result.out.find("listening on"), std::string::npos);
}

// Sends signal while a 500 ms request is in flight: it completes, the host exits 0, destroy ran.
void expect_graceful_stop(HostProcess& host, HttpClient& http, int signal) {
  host.write_config(host_config(R"("threads": 2)", {plugin_entry("test", kTestPlugin)}));
  ASSERT_TRUE(host.start()) << host.last_error();
  HttpResult in_flight;
  std::thread request([&] {
    HttpClient client;
    in_flight = client.get(host.url("/test/sleep?ms=500"));
  });
  const bool sleeping = wait_until([&] { return sleeping_now(http, host) == 1; }, 2s);
  if (sleeping) host.send_signal(signal);
  request.join();
  ASSERT_TRUE(sleeping) << "the request never reached its handler";

  EXPECT_EQ(in_flight.status, 200) << in_flight.error;
  EXPECT_EQ(in_flight.body, R"({"slept_ms":500})");
  const std::optional<int> code = host.wait_exit(15s);
  ASSERT_TRUE(code) << "the host did not exit";
  EXPECT_EQ(*code, 0) << host.stderr_text();
  EXPECT_NE(host.stderr_text().find("test plugin destroyed"), std::string::npos) << host.stderr_text();
}

TEST_F(HostLifecycle, SigtermFinishesInFlightRequestDestroysPluginsAndExitsZero) {
  expect_graceful_stop(host, http, SIGTERM);
}

TEST_F(HostLifecycle, SigintFinishesInFlightRequestDestroysPluginsAndExitsZero) {
  expect_graceful_stop(host, http, SIGINT);
}

TEST_F(HostLifecycle, SigtermWithNothingInFlightExitsZeroPromptly) {
  host.write_config(host_config(R"("threads": 2)", {plugin_entry("test", kTestPlugin)}));
  ASSERT_TRUE(host.start()) << host.last_error();
  host.send_signal(SIGTERM);
  const std::optional<int> code = host.wait_exit(3s);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 0);
  EXPECT_NE(host.stderr_text().find("test plugin destroyed"), std::string::npos);
}

}  // namespace
}  // namespace latchkey::test
