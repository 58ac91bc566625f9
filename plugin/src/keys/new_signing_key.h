// A freshly generated signing key, ready for the signing_keys table: its private part already
// encrypted, its public part as a PEM (none for HS256).
#pragma once

#include <cstdint>

#include "jwt/algorithm.h"
#include "keys/key_encryption.h"
#include "keys/signing_key_store.h"

namespace latchkey::keys {

// HS256: 32 random bytes (kid "hs-…", derived from them as for a config secret); EdDSA / ES256: a
// new key pair (kid "ed-" / "es-" and its RFC 7638 thumbprint). Standby, created at `now`.
StoredKey generate_signing_key(jwt::Algorithm algorithm, const KeyEncryption& encryption, std::int64_t now);

}  // namespace latchkey::keys
