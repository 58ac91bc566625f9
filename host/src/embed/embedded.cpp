// Embedded's life: loading the config and the plugins (errors as --check-config words them), and
// the shutdown that waits for every request in flight before the plugins go.
#include "embed/embedded_state.h"
#include "log.h"
#include "worker_pool.h"

#include <chrono>
#include <sstream>
#include <thread>

namespace latchkey {
namespace {

// How often a shutdown that is still waiting says so.
constexpr auto kDrainReport = std::chrono::seconds(10);

std::string describe(const std::string& file, const std::vector<host::ConfigError>& errors) {
  std::ostringstream out;
  for (const host::ConfigError& error : errors) {
    out << (out.tellp() > 0 ? "\n" : "") << file << ": " << (error.pointer.empty() ? "/" : error.pointer) << ": "
        << error.reason;
  }
  return out.str();
}

}  // namespace

ConfigError::ConfigError(const std::string& message) : std::runtime_error(message) {}
ConfigError::~ConfigError() = default;

Embedded::Embedded(std::shared_ptr<State> state) : state_(std::move(state)) {}
Embedded::Embedded(Embedded&& other) noexcept = default;

Embedded& Embedded::operator=(Embedded&& other) noexcept {
  if (this != &other) {
    shutdown();
    state_ = std::move(other.state_);
  }
  return *this;
}

Embedded::~Embedded() { shutdown(); }

Embedded Embedded::load(const std::string& config_path) {
  host::ConfigResult loaded = host::load_host_config(config_path);
  if (!loaded.errors.empty()) throw ConfigError(describe(config_path, loaded.errors));
  // `listen` and `threads` belong to the application (CONTRACT §8): the worker pool has the
  // server's default size whatever the config says.
  const unsigned workers = host::HostConfig{}.threads;
  std::vector<host::ConfigError> errors;
  std::string failure;
  auto state = std::make_shared<State>();
  state->runtime = host::Runtime::load(std::move(*loaded.config), workers, errors, failure);
  if (!state->runtime) {
    // As --check-config prints them: the plugins' config errors, then the plugin that failed.
    const std::string reported = describe(config_path, errors);
    throw ConfigError(reported + (reported.empty() ? "" : "\n") + config_path + ": " + failure);
  }
  return Embedded(std::move(state));
}

void Embedded::shutdown() {
  if (!state_) return;  // moved from
  if (host::WorkerPool::on_worker_thread()) {
    // Inside a protected handler: the drain would wait for this very request, forever.
    host::log_line(host::LogLevel::error, "host", "shutdown() called on a Latchkey worker thread: refused");
    return;
  }
  std::lock_guard lock(state_->shutdown_mutex);
  if (state_->shut_down) return;
  host::RequestRunner& runner = state_->runtime->runner();
  // Unbounded: unloading a plugin whose code still runs would crash the application. A plugin
  // must complete every request it suspended (plugin.h), so this ends.
  for (int left = runner.drain(kDrainReport); left > 0; left = runner.drain(kDrainReport)) {
    host::log_line(host::LogLevel::warn, "host", "shutdown waits for " + std::to_string(left) + " requests in flight");
  }
  // The last answers were handed to the reactor, not yet written: give it the moment the server's
  // own drain gives it (http_server.cpp), since the application stops its endpoint next.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  state_->runtime->unload();
  state_->shut_down = true;
  host::log_line(host::LogLevel::info, "host", "stopped");
}

}  // namespace latchkey
