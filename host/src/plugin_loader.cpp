// The plugin loader. The magic function is checked before any other symbol is called, the way
// PostgreSQL checks PG_MODULE_MAGIC: another ABI major, or a newer minor, is refused by name.
#include "plugin_loader.h"

#include "host_api.h"
#include "log.h"

#include <dlfcn.h>

namespace latchkey::host {
namespace {

struct OpenedPlugin {
  void* handle = nullptr;
  std::string error;
};

std::string describe(const PluginEntry& entry) { return "plugin '" + entry.name + "' (" + entry.path + ")"; }

// dlopen + the magic check. On failure the handle is closed and error says why.
OpenedPlugin open_and_check(const PluginEntry& entry) {
  OpenedPlugin opened;
  void* handle = dlopen(entry.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    opened.error = describe(entry) + ": cannot load: " + dlerror();
    return opened;
  }
  auto magic = reinterpret_cast<lk_plugin_magic_fn>(dlsym(handle, LK_PLUGIN_MAGIC_SYMBOL));
  const lk_plugin_info* info = magic ? magic() : nullptr;
  if (!info) {
    opened.error = describe(entry) + ": not a Latchkey plugin (no " LK_PLUGIN_MAGIC_SYMBOL ")";
  } else if (info->struct_size < sizeof(lk_plugin_info)) {
    opened.error = describe(entry) + ": its lk_plugin_info is too small";
  } else if (info->abi_major != LK_ABI_MAJOR) {
    opened.error = describe(entry) + ": built for ABI " + std::to_string(info->abi_major) + "." +
                   std::to_string(info->abi_minor) + ", this host speaks ABI " + std::to_string(LK_ABI_MAJOR) +
                   "." + std::to_string(LK_ABI_MINOR) + " (another major)";
  } else if (info->abi_minor > LK_ABI_MINOR) {
    opened.error = describe(entry) + ": built for ABI " + std::to_string(info->abi_major) + "." +
                   std::to_string(info->abi_minor) + ", newer than this host's " + std::to_string(LK_ABI_MAJOR) +
                   "." + std::to_string(LK_ABI_MINOR);
  } else if (info->pointer_size != sizeof(void*)) {
    opened.error = describe(entry) + ": built for " + std::to_string(info->pointer_size * 8) + "-bit pointers";
  }
  if (!opened.error.empty()) {
    dlclose(handle);
    return opened;
  }
  opened.handle = handle;
  return opened;
}

std::unique_ptr<lk_host> make_context(const PluginEntry& entry, const HostConfig& config, Pipeline* pipeline,
                                      std::vector<ConfigError>* errors) {
  auto context = std::make_unique<lk_host>();
  context->plugin_name = entry.name;
  context->config_dir = config.dir;
  context->config_pointer = entry.pointer + "/config";
  context->pipeline = pipeline;
  context->config_errors = errors;
  return context;
}

lk_str view(const std::string& s) { return lk_str{s.data(), s.size()}; }

}  // namespace

LoadedPlugin::LoadedPlugin(std::string name, void* handle, std::unique_ptr<lk_host> context,
                           lk_plugin_instance instance)
    : name_(std::move(name)), handle_(handle), context_(std::move(context)), instance_(instance) {}

LoadedPlugin::~LoadedPlugin() {
  if (instance_.destroy) {
    try {
      instance_.destroy(instance_.state);
    } catch (...) {
      log_line(LogLevel::error, name_, "exception escaped destroy");
    }
  }
  dlclose(handle_);
}

LoadResult load_plugin(const PluginEntry& entry, const HostConfig& config, Pipeline& pipeline, HostServices& services,
                       std::vector<ConfigError>& config_errors) {
  LoadResult result;
  OpenedPlugin opened = open_and_check(entry);
  if (!opened.handle) {
    result.error = opened.error;
    return result;
  }
  auto init = reinterpret_cast<lk_plugin_init_fn>(dlsym(opened.handle, LK_PLUGIN_INIT_SYMBOL));
  if (!init) {
    dlclose(opened.handle);
    result.error = describe(entry) + ": no " LK_PLUGIN_INIT_SYMBOL;
    return result;
  }
  auto context = make_context(entry, config, &pipeline, &config_errors);
  context->services = &services;
  lk_plugin_instance instance{};
  instance.struct_size = sizeof(lk_plugin_instance);
  context->registering = true;
  int32_t status = LK_ERR_INTERNAL;
  try {
    status = init(host_api_table(), context.get(), view(entry.config_json), &instance);
  } catch (...) {
    log_line(LogLevel::error, entry.name, "exception escaped lk_plugin_init");
  }
  context->registering = false;
  if (status != LK_OK) {
    // Routes it registered stay in the pipeline, but the host exits before serving.
    dlclose(opened.handle);
    result.error = describe(entry) + ": init failed with status " + std::to_string(status);
    return result;
  }
  result.plugin = std::make_unique<LoadedPlugin>(entry.name, opened.handle, std::move(context), instance);
  return result;
}

std::string check_plugin(const PluginEntry& entry, const HostConfig& config, std::vector<ConfigError>& config_errors) {
  OpenedPlugin opened = open_and_check(entry);
  if (!opened.handle) return opened.error;
  auto check = reinterpret_cast<lk_plugin_check_config_fn>(dlsym(opened.handle, LK_PLUGIN_CHECK_CONFIG_SYMBOL));
  std::string error;
  if (check) {
    Pipeline unused;
    auto context = make_context(entry, config, &unused, &config_errors);
    const size_t before = config_errors.size();
    int32_t status = LK_ERR_INTERNAL;
    try {
      status = check(host_api_table(), context.get(), view(entry.config_json));
    } catch (...) {
      log_line(LogLevel::error, entry.name, "exception escaped lk_plugin_check_config");
    }
    if (status != LK_OK && config_errors.size() == before) {
      config_errors.push_back({entry.pointer + "/config", "refused by the plugin (status " + std::to_string(status) + ")"});
    }
  }
  dlclose(opened.handle);
  return error;
}

}  // namespace latchkey::host
