// Loads the host config with RapidJSON: substitutes ${NAME}, then checks every key and type.
#include "config.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

namespace latchkey::host {
namespace {

namespace fs = std::filesystem;
using rapidjson::Value;

constexpr std::size_t kMaxConfigDepth = 64;  // far beyond any real config; bounds every recursion

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// The NAME of a string that is exactly ${NAME} (NAME: [A-Za-z_][A-Za-z0-9_]*), or nullopt. By hand:
// std::regex recurses per character and overflowed the stack on a long string (found by fuzzing).
std::optional<std::string> env_reference(std::string_view text) {
  if (text.size() < 4 || text.substr(0, 2) != "${" || text.back() != '}') return std::nullopt;
  const std::string_view name = text.substr(2, text.size() - 3);
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!letter(name.front())) return std::nullopt;
  for (const char c : name) {
    if (!letter(c) && !(c >= '0' && c <= '9')) return std::nullopt;
  }
  return std::string(name);
}

// True when objects/arrays nest deeper than max_depth. Iterative: the document may nest deeper
// than any recursion (substitute_env, Accept) could follow, so this runs before them.
bool nests_deeper_than(const Value& root, std::size_t max_depth) {
  std::vector<std::pair<const Value*, std::size_t>> pending{{&root, 0}};
  while (!pending.empty()) {
    const auto [value, depth] = pending.back();
    pending.pop_back();
    if (!value->IsObject() && !value->IsArray()) continue;
    if (depth + 1 > max_depth) return true;
    if (value->IsObject()) {
      for (const auto& member : value->GetObject()) pending.push_back({&member.value, depth + 1});
    } else {
      for (const auto& item : value->GetArray()) pending.push_back({&item, depth + 1});
    }
  }
  return false;
}

// Replaces every string of the form ${NAME} by the variable's value; a missing one is an error.
void substitute_env(Value& value, rapidjson::Document::AllocatorType& alloc, const std::string& pointer,
                    const EnvLookup& env, std::vector<ConfigError>& errors) {
  if (value.IsString()) {
    if (const auto name = env_reference(std::string_view(value.GetString(), value.GetStringLength()))) {
      if (auto found = env(*name)) {
        value.SetString(found->c_str(), static_cast<rapidjson::SizeType>(found->size()), alloc);
      } else {
        errors.push_back({pointer, "environment variable " + *name + " is not set"});
      }
    }
  } else if (value.IsObject()) {
    for (auto& member : value.GetObject()) {
      substitute_env(member.value, alloc, pointer + "/" + escape_pointer_token(member.name.GetString()), env,
                     errors);
    }
  } else if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      substitute_env(value[i], alloc, pointer + "/" + std::to_string(i), env, errors);
    }
  }
}

std::string to_json_text(const Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

std::string resolve_path(const std::string& dir, const std::string& path) {
  const fs::path p(path);
  return (p.is_absolute() ? p : fs::path(dir) / p).lexically_normal().string();
}

void check_known_keys(const Value& object, const std::string& pointer, const std::set<std::string>& known,
                      std::vector<ConfigError>& errors) {
  for (const auto& member : object.GetObject()) {
    const std::string name = member.name.GetString();
    if (!known.count(name)) errors.push_back({pointer + "/" + escape_pointer_token(name), "unknown key"});
  }
}

void read_plugins(const Value& plugins, HostConfig& config, std::vector<ConfigError>& errors) {
  if (!plugins.IsArray()) {
    errors.push_back({"/plugins", "must be an array"});
    return;
  }
  std::set<std::string> names;
  for (rapidjson::SizeType i = 0; i < plugins.Size(); ++i) {
    const std::string pointer = "/plugins/" + std::to_string(i);
    const Value& entry = plugins[i];
    if (!entry.IsObject()) {
      errors.push_back({pointer, "must be an object"});
      continue;
    }
    check_known_keys(entry, pointer, {"name", "path", "config"}, errors);
    PluginEntry plugin;
    plugin.pointer = pointer;
    if (!entry.HasMember("name") || !entry["name"].IsString() || entry["name"].GetStringLength() == 0) {
      errors.push_back({pointer + "/name", "must be a non-empty string"});
    } else {
      plugin.name = entry["name"].GetString();
      if (!names.insert(plugin.name).second) errors.push_back({pointer + "/name", "duplicate plugin name"});
    }
    if (!entry.HasMember("path") || !entry["path"].IsString()) {
      errors.push_back({pointer + "/path", "must be a string (the plugin's .so file)"});
    } else {
      plugin.path = resolve_path(config.dir, entry["path"].GetString());
      std::error_code ec;  // a name too long or a loop of links is "no such file", not an exception
      if (!fs::is_regular_file(plugin.path, ec)) errors.push_back({pointer + "/path", "no such file: " + plugin.path});
    }
    if (entry.HasMember("config")) {
      if (!entry["config"].IsObject()) errors.push_back({pointer + "/config", "must be an object"});
      else plugin.config_json = to_json_text(entry["config"]);
    } else {
      plugin.config_json = "{}";
    }
    config.plugins.push_back(std::move(plugin));
  }
}

void read_statics(const Value& statics, HostConfig& config, std::vector<ConfigError>& errors) {
  if (!statics.IsObject()) {
    errors.push_back({"/static", "must be an object mapping URL prefixes to folders"});
    return;
  }
  for (const auto& member : statics.GetObject()) {
    const std::string prefix = member.name.GetString();
    const std::string pointer = "/static/" + escape_pointer_token(prefix);
    if (prefix.empty() || prefix.front() != '/') {
      errors.push_back({pointer, "URL prefix must start with '/'"});
      continue;
    }
    if (!member.value.IsString()) {
      errors.push_back({pointer, "must be a string (a folder)"});
      continue;
    }
    const std::string folder = resolve_path(config.dir, member.value.GetString());
    std::error_code ec;  // as for plugins: any error reading the folder is "no such folder"
    const fs::path canonical = fs::is_directory(folder, ec) ? fs::canonical(folder, ec) : fs::path();
    if (canonical.empty()) {
      errors.push_back({pointer, "no such folder: " + folder});
      continue;
    }
    config.statics.push_back({prefix.back() == '/' ? prefix : prefix + "/", canonical.string()});
  }
}

// A path of the host's own (metrics, health): absolute, no query, no dot segments.
bool is_own_path(const Value& value) {
  if (!value.IsString()) return false;
  const std::string_view path(value.GetString(), value.GetStringLength());
  return path.size() > 1 && path.front() == '/' && path.find_first_of("?#%\\ ") == std::string_view::npos &&
         path.find("/.") == std::string_view::npos && path.find("//") == std::string_view::npos;
}

void read_metrics(const Value& metrics, HostConfig& config, std::vector<ConfigError>& errors) {
  if (metrics.IsNull()) {
    config.metrics.reset();
    return;
  }
  if (!metrics.IsObject()) {
    errors.push_back({"/metrics", "must be an object or null (no /metrics)"});
    return;
  }
  check_known_keys(metrics, "/metrics", {"path", "allow"}, errors);
  MetricsConfig parsed;
  if (metrics.HasMember("path")) {
    if (is_own_path(metrics["path"])) parsed.path = metrics["path"].GetString();
    else errors.push_back({"/metrics/path", "must be a path such as \"/metrics\""});
  }
  parsed.allow = config.metrics ? config.metrics->allow : std::vector<AddressRange>{};
  if (metrics.HasMember("allow")) {
    const Value& allow = metrics["allow"];
    parsed.allow.clear();
    if (!allow.IsArray()) errors.push_back({"/metrics/allow", "must be an array of CIDRs, e.g. \"10.0.0.0/8\""});
    for (rapidjson::SizeType i = 0; allow.IsArray() && i < allow.Size(); ++i) {
      auto range = allow[i].IsString() ? AddressRange::parse(allow[i].GetString()) : std::nullopt;
      if (range) parsed.allow.push_back(*range);
      else errors.push_back({"/metrics/allow/" + std::to_string(i), "must be a CIDR such as \"127.0.0.0/8\" or \"::1/128\""});
    }
  }
  config.metrics = std::move(parsed);
}

void read_trusted_proxies(const Value& proxies, HostConfig& config, std::vector<ConfigError>& errors) {
  if (!proxies.IsArray()) {
    errors.push_back({"/trusted_proxies", "must be an array of CIDRs, e.g. [\"10.0.0.0/8\"]"});
    return;
  }
  for (rapidjson::SizeType i = 0; i < proxies.Size(); ++i) {
    const Value& entry = proxies[i];
    auto range = entry.IsString() ? AddressRange::parse(std::string_view(entry.GetString(), entry.GetStringLength()))
                                  : std::nullopt;
    if (range) config.trusted_proxies.push_back(*range);
    else
      errors.push_back({"/trusted_proxies/" + std::to_string(i), "must be a CIDR such as \"10.0.0.0/8\" or an address"});
  }
}

void read_health(const Value& health, HostConfig& config, std::vector<ConfigError>& errors) {
  if (!health.IsObject()) {
    errors.push_back({"/health", "must be an object"});
    return;
  }
  check_known_keys(health, "/health", {"live", "ready"}, errors);
  for (auto [key, target] : {std::pair{"live", &config.health.live}, std::pair{"ready", &config.health.ready}}) {
    if (!health.HasMember(key)) continue;
    if (is_own_path(health[key])) *target = health[key].GetString();
    else errors.push_back({std::string("/health/") + key, "must be a path such as \"/healthz\""});
  }
}

void read_document(const Value& root, HostConfig& config, std::vector<ConfigError>& errors) {
  if (!root.IsObject()) {
    errors.push_back({"", "the config must be a JSON object"});
    return;
  }
  check_known_keys(root, "",
                   {"listen", "threads", "max_body_bytes", "static", "plugins", "metrics", "health", "trusted_proxies"},
                   errors);
  if (root.HasMember("listen")) {
    const Value& listen = root["listen"];
    auto parsed = listen.IsString() ? parse_listen_address(std::string_view(listen.GetString(), listen.GetStringLength())) : std::nullopt;
    if (parsed) config.listen = *parsed;
    else errors.push_back({"/listen", "must be a string \"HOST:PORT\""});
  }
  if (root.HasMember("threads")) {
    const Value& threads = root["threads"];
    if (threads.IsUint() && threads.GetUint() >= 1 && threads.GetUint() <= 256) config.threads = threads.GetUint();
    else errors.push_back({"/threads", "must be an integer from 1 to 256"});
  }
  if (root.HasMember("max_body_bytes")) {
    const Value& max_body = root["max_body_bytes"];
    if (max_body.IsUint64() && max_body.GetUint64() <= (64ull << 20)) config.max_body_bytes = max_body.GetUint64();
    else errors.push_back({"/max_body_bytes", "must be an integer from 0 to 67108864"});
  }
  if (root.HasMember("static")) read_statics(root["static"], config, errors);
  if (root.HasMember("plugins")) read_plugins(root["plugins"], config, errors);
  if (root.HasMember("metrics")) read_metrics(root["metrics"], config, errors);
  if (root.HasMember("health")) read_health(root["health"], config, errors);
  if (root.HasMember("trusted_proxies")) read_trusted_proxies(root["trusted_proxies"], config, errors);
  const std::string* metrics_path = config.metrics ? &config.metrics->path : nullptr;
  if ((metrics_path && (*metrics_path == config.health.live || *metrics_path == config.health.ready)) ||
      config.health.live == config.health.ready) {
    errors.push_back({"/health", "the metrics, live and ready paths must differ"});
  }
}

}  // namespace

HostConfig::HostConfig() : metrics(MetricsConfig{}) {
  metrics->allow = {*AddressRange::parse("127.0.0.0/8"), *AddressRange::parse("::1/128")};
}

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

std::optional<ListenAddress> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  std::string host(text.substr(0, colon));
  const bool bracketed = host.front() == '[';
  if (bracketed != (host.back() == ']')) return std::nullopt;
  if (bracketed) host = host.substr(1, host.size() - 2);
  // An IPv6 address needs its brackets ("[::1]:80"), or its last group would read as the port.
  if (!bracketed && host.find(':') != std::string::npos) return std::nullopt;
  if (host.find_first_of(std::string_view("[]\0", 3)) != std::string::npos) return std::nullopt;
  const std::string_view port_text = text.substr(colon + 1);
  if (port_text.size() > 5) return std::nullopt;
  uint32_t port = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  if (port > 65535 || host.empty()) return std::nullopt;
  return ListenAddress{host, static_cast<uint16_t>(port)};
}

ConfigResult load_host_config(const std::string& path, const EnvLookup& env) {
  ConfigResult result;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.errors.push_back({"", "cannot read the file"});
    return result;
  }
  std::stringstream text;
  text << in.rdbuf();

  // Iterative parsing and a nesting limit: a deep document overflowed the stack (found by fuzzing).
  rapidjson::Document document;
  const std::string bytes = text.str();
  document.Parse<rapidjson::kParseIterativeFlag>(bytes.c_str(), bytes.size());
  if (document.HasParseError()) {
    result.errors.push_back({"", std::string("invalid JSON at byte ") + std::to_string(document.GetErrorOffset()) +
                                     ": " + rapidjson::GetParseError_En(document.GetParseError())});
    return result;
  }
  if (nests_deeper_than(document, kMaxConfigDepth)) {
    result.errors.push_back({"", "objects and arrays nest deeper than " + std::to_string(kMaxConfigDepth)});
    return result;
  }
  substitute_env(document, document.GetAllocator(), "", env, result.errors);

  HostConfig config;
  config.file = path;
  config.dir = fs::absolute(path).parent_path().lexically_normal().string();
  read_document(document, config, result.errors);
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

}  // namespace latchkey::host
