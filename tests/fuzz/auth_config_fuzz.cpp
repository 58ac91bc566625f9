// The auth plugin's config (CONTRACT §4), as the host hands it over in JSON bytes: parse and
// check, including the key files it names (a folder with an Ed25519 and a P-256 key in it).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/auth_config.h"
#include "fuzz_keys.h"
#include "scratch_dir.h"

using namespace latchkey;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string config_dir = [] {
    fuzz::write_file(fuzz::scratch_dir() / "ed25519.pem", fuzz::kEd25519Pem);
    fuzz::write_file(fuzz::scratch_dir() / "p256.pem", fuzz::kP256Pem);
    return fuzz::scratch_dir().string();
  }();
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const config::AuthConfigResult result = config::parse_auth_config(json, config_dir);
  if (result.config.has_value() == !result.errors.empty()) std::abort();
  return 0;
}
