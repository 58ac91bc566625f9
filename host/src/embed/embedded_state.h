// What an Embedded and every handler it gave the application share: the runtime (plugins,
// pipeline, workers), kept alive by the handlers even after shutdown so that they answer 503.
#pragma once

#include "runtime.h"

#include <latchkey/embed.hpp>

#include <memory>
#include <mutex>

namespace latchkey {

struct Embedded::State {
  std::unique_ptr<host::Runtime> runtime;
  std::mutex shutdown_mutex;  // one shutdown at a time; a second waits for the first
  bool shut_down = false;
};

}  // namespace latchkey
