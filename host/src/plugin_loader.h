// Loads plugin shared objects: dlopen, the magic check, then check_config or init; destroy at the end.
#pragma once

#include "config.h"
#include "pipeline.h"

#include <latchkey/plugin.h>

#include <memory>
#include <string>
#include <vector>

namespace latchkey::host {

struct HostServices;

// A plugin that is loaded and initialised. Destroying it calls the plugin's destroy callback and
// unloads the object; the host does this only after the last request has finished.
class LoadedPlugin {
 public:
  LoadedPlugin(std::string name, void* handle, std::unique_ptr<lk_host> context, lk_plugin_instance instance);
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  void* handle_;
  std::unique_ptr<lk_host> context_;
  lk_plugin_instance instance_;
};

struct LoadResult {
  std::unique_ptr<LoadedPlugin> plugin;  // set on success
  std::string error;                     // one line naming the plugin, on failure
};

// Loads entry and runs its init, registering its routes and filters into pipeline. Config errors the
// plugin reports go to config_errors.
LoadResult load_plugin(const PluginEntry& entry, const HostConfig& config, Pipeline& pipeline,
                       HostServices& services, std::vector<ConfigError>& config_errors);

// Loads entry and runs its optional check_config (never init). Returns "" or one error line.
std::string check_plugin(const PluginEntry& entry, const HostConfig& config, std::vector<ConfigError>& config_errors);

}  // namespace latchkey::host
