// A tiny identity provider for the google unit tests: one RSA-2048 key (made once), its JWKS, and
// ID tokens with any claims.
#pragma once

#include <botan/pkcs8.h>
#include <botan/rsa.h>
#include <botan/system_rng.h>

#include <string>

#include "jwt/jwks.h"
#include "jwt/jws.h"
#include "jwt_test_support.h"

namespace latchkey::google::testing {

inline const std::string& rsa_pem() {
  static const std::string pem = Botan::PKCS8::PEM_encode(Botan::RSA_PrivateKey(Botan::system_rng(), 2048));
  return pem;
}

inline jwt::Key provider_key(const std::string& kid = "g1") {
  return jwt::testing::must(jwt::Key::from_rsa_private_pem(rsa_pem(), kid));
}

// The JWKS document of the given keys' public halves.
inline std::string jwks_of(std::vector<jwt::Key> keys) {
  return jwt::jwks_json(jwt::testing::must(jwt::KeySet::verify_only(std::move(keys))));
}

inline jwt::KeySet provider_keys(const std::string& kid = "g1") {
  return jwt::testing::must(jwt::parse_jwks(jwks_of({provider_key(kid)})));
}

}  // namespace latchkey::google::testing
