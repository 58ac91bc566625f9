// Unit tests of host/src/metrics/exposition.cpp: the text format 0.0.4 as Prometheus parses it
// (escaping, cumulative histogram buckets, special values) and Registry::render's order.
#include "metrics/exposition.h"
#include "metrics/registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace latchkey::host::metrics {
namespace {

bool contains_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(MetricsExposition, HelpEscapesBackslashAndLineFeedButNotQuotes) {
  std::string out;
  write_family(out, "x_total", Type::counter, "a\\b\nc \"d\"", {}, {});
  EXPECT_EQ(out, "# HELP x_total a\\\\b\\nc \"d\"\n# TYPE x_total counter\n");
}

TEST(MetricsExposition, LabelValuesEscapeBackslashQuoteAndLineFeed) {
  Registry registry;
  registry.series(Type::gauge, "g", "help", {{"path", "C:\\dir"}, {"said", "\"hi\"\nbye"}})->set(2);
  const std::string text = registry.render();
  EXPECT_TRUE(contains_line(text, R"(g{path="C:\\dir",said="\"hi\"\nbye"} 2)")) << text;
}

TEST(MetricsExposition, SeriesWithoutLabelsHaveNoBraces) {
  Registry registry;
  registry.series(Type::counter, "plain_total", "help", {})->add(3);
  EXPECT_TRUE(contains_line(registry.render(), "plain_total 3")) << registry.render();
}

TEST(MetricsExposition, HistogramBucketsAreCumulativeAndCountEqualsTheInfBucket) {
  Registry registry;
  Series* histogram = registry.series(Type::histogram, "wait_seconds", "help", {{"route", "/a"}});
  for (double seconds : {0.005, 0.3, 0.3, 7.0, 100.0}) histogram->observe(seconds);
  const std::string text = registry.render();
  // An observation equal to a bound falls in that bucket (le is "less or equal").
  const std::pair<const char*, int> expected[] = {{"0.005", 1}, {"0.01", 1}, {"0.025", 1}, {"0.05", 1},
                                                   {"0.1", 1},   {"0.25", 1}, {"0.5", 3},   {"1", 3},
                                                   {"2.5", 3},   {"5", 3},    {"10", 4},    {"+Inf", 5}};
  for (const auto& [le, count] : expected) {
    EXPECT_TRUE(contains_line(text, std::string(R"(wait_seconds_bucket{route="/a",le=")") + le + "\"} " +
                                        std::to_string(count)))
        << "le=" << le << "\n" << text;
  }
  EXPECT_TRUE(contains_line(text, R"(wait_seconds_count{route="/a"} 5)")) << text;
  EXPECT_TRUE(contains_line(text, R"(wait_seconds_sum{route="/a"} )" + format_value(0.005 + 0.3 + 0.3 + 7.0 + 100.0)))
      << text;
  EXPECT_TRUE(contains_line(text, "# TYPE wait_seconds histogram")) << text;
}

TEST(MetricsExposition, SpecialValuesUsePrometheusSpelling) {
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(42), "42");
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(format_value(-2.5), "-2.5");
  EXPECT_EQ(std::stod(format_value(1.0 / 3)), 1.0 / 3) << "shortest text that reads back exactly";
  EXPECT_EQ(std::stod(format_value(1e300)), 1e300);
}

TEST(MetricsExposition, GaugeShowsInfAndNaN) {
  Registry registry;
  registry.series(Type::gauge, "up", "help", {{"k", "inf"}})->set(std::numeric_limits<double>::infinity());
  registry.series(Type::gauge, "up", "help", {{"k", "nan"}})->set(std::nan(""));
  const std::string text = registry.render();
  EXPECT_TRUE(contains_line(text, R"(up{k="inf"} +Inf)")) << text;
  EXPECT_TRUE(contains_line(text, R"(up{k="nan"} NaN)")) << text;
}

TEST(MetricsExposition, FamiliesSortedByNameEachWithOneHelpAndTypeSeriesSortedByLabels) {
  Registry registry;
  registry.series(Type::counter, "b_total", "B", {{"k", "2"}})->add(1);
  registry.series(Type::counter, "a_total", "A", {})->add(1);
  registry.series(Type::counter, "b_total", "ignored: the first help is kept", {{"k", "1"}})->add(1);
  EXPECT_EQ(registry.render(),
            "# HELP a_total A\n# TYPE a_total counter\na_total 1\n"
            "# HELP b_total B\n# TYPE b_total counter\nb_total{k=\"1\"} 1\nb_total{k=\"2\"} 1\n");
}

TEST(MetricsExposition, CollectorsRunBeforeEachRender) {
  Registry registry;
  int scrapes = 0;
  registry.add_collector([&](Registry& r) { r.series(Type::gauge, "scrapes", "help", {})->set(++scrapes); });
  registry.render();
  EXPECT_TRUE(contains_line(registry.render(), "scrapes 2")) << registry.render();
}

}  // namespace
}  // namespace latchkey::host::metrics
