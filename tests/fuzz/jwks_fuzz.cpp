// A provider's JWKS document (Google's, fetched or from a file) into a verify-only key set, and
// the Cache-Control value that comes with it. A set that was read is written back with
// jwks_json and must read back to the same kids.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "google/jwks_fetch.h"
#include "jwt/jwks.h"

using namespace latchkey;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const jwt::KeySetResult parsed = jwt::parse_jwks(text);
  if (parsed.key_set) {
    const jwt::KeySetResult again = jwt::parse_jwks(jwt::jwks_json(*parsed.key_set));
    if (!again.key_set || again.key_set->keys().size() != parsed.key_set->keys().size()) std::abort();
    for (const auto& [kid, key] : parsed.key_set->keys()) {
      const jwt::Key* same = again.key_set->find(kid);
      if (same == nullptr || same->algorithm() != key.algorithm()) std::abort();
    }
  }
  if (const auto max_age = google::parse_max_age(text); max_age && max_age->count() < 0) std::abort();
  return 0;
}
