// The host's config file (CONTRACT §2): parsing, ${NAME} substitution and validation.
#pragma once

#include "address_range.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::host {

// One problem found in a config: where (a JSON pointer) and why.
struct ConfigError {
  std::string pointer;
  std::string reason;
};

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

struct StaticMount {
  std::string url_prefix;  // always ends with '/'
  std::string folder;      // absolute
};

struct PluginEntry {
  std::string name;
  std::string path;         // absolute
  std::string config_json;  // the "config" value after substitution, as JSON text
  std::string pointer;      // "/plugins/N", for error messages
};

// GET path → the Prometheus exposition, for clients in allow only (others get a 404).
struct MetricsConfig {
  std::string path = "/metrics";
  std::vector<AddressRange> allow;  // default 127.0.0.0/8 and ::1/128
};

// The liveness and readiness paths (CONTRACT §9).
struct HealthConfig {
  std::string live = "/healthz";
  std::string ready = "/readyz";
};

struct HostConfig {
  std::string file;  // the config file as given
  std::string dir;   // its folder, absolute: relative paths resolve against it
  ListenAddress listen{"127.0.0.1", 8080};
  uint32_t threads = 8;
  uint64_t max_body_bytes = 65536;
  std::vector<StaticMount> statics;
  std::vector<PluginEntry> plugins;
  std::optional<MetricsConfig> metrics;  // null: "metrics": null turned /metrics off
  HealthConfig health;
  // Peers whose X-Forwarded-For/-Proto/-Host are believed (front_door/client_address.h).
  std::vector<AddressRange> trusted_proxies;

  HostConfig();
};

struct ConfigResult {
  std::optional<HostConfig> config;  // set when errors is empty
  std::vector<ConfigError> errors;
};

// Returns the value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_env(const std::string& name);

// Reads and validates the config file at path.
ConfigResult load_host_config(const std::string& path, const EnvLookup& env = process_env);

// Parses "HOST:PORT" (port 0..65535; "[::1]:80" for IPv6).
std::optional<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace latchkey::host
