// Writing metric families in the Prometheus text format 0.0.4 (what promtool checks).
#pragma once

#include "metrics/registry.h"

#include <string>
#include <string_view>
#include <vector>

namespace latchkey::host::metrics {

// Appends one family: # HELP, # TYPE, then its series (for a histogram: cumulative _bucket lines
// with le, _sum and _count).
void write_family(std::string& out, std::string_view name, Type type, std::string_view help,
                  const std::vector<std::string>& label_names, const std::vector<const Series*>& series);

// A sample value as the format wants it: shortest round-trip text, +Inf, -Inf, NaN.
std::string format_value(double value);

}  // namespace latchkey::host::metrics
