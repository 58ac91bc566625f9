// Names of the JWS algorithms in the allowlist.
#include "jwt/algorithm.h"

namespace latchkey::jwt {

std::string_view algorithm_name(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::HS256: return "HS256";
    case Algorithm::EdDSA: return "EdDSA";
    case Algorithm::ES256: return "ES256";
    case Algorithm::RS256: return "RS256";
  }
  return "";
}

std::optional<Algorithm> parse_algorithm(std::string_view name) {
  for (const Algorithm a : {Algorithm::HS256, Algorithm::EdDSA, Algorithm::ES256}) {
    if (name == algorithm_name(a)) return a;
  }
  return std::nullopt;
}

std::optional<Algorithm> parse_jws_algorithm(std::string_view name) {
  if (name == algorithm_name(Algorithm::RS256)) return Algorithm::RS256;
  return parse_algorithm(name);
}

}  // namespace latchkey::jwt
