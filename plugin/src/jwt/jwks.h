// JWKS documents (RFC 7517 §5): writing a key set's public keys (served at /.well-known/jwks.json)
// and reading a provider's (Google's) into a verify-only key set.
#pragma once

#include <string>
#include <string_view>

#include "jwt/key_set.h"

namespace latchkey::jwt {

// {"keys":[...]} with one entry per asymmetric key (kty, crv, x[, y] or n, e; kid, alg,
// use:"sig"), in kid order; HS256 keys are never listed, so an HS256-only set gives {"keys":[]}.
std::string jwks_json(const KeySet& keys);

// A verify-only key set from a JWKS document. Taken: RSA keys (n, e; 2048 to 8192 bits) as RS256
// and EC P-256 keys (x, y) as ES256, each with a non-empty kid. Skipped without error: other kty
// or curves, keys without kid, `use` other than "sig", an `alg` other than the key's, and key
// material that is not a valid key. Errors: not one JSON object with a "keys" array (strict JSON,
// no duplicate names), or two usable keys sharing a kid.
KeySetResult parse_jwks(std::string_view json);

}  // namespace latchkey::jwt
