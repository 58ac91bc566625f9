// The JWS algorithms Latchkey signs and verifies with, and their exact `alg` names (RFC 7518).
// RS256 is verify-only: Latchkey never issues it, it verifies Google ID tokens with it.
#pragma once

#include <optional>
#include <string_view>

namespace latchkey::jwt {

enum class Algorithm {
  HS256,  // HMAC-SHA256, secret of at least 32 bytes
  EdDSA,  // Ed25519 (RFC 8037)
  ES256,  // ECDSA P-256 with SHA-256, raw r||s signatures
  RS256,  // RSASSA-PKCS1-v1_5 with SHA-256, modulus of at least 2048 bits; verify-only
};

// The registered `alg` name, e.g. "HS256".
std::string_view algorithm_name(Algorithm algorithm);

// The algorithms Latchkey issues its own tokens with (`tokens.algorithm`, keygen): HS256, EdDSA,
// ES256. Exact, case-sensitive match: "none", "hs256", "RS256" and the like give nullopt.
std::optional<Algorithm> parse_algorithm(std::string_view name);

// Every `alg` a JWS header may name (the issuing ones plus RS256), exact and case-sensitive. The
// key's own algorithm still has to match: this is only the outer allowlist.
std::optional<Algorithm> parse_jws_algorithm(std::string_view name);

}  // namespace latchkey::jwt
