// latchkey/plugin.hpp through the real host: sdk_test_plugin.cpp, built as C++17 and as C++20,
// loaded by the latchkey binary and driven over HTTP. What the C++ layer promises: accessors,
// the principal, routes public or protected or with roles, filters, exceptions answered 500 with
// the host staying up, suspended requests (also dropped ones), config errors, logging, and
// nothing exported but the entry points.
#include "support/host_process.h"
#include "support/http_client.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace latchkey::test {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document json;
  json.Parse(text.c_str(), text.size());
  return json;
}

std::string member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name)) return "<absent>";
  if (object[name].IsNull()) return "<null>";
  return object[name].IsString() ? object[name].GetString() : "<not a string>";
}

// The host's own error body: {"error": code, "message": ...} as JSON.
::testing::AssertionResult is_host_error(const HttpResult& result, long status, const std::string& code) {
  const rapidjson::Document json = parse(result.body);
  if (result.status != status || member(json, "error") != code || !json.HasMember("message") ||
      result.header("Content-Type").rfind("application/json", 0) != 0)
    return ::testing::AssertionFailure() << "status " << result.status << ", body " << result.body;
  return ::testing::AssertionSuccess();
}

// The parameter: the plugin built as C++17 or as C++20.
class Sdk : public ::testing::TestWithParam<const char*> {
 protected:
  std::string config(const std::string& plugin_config) const {
    return R"({"threads": 2, "plugins": [{"name": "sdk", "path": ")" + std::string(GetParam()) +
           R"(", "config": )" + plugin_config + "}]}";
  }
  void start(const std::string& plugin_config = R"({"greeting": "hi"})") {
    host.write_config(config(plugin_config));
    ASSERT_TRUE(host.start()) << host.last_error() << host.stderr_text();
  }
  Headers user(const std::string& value) const { return {{"X-Sdk-User", value}}; }

  HostProcess host{LATCHKEY_HOST_BINARY};
  HttpClient http;
};

TEST_P(Sdk, PublicRouteAnswersAnonymousCallersWithTheConfiguredGreeting) {
  start();
  const HttpResult anonymous = http.get(host.url("/sdk/public"));
  EXPECT_EQ(anonymous.status, 200);
  EXPECT_EQ(anonymous.body, "hi, world");
  EXPECT_EQ(anonymous.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(http.get(host.url("/sdk/public"), user("alice")).body, "hi, alice") << "a principal on a public route";
  EXPECT_TRUE(host.wait_for_stderr("info [sdk] ready, greeting hi"));
}

TEST_P(Sdk, ProtectedRouteIsProtectedByDefaultAndReadsThePrincipal) {
  start();
  EXPECT_TRUE(is_host_error(http.get(host.url("/sdk/me")), 401, "invalid_token"));
  const HttpResult me = http.get(host.url("/sdk/me"), user("alice;editor,admin"));
  ASSERT_EQ(me.status, 200) << me.body;
  const rapidjson::Document json = parse(me.body);
  EXPECT_EQ(member(json, "subject"), "alice");
  EXPECT_EQ(member(json, "session_id"), "sid-alice");
  ASSERT_TRUE(json.HasMember("roles") && json["roles"].IsArray()) << me.body;
  ASSERT_EQ(json["roles"].Size(), 2u);
  EXPECT_STREQ(json["roles"][0].GetString(), "editor");
  EXPECT_STREQ(json["roles"][1].GetString(), "admin");
  EXPECT_EQ(member(json["claims"], "sub"), "alice");
  EXPECT_TRUE(json["is_admin"].IsTrue());
  EXPECT_TRUE(parse(http.get(host.url("/sdk/me"), user("bob;editor")).body)["is_admin"].IsFalse());
}

TEST_P(Sdk, RouteRolesAreEnforcedByTheHost) {
  start();
  EXPECT_TRUE(is_host_error(http.get(host.url("/sdk/admin")), 401, "invalid_token"));
  EXPECT_TRUE(is_host_error(http.get(host.url("/sdk/admin"), user("bob;editor")), 403, "insufficient_role"));
  const HttpResult admin = http.get(host.url("/sdk/admin"), user("carol;admin"));
  EXPECT_EQ(admin.status, 200);
  EXPECT_EQ(member(parse(admin.body), "admin"), "carol");
}

TEST_P(Sdk, HandlerSeesParamQueryHeaderCookieBodyAndAbsentOnesAsNull) {
  start();
  const HttpResult got = http.get(host.url("/sdk/items/a%20b?q=x%20y"), {{"X-Probe", "probe"}, {"Cookie", "c=crumb; d=2"}});
  ASSERT_EQ(got.status, 200) << got.body;
  rapidjson::Document json = parse(got.body);
  EXPECT_EQ(member(json, "method"), "GET");
  EXPECT_EQ(member(json, "path"), "/sdk/items/a%20b");
  EXPECT_EQ(member(json, "id"), "a b");
  EXPECT_EQ(member(json, "q"), "x y");
  EXPECT_EQ(member(json, "missing"), "<null>");
  EXPECT_EQ(member(json, "probe"), "probe");
  EXPECT_EQ(member(json, "cookie"), "crumb");
  EXPECT_EQ(member(json, "remote"), "127.0.0.1");
  EXPECT_EQ(member(json, "origin"), host.base_url());
  EXPECT_TRUE(json["public"].IsTrue());

  const std::string body = R"({"text":"é"})";
  json = parse(http.post(host.url("/sdk/echo"), body, {{"Content-Type", "application/json"}}).body);
  EXPECT_EQ(member(json, "method"), "POST");
  EXPECT_EQ(member(json, "body"), body);
  EXPECT_EQ(member(json, "id"), "<null>");
  EXPECT_EQ(member(json, "probe"), "<null>");
  EXPECT_EQ(member(json, "cookie"), "<null>");
}

TEST_P(Sdk, ThrowingHandlerIsAnswered500AndTheHostStaysUp) {
  start();
  for (int round = 0; round < 3; ++round) {  // more throws than the pool has workers
    const HttpResult thrown = http.get(host.url("/sdk/throw"));
    EXPECT_TRUE(is_host_error(thrown, 500, "internal_error"));
    EXPECT_EQ(thrown.body.find("half written"), std::string::npos) << "what the handler wrote is discarded";
    EXPECT_TRUE(is_host_error(http.get(host.url("/sdk/throw-int")), 500, "internal_error"));
  }
  EXPECT_TRUE(host.wait_for_stderr("error [sdk] GET /sdk/throw threw: sdk test: thrown on purpose"));
  EXPECT_TRUE(host.wait_for_stderr("GET /sdk/throw-int threw: an exception not derived from std::exception"));
  EXPECT_TRUE(host.running());
  EXPECT_EQ(http.get(host.url("/sdk/public")).body, "hi, world");
}

TEST_P(Sdk, HostRefusalBecomesAnErrorAnswered500) {
  start();
  EXPECT_TRUE(is_host_error(http.get(host.url("/sdk/bad-header")), 500, "internal_error"));
  EXPECT_TRUE(host.wait_for_stderr("GET /sdk/bad-header threw: latchkey: response_set_header returned -1"));
}

TEST_P(Sdk, FilterRespondsItselfAndOnlyTheAuthenticateStageSetsAPrincipal) {
  start();
  const HttpResult teapot = http.get(host.url("/sdk/public"), {{"X-Sdk-Teapot", "1"}});
  EXPECT_EQ(teapot.status, 418);
  EXPECT_EQ(teapot.body, R"({"filter":"teapot"})");
  const HttpResult stage = http.get(host.url("/sdk/stage"));
  EXPECT_EQ(stage.body, R"({"set_principal_status":-3})") << "LK_ERR_WRONG_STAGE, thrown as latchkey::Error";
}

TEST_P(Sdk, SuspendedHandlerIsCompletedFromThePluginsThread) {
  start();
  const HttpResult done = http.get(host.url("/sdk/async?ms=30"));
  ASSERT_EQ(done.status, 200) << done.body;
  const rapidjson::Document json = parse(done.body);
  EXPECT_TRUE(json["async"].IsTrue());
  EXPECT_TRUE(json["thread_differs"].IsTrue());
}

TEST_P(Sdk, SuspendedFilterContinuesOrResponds) {
  start();
  const HttpResult continued = http.get(host.url("/sdk/public"), {{"X-Sdk-Async-Filter", "continue"}});
  EXPECT_EQ(continued.status, 200);
  EXPECT_EQ(continued.body, "hi, world");
  const HttpResult responded = http.get(host.url("/sdk/public"), {{"X-Sdk-Async-Filter", "respond"}});
  EXPECT_EQ(responded.status, 202);
  EXPECT_EQ(responded.body, R"({"filter":"async"})");
}

TEST_P(Sdk, SuspensionDroppedUncompletedIsAnswered500) {
  start();
  EXPECT_TRUE(is_host_error(http.get(host.url("/sdk/async-dropped")), 500, "internal_error"));
  EXPECT_TRUE(is_host_error(http.get(host.url("/sdk/async-throw")), 500, "internal_error"));
  EXPECT_TRUE(host.wait_for_stderr("a suspended request was dropped without completing"));
  EXPECT_EQ(http.get(host.url("/sdk/public")).status, 200);
}

TEST_P(Sdk, DestroyRunsAfterTheLastRequestOnShutdown) {
  start();
  ASSERT_EQ(http.get(host.url("/sdk/async?ms=1")).status, 200);
  ASSERT_EQ(http.get(host.url("/sdk/async?ms=1")).status, 200);
  host.send_signal(SIGTERM);
  EXPECT_EQ(host.wait_exit(), 0);
  EXPECT_NE(host.stderr_text().find("info [sdk] stopped after 2 suspensions"), std::string::npos) << host.stderr_text();
}

TEST_P(Sdk, ConfigErrorsAreReportedAtTheirPointerAndRefuseThePlugin) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"greeting": "hi", "colour": "red"})", "/plugins/0/config/colour"},
      {R"({"greeting": 5})", "/plugins/0/config/greeting"},
      {R"([1])", "/plugins/0/config"},
  };
  for (const auto& [plugin_config, pointer] : bad) {
    host.write_config(config(plugin_config));
    const ExitResult checked = host.run_to_exit({"--config", host.config_path().string(), "--check-config"});
    EXPECT_NE(checked.exit_code, 0) << plugin_config;
    EXPECT_NE(checked.err.find(pointer), std::string::npos) << checked.err;
    EXPECT_FALSE(host.start()) << plugin_config;
  }
  host.write_config(config(R"({"greeting": "hi"})"));
  EXPECT_EQ(host.run_to_exit({"--config", host.config_path().string(), "--check-config"}).exit_code, 0);
}

TEST_P(Sdk, ExceptionInTheConstructorFailsInitWithItsReasonLogged) {
  const std::vector<std::pair<std::string, std::string>> failing = {
      {R"({"fail": "throw"})", "error [sdk] init failed: sdk test: init refused"},
      {R"({"fail": "duplicate"})", "error [sdk] init failed: latchkey: register_route returned -1"},
  };
  for (const auto& [plugin_config, logged] : failing) {
    host.write_config(config(plugin_config));
    EXPECT_FALSE(host.start()) << plugin_config;
    EXPECT_NE(host.stderr_text().find(logged), std::string::npos) << host.stderr_text();
    EXPECT_NE(host.stderr_text().find("init failed with status"), std::string::npos) << "the host names the plugin";
  }
}

// Only lk_plugin_magic, lk_plugin_init and lk_plugin_check_config leave the plugin: nothing of
// plugin.hpp or the plugin's class (the standard library's own weak symbols are not ours).
TEST_P(Sdk, ExportsOnlyTheEntryPoints) {
  const std::string command = "nm -D --defined-only -C '" + std::string(GetParam()) + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> nm(popen(command.c_str(), "r"), pclose);
  ASSERT_TRUE(nm);
  std::set<std::string> entry_points;
  std::vector<std::string> leaked;
  char line[4096];
  while (std::fgets(line, sizeof line, nm.get())) {
    const std::string symbol = std::string(line).substr(std::min<size_t>(19, std::string(line).size()));
    const std::string name = symbol.substr(0, symbol.find('\n'));
    if (name.rfind("lk_", 0) == 0) entry_points.insert(name);
    if (name.find("latchkey") != std::string::npos || name.find("SdkPlugin") != std::string::npos) leaked.push_back(name);
  }
  EXPECT_EQ(entry_points, (std::set<std::string>{"lk_plugin_check_config", "lk_plugin_init", "lk_plugin_magic"}));
  EXPECT_TRUE(leaked.empty()) << leaked.front();
}

// Named Cxx17/Sdk.<test>/plugin: the path of the plugin stays out of the name.
std::string plugin_name(const ::testing::TestParamInfo<const char*>&) { return "plugin"; }
TEST_P(Sdk, MetricsReadinessAndEventsReachTheHost) {
  start();
  EXPECT_EQ(http.get(host.url("/sdk/count?kind=a")).body, R"({"status":0})");
  EXPECT_EQ(http.get(host.url("/sdk/count?kind=a")).body, R"({"status":0})");
  // -1: LK_ERR_INVALID_ARGUMENT (this test does not include plugin.h)
  EXPECT_EQ(http.get(host.url("/sdk/bad-metric")).body, "{\"status\":" + std::to_string(-1) + "}");
  const HttpResult metrics = http.get(host.url("/metrics"));
  EXPECT_NE(metrics.body.find("sdk_calls_total{kind=\"a\"} 2\n"), std::string::npos) << metrics.body;

  EXPECT_EQ(http.get(host.url("/readyz")).status, 200);
  ASSERT_EQ(http.post(host.url("/sdk/ready?down=1"), "").status, 200);
  const HttpResult down = http.get(host.url("/readyz"));
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.body, R"({"status":"not_ready","plugins":{"sdk":"sdk test says down"}})");
  ASSERT_EQ(http.post(host.url("/sdk/ready"), "").status, 200);
  EXPECT_EQ(http.get(host.url("/readyz")).status, 200);

  // A subscriber that throws is logged; the next event still arrives.
  EXPECT_EQ(http.post(host.url("/sdk/publish/sdk.boom"), "{}").body, R"({"status":0})");
  EXPECT_EQ(http.post(host.url("/sdk/publish/sdk.ping"), R"({"n":1})").body, R"({"status":0})");
  EXPECT_EQ(http.post(host.url("/sdk/publish/sdk.ping"), "not json").body,
            "{\"status\":" + std::to_string(-1) + "}");
  std::string last;
  for (int i = 0; i < 100 && (last = http.get(host.url("/sdk/last-event")).body) != R"({"n":1})"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(last, R"({"n":1})");
  EXPECT_TRUE(host.wait_for_stderr("event subscriber threw: sdk test: boom")) << host.stderr_text();
}

INSTANTIATE_TEST_SUITE_P(Cxx17, Sdk, ::testing::Values(LATCHKEY_SDK_PLUGIN_CXX17), plugin_name);
INSTANTIATE_TEST_SUITE_P(Cxx20, Sdk, ::testing::Values(LATCHKEY_SDK_PLUGIN_CXX20), plugin_name);

}  // namespace
}  // namespace latchkey::test
