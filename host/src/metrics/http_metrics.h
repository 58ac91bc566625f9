// The host's own series (CONTRACT §9): requests by method, route pattern and status, their
// duration by route, requests in flight and tasks waiting for a worker.
#pragma once

#include "metrics/registry.h"

#include <cstdint>
#include <functional>
#include <string_view>

namespace latchkey::host::metrics {

// The route label of answers that matched no plugin route.
inline constexpr std::string_view kStaticRoute = "static";        // a file of a static folder
inline constexpr std::string_view kUnmatchedRoute = "unmatched";  // 404, 405, 413, 503 before routing

class HttpMetrics {
 public:
  // in_flight and queue_depth are read at each scrape. Disabled ("metrics": null, nobody can read
  // them), record does nothing.
  HttpMetrics(Registry& registry, bool enabled, std::function<double()> in_flight, std::function<double()> queue_depth);

  // route: the matched pattern ("/api/notes/:id"), never the raw path, or one of the above.
  void record(std::string_view method, std::string_view route, uint32_t status, double seconds);

 private:
  Registry& registry_;
  const bool enabled_;
};

}  // namespace latchkey::host::metrics
