// The JWKS document (RFC 7517 §5) of a key set's public keys, served at /.well-known/jwks.json.
#pragma once

#include <string>

#include "jwt/key_set.h"

namespace latchkey::jwt {

// {"keys":[...]} with one entry per asymmetric key (kty, crv, x[, y], kid, alg, use:"sig"), in
// kid order; HS256 keys are never listed, so an HS256-only set gives {"keys":[]}.
std::string jwks_json(const KeySet& keys);

}  // namespace latchkey::jwt
