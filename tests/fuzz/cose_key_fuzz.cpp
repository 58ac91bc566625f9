// Any bytes as a COSE_Key (plugin/src/webauthn/cose_key.cpp), as stored at registration and read
// back at every sign-in: a key taken is one of the three algorithms with a Botan key of the right
// kind and size; a key refused says why; a signature check never throws, whatever the key.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/rsa.h>

#include "webauthn/cose_key.h"

using namespace latchkey::webauthn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const CoseKeyResult result = parse_cose_key(bytes);
  if (const auto* error = std::get_if<CoseKeyError>(&result)) {
    if (error->reason.empty() || (error->verdict != Verdict::malformed && error->verdict != Verdict::refused)) std::abort();
    return 0;
  }
  const CoseKey& key = std::get<CoseKey>(result);
  if (!key.key) std::abort();
  switch (key.algorithm) {
    case CoseAlgorithm::es256:
      if (dynamic_cast<const Botan::ECDSA_PublicKey*>(key.key.get()) == nullptr || key.key->key_length() != 256) std::abort();
      break;
    case CoseAlgorithm::eddsa:
      if (dynamic_cast<const Botan::Ed25519_PublicKey*>(key.key.get()) == nullptr) std::abort();
      break;
    case CoseAlgorithm::rs256:
      if (dynamic_cast<const Botan::RSA_PublicKey*>(key.key.get()) == nullptr || key.key->key_length() < kMinRsaBits ||
          key.key->key_length() > kMaxRsaBits) {
        std::abort();
      }
      break;
    default:
      std::abort();
  }
  // The input's own bytes as message and signature: exercises each verifier on odd shapes.
  (void)verify_signature(key, bytes.substr(0, size / 2), bytes.substr(size / 2));
  return 0;
}
