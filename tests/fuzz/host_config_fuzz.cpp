// The host's config file (CONTRACT §2) through load_host_config, with ${NAME} substitution from a
// fixed environment, and the same bytes as a "listen" address for parse_listen_address.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config.h"
#include "scratch_dir.h"

using namespace latchkey;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const std::string path = (fuzz::scratch_dir() / "latchkey.json").string();
  fuzz::write_file(path, text);

  static const std::map<std::string, std::string> environment = {
      {"PORT", "8080"}, {"LISTEN", "0.0.0.0:9000"}, {"SECRET", "0123456789abcdef0123456789abcdef"},
      {"EMPTY", ""}, {"JSONISH", "{\"a\":1}"}, {"PLUGIN", "/usr/lib/latchkey/liblatchkey_auth.so"}};
  const host::EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    const auto it = environment.find(name);
    if (it == environment.end()) return std::nullopt;
    return it->second;
  };
  const host::ConfigResult result = host::load_host_config(path, env);
  if (result.config.has_value() == !result.errors.empty()) std::abort();
  if (result.config) {
    for (const auto& mount : result.config->statics) {
      if (mount.url_prefix.empty() || mount.url_prefix.back() != '/') std::abort();
    }
  }

  if (const auto listen = host::parse_listen_address(text); listen && listen->host.empty()) std::abort();
  return 0;
}
