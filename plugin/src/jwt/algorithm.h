// The JWS algorithms Latchkey signs and verifies with, and their exact `alg` names (RFC 7518).
// Adding one (RS256 for Google ID tokens) means a value here and a case in key.cpp.
#pragma once

#include <optional>
#include <string_view>

namespace latchkey::jwt {

enum class Algorithm {
  HS256,  // HMAC-SHA256, secret of at least 32 bytes
  EdDSA,  // Ed25519 (RFC 8037)
  ES256,  // ECDSA P-256 with SHA-256, raw r||s signatures
};

// The registered `alg` name, e.g. "HS256".
std::string_view algorithm_name(Algorithm algorithm);

// Exact, case-sensitive match against the allowlist: "none", "hs256" and the like give nullopt.
std::optional<Algorithm> parse_algorithm(std::string_view name);

}  // namespace latchkey::jwt
