// Unit tests of host/src/metrics/registry.cpp: what a series call accepts, what it refuses (the
// rules plugin.h states for ABI 1.2 metrics), its limits, and exact sums under concurrency.
#include "metrics/registry.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace latchkey::host::metrics {
namespace {

using namespace std::string_literals;

// The series, or null with the registry's reason in error.
Series* counter(Registry& registry, std::string_view name, const std::vector<Label>& labels = {},
                std::string* error = nullptr) {
  return registry.series(Type::counter, name, "help", labels, error);
}

TEST(MetricsRegistry, SameNameAndLabelValuesGiveTheSameSeries) {
  Registry registry;
  Series* first = counter(registry, "x_total", {{"result", "ok"}});
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(counter(registry, "x_total", {{"result", "ok"}}), first);
  Series* other = counter(registry, "x_total", {{"result", "failed"}});
  ASSERT_NE(other, nullptr);
  EXPECT_NE(other, first);
}

TEST(MetricsRegistry, AnotherTypeForAKnownNameIsRefused) {
  Registry registry;
  ASSERT_NE(counter(registry, "x_total"), nullptr);
  std::string error;
  EXPECT_EQ(registry.series(Type::gauge, "x_total", "help", {}, &error), nullptr);
  EXPECT_NE(error.find("another type"), std::string::npos) << error;
  EXPECT_EQ(registry.series(Type::histogram, "x_total", "help", {}), nullptr);
}

TEST(MetricsRegistry, OtherLabelNamesForAKnownNameAreRefused) {
  Registry registry;
  ASSERT_NE(counter(registry, "x_total", {{"a", "1"}, {"b", "2"}}), nullptr);
  std::string error;
  EXPECT_EQ(counter(registry, "x_total", {{"a", "1"}}, &error), nullptr);
  EXPECT_NE(error.find("other label names"), std::string::npos) << error;
  EXPECT_EQ(counter(registry, "x_total", {{"b", "2"}, {"a", "1"}}), nullptr) << "the order is part of the set";
  EXPECT_EQ(counter(registry, "x_total", {{"a", "1"}, {"c", "2"}}), nullptr);
  EXPECT_EQ(counter(registry, "x_total"), nullptr);
}

TEST(MetricsRegistry, MetricNamesFollowThePrometheusSyntax) {
  Registry registry;
  for (const char* good : {"a", "_a", ":a", "a:b_c9", "latchkey_http_requests_total"})
    EXPECT_NE(counter(registry, good), nullptr) << good;
  for (std::string bad : {""s, "9a"s, "a-b"s, "a b"s, "a.b"s, "é"s, "a\0b"s, std::string(201, 'a')})
    EXPECT_EQ(counter(registry, bad), nullptr) << bad;
}

TEST(MetricsRegistry, LabelNamesFollowThePrometheusSyntaxAndAreNotReserved) {
  Registry registry;
  EXPECT_NE(counter(registry, "good_total", {{"_a9", "v"}}), nullptr);
  int metric = 0;  // one metric per name: a wrongly accepted one must not mask the next as a label conflict
  for (const char* bad : {"", "9a", "a:b", "a-b", "__name", "__"})
    EXPECT_EQ(counter(registry, "bad_" + std::to_string(metric++) + "_total", {{bad, "v"}}), nullptr) << "'" << bad << "'";
}

TEST(MetricsRegistry, ALabelNamedTwiceIsRefused) {
  Registry registry;
  EXPECT_EQ(counter(registry, "x_total", {{"a", "1"}, {"a", "2"}}), nullptr);
}

TEST(MetricsRegistry, AHistogramCannotHaveALabelLe) {
  Registry registry;
  EXPECT_EQ(registry.series(Type::histogram, "x_seconds", "help", {{"le", "1"}}), nullptr);
  EXPECT_NE(registry.series(Type::gauge, "y", "help", {{"le", "1"}}), nullptr) << "le is only reserved in histograms";
}

TEST(MetricsRegistry, EightLabelsAreAcceptedNineRefused) {
  Registry registry;
  const std::vector<std::string> names = {"l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8"};
  std::vector<Label> labels;
  for (size_t i = 0; i < 8; ++i) labels.emplace_back(names[i], "v");
  EXPECT_NE(counter(registry, "eight_total", labels), nullptr);
  labels.emplace_back(names[8], "v");
  std::string error;
  EXPECT_EQ(counter(registry, "nine_total", labels, &error), nullptr);
  EXPECT_NE(error.find("8 labels"), std::string::npos) << error;
}

TEST(MetricsRegistry, AThousandSeriesPerMetricThenRefusedButExistingOnesStillRecord) {
  Registry registry;
  std::vector<std::string> values;
  for (int i = 0; i < 1001; ++i) values.push_back(std::to_string(i));
  for (int i = 0; i < 1000; ++i) ASSERT_NE(counter(registry, "many_total", {{"id", values[i]}}), nullptr) << i;
  std::string error;
  EXPECT_EQ(counter(registry, "many_total", {{"id", values[1000]}}, &error), nullptr);
  EXPECT_NE(error.find("1000 series"), std::string::npos) << error;
  EXPECT_NE(counter(registry, "many_total", {{"id", values[0]}}), nullptr);
  EXPECT_NE(counter(registry, "another_total", {{"id", values[1000]}}), nullptr) << "the limit is per metric";
}

TEST(MetricsRegistry, LabelValuesMustBeUtf8WithoutNul) {
  Registry registry;
  for (std::string good : {""s, "plain"s, "caf\xc3\xa9"s, "\xf0\x9f\x98\x80"s, "quote\" back\\slash\nline"s})
    EXPECT_NE(counter(registry, "good_total", {{"v", good}}), nullptr) << good;
  const std::string bad_values[] = {
      "a\0b"s,          // NUL
      "\xff"s,          // never valid
      "caf\xc3"s,       // truncated at the end
      "\xc3("s,         // a lead byte without its continuation
      "\xc0\x80"s,      // overlong NUL
      "\xed\xa0\x80"s,  // a UTF-16 surrogate
      "\x80"s,          // a lone continuation byte
  };
  for (const std::string& bad : bad_values) {
    std::string error;
    EXPECT_EQ(counter(registry, "bad_total", {{"v", bad}}, &error), nullptr) << ::testing::PrintToString(bad);
    EXPECT_NE(error.find("UTF-8"), std::string::npos) << error;
  }
}

TEST(MetricsRegistry, HelpMustBeOneLineOfUtf8) {
  Registry registry;
  EXPECT_EQ(registry.series(Type::counter, "a_total", "two\nlines", {}), nullptr);
  EXPECT_EQ(registry.series(Type::counter, "b_total", "bad \xff", {}), nullptr);
  EXPECT_NE(registry.series(Type::counter, "c_total", "back\\slash and \"quotes\"", {}), nullptr);
}

// A histogram NAME writes NAME_bucket, NAME_count and NAME_sum: another metric of one of those
// names would make /metrics unreadable ("second HELP line for metric name NAME").
TEST(MetricsRegistry, NamesOfAHistogramsSamplesAreRefusedForOtherMetrics) {
  Registry registry;
  ASSERT_NE(registry.series(Type::histogram, "wait_seconds", "help", {}), nullptr);
  for (const char* taken : {"wait_seconds_bucket", "wait_seconds_count", "wait_seconds_sum"}) {
    std::string error;
    EXPECT_EQ(registry.series(Type::gauge, taken, "help", {}, &error), nullptr) << taken;
    EXPECT_NE(error.find("wait_seconds"), std::string::npos) << error;
  }
  EXPECT_NE(registry.series(Type::gauge, "wait_seconds_total_ish", "help", {}), nullptr);
}

TEST(MetricsRegistry, AHistogramWhoseSampleNamesAreTakenIsRefused) {
  Registry registry;
  ASSERT_NE(registry.series(Type::counter, "busy_seconds_count", "help", {}), nullptr);
  EXPECT_EQ(registry.series(Type::histogram, "busy_seconds", "help", {}), nullptr);
  EXPECT_NE(registry.series(Type::gauge, "busy_seconds", "help", {}), nullptr) << "only a histogram writes _count";
}

TEST(MetricsRegistry, ConcurrentAddsFromSeveralThreadsSumExactly) {
  Registry registry;
  constexpr int kThreads = 8;
  constexpr int kAdds = 20000;
  const std::string shards[] = {"a", "b", "c", "d"};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAdds; ++i) {
        // Threads race to make the same series too: it must be made once.
        counter(registry, "sum_total", {{"shard", shards[(t + i) % 4]}})->add(1);
        registry.series(Type::histogram, "sum_seconds", "help", {})->observe(0.5);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  double total = 0;
  for (const std::string& shard : shards) total += counter(registry, "sum_total", {{"shard", shard}})->value.load();
  EXPECT_EQ(total, double(kThreads) * kAdds);
  Series* histogram = registry.series(Type::histogram, "sum_seconds", "help", {});
  uint64_t count = 0;
  for (const auto& bucket : histogram->buckets) count += bucket.load();
  EXPECT_EQ(count, uint64_t(kThreads) * kAdds);
  EXPECT_EQ(histogram->value.load(), 0.5 * kThreads * kAdds);
}

}  // namespace
}  // namespace latchkey::host::metrics
