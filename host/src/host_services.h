// What the host offers plugins beyond routes and filters (ABI 1.2): the metrics registry, the
// readiness checks and the event bus. One per runtime; every plugin's lk_host points at it.
#pragma once

#include "event_bus.h"
#include "metrics/registry.h"
#include "readiness.h"

namespace latchkey::host {

struct HostServices {
  metrics::Registry metrics;
  Readiness readiness;
  EventBus events{metrics};
};

}  // namespace latchkey::host
