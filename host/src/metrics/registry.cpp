// Series are found under a shared lock (the common case: the series exists) and made under an
// exclusive one; values are atomics, so recording never waits for a scrape.
#include "metrics/registry.h"

#include "metrics/exposition.h"

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>

namespace latchkey::host::metrics {
namespace {

bool name_char(char c, bool first, bool colon) {
  const bool alpha = std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (colon && c == ':');
  return first ? alpha : alpha || std::isdigit(static_cast<unsigned char>(c));
}

bool valid_name(std::string_view name, bool colon) {
  if (name.empty() || name.size() > 200) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0, colon)) return false;
  return true;
}

// UTF-8 without NUL (which would also blur the '\0'-joined series keys). A truncated sequence
// reads MemoryStream's '\0' past the end, which is no continuation byte: refused.
bool is_utf8(std::string_view text) {
  struct Discard {
    void Put(char) {}
  } ignored;
  rapidjson::MemoryStream in(text.data(), text.size());
  while (in.Tell() < text.size()) {
    if (in.Peek() == '\0' || !rapidjson::UTF8<>::Validate(in, ignored)) return false;
  }
  return true;
}

// A histogram NAME also writes NAME_bucket, NAME_count and NAME_sum: a metric of one of those names
// beside it would make the text ambiguous (promtool: "second HELP line for metric name NAME").
template <typename Families>
std::string histogram_clash(const Families& families, std::string_view name, Type type) {
  for (std::string_view suffix : {"_bucket", "_count", "_sum"}) {
    if (type == Type::histogram && families.count(std::string(name) + std::string(suffix)))
      return std::string(name) + std::string(suffix);
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      const auto it = families.find(name.substr(0, name.size() - suffix.size()));
      if (it != families.end() && it->second.type == Type::histogram) return it->first;
    }
  }
  return {};
}

bool fail(std::string* error, std::string reason) {
  if (error) *error = std::move(reason);
  return false;
}

}  // namespace

bool is_metric_name(std::string_view name) { return valid_name(name, true); }

bool is_label_name(std::string_view name) { return valid_name(name, false) && name.substr(0, 2) != "__"; }

void Series::observe(double amount) {
  const double* bound = std::lower_bound(std::begin(kBuckets), std::end(kBuckets), amount);
  buckets[bound - std::begin(kBuckets)].fetch_add(1, std::memory_order_relaxed);
  value.fetch_add(amount, std::memory_order_relaxed);
}

Series* Registry::find(const Family& family, const std::string& key) const {
  const auto it = family.series.find(key);
  return it == family.series.end() ? nullptr : it->second.get();
}

Series* Registry::series(Type type, std::string_view name, std::string_view help, const std::vector<Label>& labels,
                         std::string* error) {
  std::string key;
  for (const Label& label : labels) {
    key.append(label.second);
    key.push_back('\0');
  }
  auto same_labels = [&](const Family& family) {
    if (family.label_names.size() != labels.size()) return false;
    for (size_t i = 0; i < labels.size(); ++i)
      if (family.label_names[i] != labels[i].first) return false;
    return true;
  };
  {
    std::shared_lock lock(mutex_);
    const auto it = families_.find(name);
    if (it != families_.end() && it->second.type == type && same_labels(it->second)) {
      if (Series* found = find(it->second, key)) return found;
    }
  }

  // The slow path, once per series: check everything, then make it.
  if (!is_metric_name(name)) return fail(error, "not a metric name: " + std::string(name)), nullptr;
  if (labels.size() > kMaxLabels) return fail(error, "more than 8 labels"), nullptr;
  if (help.find('\n') != std::string_view::npos || !is_utf8(help))
    return fail(error, "help must be one line of UTF-8"), nullptr;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!is_label_name(labels[i].first)) return fail(error, "not a label name: " + std::string(labels[i].first)), nullptr;
    if (labels[i].first == "le" && type == Type::histogram) return fail(error, "a histogram cannot have a label le"), nullptr;
    if (!is_utf8(labels[i].second)) return fail(error, "a label value is not UTF-8"), nullptr;
    for (size_t j = 0; j < i; ++j)
      if (labels[j].first == labels[i].first) return fail(error, "a label is named twice"), nullptr;
  }
  std::unique_lock lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    if (const std::string clash = histogram_clash(families_, name, type); !clash.empty())
      return fail(error, std::string(name) + " and " + clash +
                             " would share sample names (a histogram NAME writes NAME_bucket, NAME_count, NAME_sum)"),
             nullptr;
    Family family{type, std::string(help), {}, {}};
    for (const Label& label : labels) family.label_names.emplace_back(label.first);
    it = families_.emplace(std::string(name), std::move(family)).first;
  }
  Family& family = it->second;
  if (family.type != type) return fail(error, std::string(name) + " is another type of metric"), nullptr;
  if (!same_labels(family)) return fail(error, std::string(name) + " has other label names"), nullptr;
  if (Series* found = find(family, key)) return found;
  if (family.series.size() >= kMaxSeriesPerMetric)
    return fail(error, std::string(name) + " has 1000 series already"), nullptr;
  auto made = std::make_unique<Series>();
  for (const Label& label : labels) made->label_values.emplace_back(label.second);
  return family.series.emplace(std::move(key), std::move(made)).first->second.get();
}

void Registry::add_collector(std::function<void(Registry&)> collector) {
  std::lock_guard lock(collectors_mutex_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::render() {
  {
    std::lock_guard lock(collectors_mutex_);
    for (const auto& collector : collectors_) collector(*this);
  }
  std::string out;
  std::shared_lock lock(mutex_);
  for (const auto& [name, family] : families_) {
    std::vector<const Series*> ordered;
    for (const auto& entry : family.series) ordered.push_back(entry.second.get());
    std::sort(ordered.begin(), ordered.end(),
              [](const Series* a, const Series* b) { return a->label_values < b->label_values; });
    write_family(out, name, family.type, family.help, family.label_names, ordered);
  }
  return out;
}

}  // namespace latchkey::host::metrics
