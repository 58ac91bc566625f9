// Through the real host: ABI 1.2 events between plugins. The test plugin publishes
// (/test/publish), event_listener_plugin instances subscribe; a subscriber that throws or sleeps
// never delays or fails the request that published.
#include "host_test_support.h"

#include <signal.h>

#include <chrono>

namespace latchkey::test {
namespace {

std::string listener_entry(const std::string& name, const std::string& prefix, const std::string& behaviour) {
  return plugin_entry(name, kEventListenerPlugin,
                      R"({"prefix": ")" + prefix + R"(", "event": "test.published", "behaviour": ")" + behaviour + R"("})");
}

class HostEvents : public HostTest {
 protected:
  // GET <prefix>/events, parsed.
  rapidjson::Document received(const std::string& prefix) { return parse_json(http.get(url(prefix + "/events")).body); }
  size_t received_count(const std::string& prefix) {
    const rapidjson::Document seen = received(prefix);
    return seen.IsObject() && seen.HasMember("events") ? seen["events"].Size() : 0;
  }
};

TEST_F(HostEvents, AnEventReachesAnotherPluginsSubscriberOnAWorkerInOrder) {
  // One worker: a delivery on a worker runs on the thread that ran the publishing handler.
  start_host(R"("threads": 1)", {plugin_entry("test", kTestPlugin), listener_entry("listener", "/listener", "record")});
  std::vector<int64_t> handler_tids;
  for (const char* id : {"first", "second", "third"}) {
    const rapidjson::Document published = parse_json(http.get(url(std::string("/test/publish?id=") + id)).body);
    ASSERT_EQ(int_member(published, "status"), LK_OK);
    handler_tids.push_back(int_member(published, "tid"));
  }
  ASSERT_TRUE(wait_until([&] { return received_count("/listener") == 3; }, 5s)) << received_count("/listener");

  const rapidjson::Document seen = received("/listener");
  const int64_t main_tid = int_member(seen, "main_tid");
  const char* ids[] = {"first", "second", "third"};
  for (rapidjson::SizeType i = 0; i < 3; ++i) {
    const rapidjson::Value& event = seen["events"][i];
    EXPECT_EQ(string_member(event, "name"), "test.published");
    const rapidjson::Document json = parse_json(string_member(event, "json"));
    EXPECT_EQ(string_member(json, "id"), ids[i]) << "delivered out of order";
    EXPECT_EQ(int_member(event, "tid"), handler_tids[i]) << "not delivered on the one worker";
    EXPECT_NE(int_member(event, "tid"), main_tid) << "delivered on the main thread";
  }
}

TEST_F(HostEvents, SubscribersThatSleepOrThrowNeitherDelayNorFailThePublisher) {
  start_host(R"("threads": 4)", {plugin_entry("test", kTestPlugin), listener_entry("sleeper", "/sleeper", "sleep"),
                                 listener_entry("thrower", "/thrower", "throw"),
                                 listener_entry("recorder", "/recorder", "record")});
  constexpr auto kSubscriberSleep = std::chrono::seconds(2);
  for (const char* id : {"one", "two"}) {
    const auto started = std::chrono::steady_clock::now();
    const HttpResult published = http.get(url(std::string("/test/publish?id=") + id));
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_EQ(published.status, 200) << published.error;
    EXPECT_EQ(int_member(parse_json(published.body), "status"), LK_OK) << published.body;
    EXPECT_LT(took, kSubscriberSleep / 2) << "the publisher waited for the sleeping subscriber";
  }
  // Each event holds its delivery 2 s in the sleeper, then the thrower throws, then the recorder records.
  ASSERT_TRUE(wait_until([&] { return received_count("/recorder") == 2; }, 10s)) << received_count("/recorder");
  EXPECT_EQ(received_count("/thrower"), 2u);
  EXPECT_EQ(received_count("/sleeper"), 2u);
  const std::string metrics = http.get(url("/metrics")).body;
  EXPECT_NE(metrics.find("\nlatchkey_event_subscriber_failures_total 2\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nlatchkey_events_dropped_total 0\n"), std::string::npos) << metrics;
}

TEST_F(HostEvents, EventsQueuedAtShutdownReachSubscribersBeforeTheyAreDestroyed) {
  start_host(R"("threads": 2)", {plugin_entry("test", kTestPlugin), listener_entry("sleeper", "/sleeper", "sleep"),
                                 listener_entry("recorder", "/recorder", "record")});
  // The sleeper holds the delivery 2 s per event: both events are still queued or in delivery at SIGTERM.
  for (const char* id : {"one", "two"}) ASSERT_EQ(http.get(url(std::string("/test/publish?id=") + id)).status, 200);
  host.send_signal(SIGTERM);
  ASSERT_EQ(host.wait_exit(15s), 0) << host.stderr_text();
  EXPECT_NE(host.stderr_text().find("[recorder] listener destroyed after 2 event(s)"), std::string::npos)
      << host.stderr_text();
}

TEST_F(HostEvents, PublishInsideInitIsWrongStageButMetricsAreAllowed) {
  start_host();
  const rapidjson::Document calls = parse_json(http.get(url("/test/init-calls")).body);
  EXPECT_EQ(int_member(calls, "publish_in_init"), LK_ERR_WRONG_STAGE);
  EXPECT_EQ(int_member(calls, "metric_in_init"), LK_OK);
}

TEST_F(HostEvents, InCheckConfigTheAbi12MembersAreWrongStage) {
  host.write_config(host_config("", {plugin_entry("test", kTestPlugin, R"({"abi12_stages": true})")}));
  const ExitResult result = host.run_to_exit({"--config", host.config_path().string(), "--check-config"});
  EXPECT_NE(result.exit_code, 0);
  const std::string wrong = std::to_string(LK_ERR_WRONG_STAGE);
  EXPECT_NE(result.err.find("/plugins/0/config/abi12_stages: metric=" + wrong + " readiness=" + wrong +
                            " publish=" + wrong + " subscribe=" + wrong),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace latchkey::test
