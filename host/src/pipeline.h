// The host's per-request pipeline: filters in registration order, the auth gate, then the handler.
// A plugin may suspend a request in any of them (ABI 1.1) and complete it later from any thread.
#pragma once

#include "config.h"
#include "flight.h"
#include "http_types.h"
#include "router.h"

#include <latchkey/plugin.h>

#include <memory>
#include <string>
#include <vector>

namespace latchkey::host {

struct HostServices;

struct Filter {
  std::string name;
  uint32_t stage = LK_STAGE_DEFAULT;
  lk_filter_fn fn = nullptr;
  void* user_data = nullptr;
  std::string plugin_name;
};

class Pipeline {
 public:
  Router& router() { return router_; }
  const Router& router() const { return router_; }
  void add_filter(Filter filter) { filters_.push_back(std::move(filter)); }

  // Runs the filters and the matched route's handler, then calls finish once with the answer:
  // before returning, or, when a plugin suspended the request, on a worker after it completed.
  // schedule puts the rest of a suspended request back on the worker pool once it is completed.
  // Never throws for anything the plugins do.
  void run(HttpRequest request, RouteMatch match, std::string local_origin, Finish finish, Schedule schedule) const;

  // Goes on, on a worker, after a suspended callback completed with status (Flight::complete).
  // Takes the flight's reference, so the completing thread keeps none once the task is queued.
  void resume(std::shared_ptr<Flight> flight, int32_t status) const;

 private:
  void advance(const std::shared_ptr<Flight>& flight) const;
  void run_handler(const std::shared_ptr<Flight>& flight) const;
  // Acts on a filter's status: true when the request goes on to the next step.
  bool after_filter(Flight& flight, int32_t status) const;
  void after_handler(Flight& flight, int32_t status) const;

  Router router_;
  std::vector<Filter> filters_;
};

}  // namespace latchkey::host

// The plugin's view of the host, defined here for the host's own use only.
struct lk_host {
  std::string plugin_name;
  std::string config_dir;
  std::string config_pointer;  // "/plugins/N/config"
  latchkey::host::Pipeline* pipeline = nullptr;
  latchkey::host::HostServices* services = nullptr;  // null in `latchkey --check-config`
  bool registering = false;  // inside lk_plugin_init
  std::vector<latchkey::host::ConfigError>* config_errors = nullptr;
};
