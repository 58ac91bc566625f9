// Unit tests of host/src/metrics/http_metrics.cpp: the host's own series (CONTRACT §9).
#include "metrics/http_metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace latchkey::host::metrics {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(HttpMetrics, RequestsAreCountedByMethodRoutePatternAndStatus) {
  Registry registry;
  HttpMetrics http(registry, true, [] { return 0.0; }, [] { return 0.0; });
  http.record("GET", "/items/:id", 200, 0.02);
  http.record("GET", "/items/:id", 200, 0.3);
  http.record("BREW", "/items/:id", 404, 0.001);  // a method a client made up
  const std::string text = registry.render();
  EXPECT_TRUE(has_line(text, R"(latchkey_http_requests_total{method="GET",route="/items/:id",status="200"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(latchkey_http_requests_total{method="other",route="/items/:id",status="404"} 1)"))
      << text;
  EXPECT_TRUE(has_line(text, R"(latchkey_http_request_duration_seconds_count{route="/items/:id"} 3)")) << text;
}

TEST(HttpMetrics, InFlightAndQueueDepthAreReadAtEachScrape) {
  Registry registry;
  double in_flight = 3, queued = 5;
  HttpMetrics http(registry, true, [&] { return in_flight; }, [&] { return queued; });
  EXPECT_TRUE(has_line(registry.render(), "latchkey_http_in_flight 3"));
  in_flight = 1;
  queued = 0;
  const std::string text = registry.render();
  EXPECT_TRUE(has_line(text, "latchkey_http_in_flight 1")) << text;
  EXPECT_TRUE(has_line(text, "latchkey_worker_queue_depth 0")) << text;
}

// Plugins may record metrics in their init, before the host makes its own series: a plugin that
// took one of the host's names (as another type) must not crash every scrape.
TEST(HttpMetrics, APluginMetricTakingAHostNameDoesNotBreakAScrape) {
  Registry registry;
  registry.series(Type::counter, "latchkey_http_in_flight", "a plugin's", {})->add(1);
  registry.series(Type::counter, "latchkey_worker_queue_depth", "a plugin's", {{"k", "v"}})->add(1);
  HttpMetrics http(registry, true, [] { return 2.0; }, [] { return 4.0; });
  const std::string text = registry.render();
  EXPECT_TRUE(has_line(text, "latchkey_http_in_flight 1")) << text;
}

// "metrics": null: nobody can read the series, so none is recorded (the on/off benchmark's off).
TEST(HttpMetrics, DisabledRecordsNothing) {
  Registry registry;
  HttpMetrics http(registry, false, [] { return 1.0; }, [] { return 1.0; });
  http.record("GET", "/items/:id", 200, 0.001);
  EXPECT_EQ(registry.render(), "");
}

}  // namespace
}  // namespace latchkey::host::metrics
