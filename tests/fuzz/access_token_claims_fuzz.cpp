// Access-token claims: the input is the payload of a token correctly signed with the HS256 key
// (typ at+jwt), so every byte reaches the claim checks of verify_access_token.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_keys.h"
#include "jwt/access_token.h"
#include "jwt/jws.h"

using namespace latchkey;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  const jwt::KeySet& keys = fuzz::key_set();
  const std::string token = jwt::sign_jws(*keys.signing_key(), payload, jwt::kAccessTokenType);

  jwt::AccessTokenCheck check{"latchkey", "latchkey", std::chrono::seconds(30),
                              std::chrono::sys_seconds(std::chrono::seconds(1700000000)), {}};
  const jwt::VerifiedAccessToken verified = jwt::verify_access_token(token, keys, check);
  if (verified.error == jwt::AccessTokenError::none) {
    // What the filter then believes must be what was signed.
    if (verified.claims_json != payload) std::abort();
    if (verified.claims.sub.empty() || verified.claims.sid.empty() || verified.claims.iss != "latchkey") std::abort();
    if (verified.claims.exp < 1700000000 - 30) std::abort();
  }
  return 0;
}
