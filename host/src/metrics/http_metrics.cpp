#include "metrics/http_metrics.h"

#include <string>

namespace latchkey::host::metrics {
namespace {

// A method outside these is "other": a client must not be able to mint series.
std::string_view method_label(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view known : kKnown)
    if (method == known) return known;
  return "other";
}

}  // namespace

HttpMetrics::HttpMetrics(Registry& registry, bool enabled, std::function<double()> in_flight,
                         std::function<double()> queue_depth)
    : registry_(registry), enabled_(enabled) {
  if (!enabled) return;
  // Null when a plugin took the name first (plugins record from their init, before this runs).
  registry.add_collector([in_flight = std::move(in_flight), queue_depth = std::move(queue_depth)](Registry& r) {
    if (Series* gauge = r.series(Type::gauge, "latchkey_http_in_flight", "Requests being handled", {}))
      gauge->set(in_flight());
    if (Series* gauge = r.series(Type::gauge, "latchkey_worker_queue_depth", "Tasks waiting for a worker thread", {}))
      gauge->set(queue_depth());
  });
}

void HttpMetrics::record(std::string_view method, std::string_view route, uint32_t status, double seconds) {
  if (!enabled_) return;
  char status_text[4] = {static_cast<char>('0' + status / 100 % 10), static_cast<char>('0' + status / 10 % 10),
                         static_cast<char>('0' + status % 10), '\0'};
  if (Series* requests = registry_.series(Type::counter, "latchkey_http_requests_total", "HTTP requests answered",
                                          {{"method", method_label(method)}, {"route", route}, {"status", status_text}}))
    requests->add(1);
  if (Series* duration = registry_.series(Type::histogram, "latchkey_http_request_duration_seconds",
                                          "Time from a request's arrival to its answer being queued for writing",
                                          {{"route", route}}))
    duration->observe(seconds);
}

}  // namespace latchkey::host::metrics
