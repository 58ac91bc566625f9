// The registry's rendering of every kind of series passes `promtool check metrics` (the parser and
// linter of Prometheus itself); a broken exposition does not, so the check is a real one.
#include "metrics/registry.h"
#include "promtool_check.h"

#include <gtest/gtest.h>

#include <limits>

namespace latchkey::host::metrics {
namespace {

TEST(MetricsPromtool, RenderedRegistryIsClean) {
  Registry registry;
  registry.series(Type::counter, "demo_requests_total", "Requests, with \\ and \"quotes\"",
                  {{"route", "/items/:id"}, {"said", "a \"quoted\"\nline \\ é"}})->add(3);
  registry.series(Type::counter, "demo_requests_total", "", {{"route", "/"}, {"said", ""}})->add(1);
  registry.series(Type::gauge, "demo_queue_depth", "Queued", {})->set(-2.5);
  registry.series(Type::gauge, "demo_limit", "A limit", {{"kind", "none"}})->set(std::numeric_limits<double>::infinity());
  Series* histogram = registry.series(Type::histogram, "demo_wait_seconds", "Waits", {{"route", "/a"}});
  for (double seconds : {0.001, 0.2, 3.0, 50.0}) histogram->observe(seconds);
  registry.series(Type::histogram, "demo_idle_seconds", "Never observed", {});

  const std::string text = registry.render();
  const test::PromtoolResult checked = test::promtool_check_metrics(text);
  EXPECT_EQ(checked.exit_code, 0) << checked.output << "\n--- exposition:\n" << text;
  EXPECT_EQ(checked.output, "") << "promtool lint findings";
}

TEST(MetricsPromtool, AMetricNamedLikeAHistogramsSamplesCannotBreakTheExposition) {
  Registry registry;
  registry.series(Type::histogram, "demo_wait_seconds", "Waits", {})->observe(0.1);
  registry.series(Type::gauge, "demo_wait_seconds_count", "Clashes", {});  // refused, or it breaks the text
  const test::PromtoolResult checked = test::promtool_check_metrics(registry.render());
  EXPECT_EQ(checked.exit_code, 0) << checked.output << "\n--- exposition:\n" << registry.render();
}

TEST(MetricsPromtool, BrokenExpositionIsRefused) {
  // A counter without _total is a lint finding; a sample line without a value, a parse error.
  EXPECT_NE(test::promtool_check_metrics("# HELP demo_requests x\n# TYPE demo_requests counter\ndemo_requests 1\n")
                .exit_code,
            0);
  EXPECT_NE(test::promtool_check_metrics("demo_thing{a=\"1\"}\n").exit_code, 0);
}

}  // namespace
}  // namespace latchkey::host::metrics
