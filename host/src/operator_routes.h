// The host's own endpoints (CONTRACT §9): the Prometheus exposition at metrics.path for allowed
// clients, liveness at health.live and readiness (every plugin's check) at health.ready. They are
// matched before the plugins' routes; the answers are made on a worker (readiness checks block).
#pragma once

#include "config.h"
#include "host_services.h"
#include "http_types.h"

namespace latchkey::host {

class OperatorRoutes {
 public:
  enum class Kind { none, metrics, live, ready };

  OperatorRoutes(const HostConfig& config, HostServices& services) : config_(config), services_(services) {}

  // GET of one of the configured paths, else none. /metrics from a client outside metrics.allow is
  // none too, so it gets the 404 of any unknown path.
  Kind match(const HttpRequest& request) const;
  HttpResponse answer(Kind kind) const;

  // Probes are polled every few seconds: they stay out of the access log.
  static bool logged(Kind kind) { return kind == Kind::metrics; }

 private:
  const HostConfig& config_;
  HostServices& services_;
};

}  // namespace latchkey::host
