// The plugins' readiness checks (ABI 1.2) behind the host's ready path (/readyz).
#pragma once

#include <latchkey/plugin.h>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace latchkey::host {

class Readiness {
 public:
  struct Report {
    bool ready = true;
    std::vector<std::pair<std::string, std::string>> not_ready;  // plugin name, reason
  };

  // During the plugins' init.
  void add(std::string plugin, lk_readiness_fn check, void* user_data);

  // Runs every check on the calling thread (a worker), in registration order. A check that throws
  // counts as not ready.
  Report check() const;

 private:
  struct Check {
    std::string plugin;
    lk_readiness_fn fn;
    void* user_data;
  };
  mutable std::mutex mutex_;
  std::vector<Check> checks_;
};

}  // namespace latchkey::host
