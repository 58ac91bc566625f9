// Loading and unloading the plugins around the worker pool, in the one order that is safe: plugins
// before workers at the start, workers joined before any plugin is destroyed at the end.
#include "runtime.h"

#include "log.h"

namespace latchkey::host {

Runtime::Runtime(HostConfig config)
    : config_(std::move(config)), services_(std::make_unique<HostServices>()) {}

Runtime::~Runtime() { unload(); }

std::unique_ptr<Runtime> Runtime::load(HostConfig config, unsigned threads, std::vector<ConfigError>& errors,
                                       std::string& failure) {
  std::unique_ptr<Runtime> runtime(new Runtime(std::move(config)));
  for (const PluginEntry& entry : runtime->config_.plugins) {
    LoadResult loaded = load_plugin(entry, runtime->config_, runtime->pipeline_, *runtime->services_, errors);
    if (!loaded.plugin) {
      failure = loaded.error;
      return nullptr;  // ~Runtime destroys the ones already loaded, newest first
    }
    log_line(LogLevel::info, "host", "loaded plugin '" + entry.name + "'");
    runtime->plugins_.push_back(std::move(loaded.plugin));
  }
  runtime->runner_ = std::make_unique<RequestRunner>(runtime->config_, runtime->pipeline_, threads);
  runtime->services_->events.start(runtime->runner_->submitter());
  return runtime;
}

void Runtime::unload() {
  if (runner_) runner_->stop_workers();
  // Events still queued reach their subscribers while every plugin is still loaded.
  services_->events.finish();
  while (!plugins_.empty()) plugins_.pop_back();
}

}  // namespace latchkey::host
