// A compact JWS from outside (a cookie, an Authorization header, a Google sign-in POST), through
// every verifier that takes one: verify_jws, verify_access_token and google::verify_id_token,
// against HS256, EdDSA and ES256 keys.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_keys.h"
#include "google/id_token.h"
#include "jwt/access_token.h"
#include "jwt/jws.h"

using namespace latchkey;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  const jwt::KeySet& keys = fuzz::key_set();

  const jwt::VerifiedJws jws = jwt::verify_jws(token, keys);
  // A payload is decoded only behind a valid signature.
  if (jws.error != jwt::JwsError::none && !jws.payload_json.empty()) std::abort();

  jwt::AccessTokenCheck check{"latchkey", "latchkey", std::chrono::seconds(30),
                              std::chrono::sys_seconds(std::chrono::seconds(1700000000)), {}};
  const jwt::VerifiedAccessToken access = jwt::verify_access_token(token, keys, check);
  if (access.error == jwt::AccessTokenError::none && jws.error != jwt::JwsError::none) std::abort();
  // The access-token path checks the JWS its own way (no documents, remembered header segments):
  // it must give verify_jws's answer, also the second time, when the header may be remembered.
  if (access.jws_error != jws.error) std::abort();
  const jwt::VerifiedAccessToken again = jwt::verify_access_token(token, keys, check);
  if (again.error != access.error || again.jws_error != access.jws_error || again.claims_json != access.claims_json) {
    std::abort();
  }

  google::IdTokenCheck google_check{"client.apps.googleusercontent.com", std::chrono::seconds(30),
                                    std::chrono::sys_seconds(std::chrono::seconds(1700000000)), {}};
  const google::VerifiedIdToken id = google::verify_id_token(token, keys, google_check);
  if (id.error == google::IdTokenError::none && jws.error != jwt::JwsError::none) std::abort();
  return 0;
}
