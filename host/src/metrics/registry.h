// The metrics registry behind ABI 1.2 and /metrics: counters, gauges and histograms, each a family
// of series told apart by label values. Safe from any thread; a series, once made, lives (at a
// stable address) until the registry does, so the host's hot path keeps pointers to its own.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace latchkey::host::metrics {

enum class Type { counter, gauge, histogram };

// The histogram buckets' upper bounds in seconds (Prometheus' defaults); +Inf is implied.
inline constexpr double kBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
inline constexpr size_t kBucketCount = sizeof kBuckets / sizeof kBuckets[0];

// Limits that keep a careless plugin from growing the host without bound.
inline constexpr size_t kMaxLabels = 8;
inline constexpr size_t kMaxSeriesPerMetric = 1000;

struct Series {
  std::vector<std::string> label_values;
  std::atomic<double> value{0};  // a counter's or gauge's value; a histogram's sum
  std::atomic<uint64_t> buckets[kBucketCount + 1] = {};  // histograms: per bucket, not cumulative

  void add(double amount) { value.fetch_add(amount, std::memory_order_relaxed); }
  void set(double amount) { value.store(amount, std::memory_order_relaxed); }
  void observe(double amount);
};

using Label = std::pair<std::string_view, std::string_view>;  // name, value

class Registry {
 public:
  // The series of this metric with these labels, made on first use. Null when refused: a bad
  // name or label, another type or label set than the metric's first use, too many labels or
  // series; error says which.
  Series* series(Type type, std::string_view name, std::string_view help, const std::vector<Label>& labels,
                 std::string* error = nullptr);

  // Runs before each render, to set gauges that are read rather than pushed (queue depth).
  void add_collector(std::function<void(Registry&)> collector);

  // The Prometheus text format 0.0.4, metrics sorted by name.
  std::string render();

 private:
  struct Family {
    Type type;
    std::string help;
    std::vector<std::string> label_names;
    std::unordered_map<std::string, std::unique_ptr<Series>> series;  // by label values, '\0'-joined
  };
  Series* find(const Family& family, const std::string& key) const;

  std::shared_mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
  std::mutex collectors_mutex_;
  std::vector<std::function<void(Registry&)>> collectors_;
};

// Name rules of the text format: metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names
// [a-zA-Z_][a-zA-Z0-9_]* and not starting with "__" (reserved by Prometheus).
bool is_metric_name(std::string_view name);
bool is_label_name(std::string_view name);

}  // namespace latchkey::host::metrics
