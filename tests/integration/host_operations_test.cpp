// Through the real host: its own endpoints (CONTRACT §9) — /healthz, /readyz driven by a plugin's
// readiness check, /metrics with the plugin's and the host's series (checked by promtool), who may
// read it (metrics.allow, "metrics": null) — and the ABI 1.2 metric calls a plugin makes.
#include "host_test_support.h"
#include "promtool_check.h"

namespace latchkey::test {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

class HostOperations : public HostTest {
 protected:
  // Scrapes until the exposition holds line: the host records a request's series just after
  // answering it, so the client may be a little ahead.
  ::testing::AssertionResult metrics_eventually_show(const std::string& line) {
    std::string last;
    const bool shown = wait_until(
        [&] {
          last = http.get(url("/metrics")).body;
          return has_line(last, line);
        },
        5s);
    if (shown) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "no line '" << line << "' in:\n" << last;
  }
};

TEST_F(HostOperations, HealthzAnswersOk) {
  start_host();
  const HttpResult result = http.get(url("/healthz"));
  ASSERT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, R"({"status":"ok"})");
  EXPECT_EQ(result.header("Content-Type").rfind("application/json", 0), 0u);
}

TEST_F(HostOperations, ReadyzFollowsThePluginsCheckWithoutARestart) {
  start_host();
  const HttpResult ready = http.get(url("/readyz"));
  EXPECT_EQ(ready.status, 200) << ready.error;
  EXPECT_EQ(ready.body, R"({"status":"ready"})");

  ASSERT_EQ(http.get(url("/test/ready?ready=0")).status, 200);
  const HttpResult not_ready = http.get(url("/readyz"));
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(not_ready.body, R"({"status":"not_ready","plugins":{"test":"switched off by a test route"}})");
  EXPECT_EQ(http.get(url("/healthz")).status, 200) << "not ready is still live";

  ASSERT_EQ(http.get(url("/test/ready?ready=1")).status, 200);
  const HttpResult again = http.get(url("/readyz"));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"status":"ready"})");
}

TEST_F(HostOperations, ProbesStayOutOfTheAccessLog) {
  start_host(R"("threads": 1)");  // one worker: the probes' answers are done before /test/fast runs
  ASSERT_EQ(http.get(url("/healthz")).status, 200);
  ASSERT_EQ(http.get(url("/readyz")).status, 200);
  ASSERT_EQ(http.get(url("/test/fast")).status, 200);
  ASSERT_TRUE(host.wait_for_stderr("GET /test/fast 200")) << host.stderr_text();
  EXPECT_EQ(host.stderr_text().find("/healthz"), std::string::npos) << host.stderr_text();
  EXPECT_EQ(host.stderr_text().find("/readyz"), std::string::npos) << host.stderr_text();
}

TEST_F(HostOperations, MetricsShowThePluginsSeriesAndRequestsByRoutePattern) {
  start_host();
  ASSERT_EQ(http.get(url("/test/metrics/record?value=0.3")).body, R"({"counter":0,"gauge":0,"histogram":0})");
  ASSERT_EQ(http.get(url("/test/metrics/record?value=7")).status, 200);
  ASSERT_EQ(http.get(url("/test/items/42")).status, 200);
  ASSERT_EQ(http.get(url("/test/items/43")).status, 200);
  ASSERT_EQ(http.get(url("/no/such/route")).status, 404);

  EXPECT_TRUE(metrics_eventually_show(R"(latchkey_http_requests_total{method="GET",route="/test/items/:id",status="200"} 2)"));
  EXPECT_TRUE(metrics_eventually_show(R"(latchkey_http_requests_total{method="GET",route="unmatched",status="404"} 1)"));
  // Only the scrape itself, once the earlier requests have ended (just after their answers).
  EXPECT_TRUE(metrics_eventually_show("latchkey_http_in_flight 1"));
  const HttpResult scrape = http.get(url("/metrics"));
  ASSERT_EQ(scrape.status, 200);
  EXPECT_EQ(scrape.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = scrape.body;
  EXPECT_EQ(text.find("/test/items/42"), std::string::npos) << "a raw path became a label";
  EXPECT_EQ(text.find("/no/such/route"), std::string::npos) << "a raw path became a label";
  EXPECT_TRUE(has_line(text, R"(test_plugin_calls_total{kind="handler"} 2)")) << text;
  EXPECT_TRUE(has_line(text, "test_plugin_level 7")) << text;
  EXPECT_TRUE(has_line(text, "test_plugin_work_seconds_count 2")) << text;
  EXPECT_TRUE(has_line(text, R"(test_plugin_work_seconds_bucket{le="0.5"} 1)")) << text;
  EXPECT_TRUE(has_line(text, "test_plugin_inits_total 1")) << "a metric from init: " << text;
  EXPECT_TRUE(has_line(text, "# TYPE latchkey_http_request_duration_seconds histogram")) << text;
  EXPECT_NE(text.find("\nlatchkey_worker_queue_depth "), std::string::npos) << text;
}

TEST_F(HostOperations, RealMetricsPassPromtool) {
  start_host();
  for (const char* path : {"/test/metrics/record?value=0.02", "/test/items/1", "/test/metrics/misuse", "/nothing",
                           "/readyz", "/healthz", "/test/throw"})
    http.get(url(path));
  ASSERT_TRUE(metrics_eventually_show(R"(latchkey_http_requests_total{method="GET",route="/test/throw",status="500"} 1)"));
  const std::string text = http.get(url("/metrics")).body;
  const PromtoolResult checked = promtool_check_metrics(text);
  EXPECT_EQ(checked.exit_code, 0) << checked.output << "\n--- /metrics:\n" << text;
  EXPECT_EQ(checked.output, "") << "promtool lint findings\n--- /metrics:\n" << text;
}

TEST_F(HostOperations, MetricsFromOutsideAllowAreNotFound) {
  start_host(R"("threads": 2, "metrics": {"allow": ["127.0.0.3/32"]})");
  HttpClient outsider;
  outsider.bind_to("127.0.0.2");
  EXPECT_EQ(string_member(parse_json(outsider.post(url("/test/echo"), "").body), "remote"), "127.0.0.2")
      << "the client is not bound where the test thinks";
  EXPECT_TRUE(is_json_error(outsider.get(url("/metrics")), 404, "not_found"));
  EXPECT_TRUE(is_json_error(http.get(url("/metrics")), 404, "not_found")) << "loopback is not in allow any more";
}

TEST_F(HostOperations, MetricsFromAnAllowedClientAnswer) {
  start_host(R"("threads": 2, "metrics": {"allow": ["127.0.0.2/32"]})");
  HttpClient allowed;
  allowed.bind_to("127.0.0.2");
  const HttpResult result = allowed.get(url("/metrics"));
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_NE(result.body.find("# TYPE latchkey_http_in_flight gauge"), std::string::npos) << result.body;
  EXPECT_TRUE(is_json_error(http.get(url("/metrics")), 404, "not_found")) << "127.0.0.1 is not 127.0.0.2/32";
}

TEST_F(HostOperations, AnIpv6LoopbackClientIsAllowedByDefault) {
  host.write_config(host_config(R"("listen": "[::1]:0", "threads": 2)", {plugin_entry("test", kTestPlugin)}));
  ASSERT_TRUE(host.start({}, /*override_listen=*/false)) << host.last_error();
  const std::string v6 = "http://[::1]:" + std::to_string(host.port());
  EXPECT_EQ(string_member(parse_json(http.post(v6 + "/test/echo", "").body), "remote"), "::1");
  EXPECT_EQ(http.get(v6 + "/metrics").status, 200);
}

TEST_F(HostOperations, OnADualStackListenerIpv4ClientsMatchAsIpv4) {
  // Listening on [::], an IPv4 client's address is the mapped ::ffff:127.0.0.2.
  host.write_config(host_config(R"("listen": "[::]:0", "threads": 2, "metrics": {"allow": ["127.0.0.2/32"]})",
                                {plugin_entry("test", kTestPlugin)}));
  ASSERT_TRUE(host.start({}, /*override_listen=*/false)) << host.last_error();
  const std::string v4 = "http://127.0.0.1:" + std::to_string(host.port());
  HttpClient allowed;
  allowed.bind_to("127.0.0.2");
  EXPECT_EQ(string_member(parse_json(allowed.post(v4 + "/test/echo", "").body), "remote"), "::ffff:127.0.0.2");
  EXPECT_EQ(allowed.get(v4 + "/metrics").status, 200);
  EXPECT_TRUE(is_json_error(http.get(v4 + "/metrics"), 404, "not_found"));
}

TEST_F(HostOperations, MetricsNullTurnsTheEndpointOff) {
  start_host(R"("threads": 2, "metrics": null)");
  EXPECT_TRUE(is_json_error(http.get(url("/metrics")), 404, "not_found"));
  EXPECT_EQ(http.get(url("/healthz")).status, 200);
}

TEST_F(HostOperations, ConfiguredPathsReplaceTheDefaults) {
  start_host(R"("threads": 2, "metrics": {"path": "/ops/metrics"}, "health": {"live": "/ops/live", "ready": "/ops/ready"})");
  EXPECT_EQ(http.get(url("/ops/metrics")).status, 200);
  EXPECT_EQ(http.get(url("/ops/live")).body, R"({"status":"ok"})");
  EXPECT_EQ(http.get(url("/ops/ready")).body, R"({"status":"ready"})");
  for (const char* old : {"/metrics", "/healthz", "/readyz"}) EXPECT_EQ(http.get(url(old)).status, 404) << old;
}

TEST_F(HostOperations, MetricCallsWithBadNamesOrValuesAreInvalidArguments) {
  start_host();
  const HttpResult result = http.get(url("/test/metrics/misuse"));
  ASSERT_EQ(result.status, 200) << result.body;
  const rapidjson::Document statuses = parse_json(result.body);
  ASSERT_TRUE(statuses.IsObject()) << result.body;
  EXPECT_EQ(int_member(statuses, "made_counter"), LK_OK) << result.body;
  for (const char* call : {"bad_metric_name", "empty_metric_name", "reserved_label_name", "nine_labels",
                           "invalid_utf8_label_value", "negative_counter", "other_type", "labels_null"})
    EXPECT_EQ(int_member(statuses, call), LK_ERR_INVALID_ARGUMENT) << call << " in " << result.body;
}

}  // namespace
}  // namespace latchkey::test
