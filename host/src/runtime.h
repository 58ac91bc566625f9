// What both front doors serve from: the config, the loaded plugins, the pipeline they registered
// into, and the worker pool that runs them. The `latchkey` server and an embedding application
// each hold one.
#pragma once

#include "config.h"
#include "host_services.h"
#include "pipeline.h"
#include "plugin_loader.h"
#include "request_runner.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace latchkey::host {

class Runtime {
 public:
  // Loads every plugin of config, in order (their init registers routes and filters). On failure
  // returns null: errors holds what the plugins reported about their config, failure one line
  // naming the plugin; the plugins already loaded are destroyed again, newest first.
  static std::unique_ptr<Runtime> load(HostConfig config, unsigned threads, std::vector<ConfigError>& errors,
                                       std::string& failure);
  ~Runtime();  // unload()
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  const HostConfig& config() const { return config_; }
  const Pipeline& pipeline() const { return pipeline_; }
  RequestRunner& runner() { return *runner_; }
  HostServices& services() { return *services_; }

  // Joins the workers, then destroys the plugins, newest first. Only once nothing is in flight
  // (runner().drain() returned 0): plugin code still running must not be unloaded. Idempotent.
  void unload();

 private:
  explicit Runtime(HostConfig config);

  HostConfig config_;
  Pipeline pipeline_;
  std::unique_ptr<HostServices> services_;  // before the plugins: they hold pointers into it
  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
  std::unique_ptr<RequestRunner> runner_;
};

}  // namespace latchkey::host
