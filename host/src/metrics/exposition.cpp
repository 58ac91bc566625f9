// The text format: https://prometheus.io/docs/instrumenting/exposition_formats/ (0.0.4). Escaping:
// in HELP, backslash and line feed; in label values, also the double quote.
#include "metrics/exposition.h"

#include <charconv>
#include <cmath>

namespace latchkey::host::metrics {
namespace {

void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (quote && c == '"') out += "\\\"";
    else out += c;
  }
}

const char* type_name(Type type) {
  switch (type) {
    case Type::counter: return "counter";
    case Type::gauge: return "gauge";
    case Type::histogram: return "histogram";
  }
  return "untyped";
}

// {a="1",b="2"} plus an optional extra label (a bucket's le); nothing when there are no labels.
void append_labels(std::string& out, const std::vector<std::string>& names, const std::vector<std::string>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i];
    out += "=\"";
    append_escaped(out, values[i], true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

void append_sample(std::string& out, std::string_view name, std::string_view suffix,
                   const std::vector<std::string>& names, const std::vector<std::string>& values, double value,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  out += name;
  out += suffix;
  append_labels(out, names, values, extra_name, extra_value);
  out += ' ';
  out += format_value(value);
  out += '\n';
}

}  // namespace

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

void write_family(std::string& out, std::string_view name, Type type, std::string_view help,
                  const std::vector<std::string>& label_names, const std::vector<const Series*>& series) {
  out += "# HELP ";
  out += name;
  out += ' ';
  append_escaped(out, help, false);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type_name(type);
  out += '\n';
  for (const Series* one : series) {
    if (type != Type::histogram) {
      append_sample(out, name, "", label_names, one->label_values, one->value.load(std::memory_order_relaxed));
      continue;
    }
    // Read the buckets first and derive the count from them, so a concurrent observation never
    // makes the +Inf bucket disagree with _count.
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kBucketCount; ++i) {
      cumulative += one->buckets[i].load(std::memory_order_relaxed);
      const std::string le = i < kBucketCount ? format_value(kBuckets[i]) : "+Inf";
      append_sample(out, name, "_bucket", label_names, one->label_values, static_cast<double>(cumulative), "le", le);
    }
    append_sample(out, name, "_sum", label_names, one->label_values, one->value.load(std::memory_order_relaxed));
    append_sample(out, name, "_count", label_names, one->label_values, static_cast<double>(cumulative));
  }
}

}  // namespace latchkey::host::metrics
