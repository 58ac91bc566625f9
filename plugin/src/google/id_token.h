// Google ID tokens as Google documents them (developers.google.com/identity/gsi/web/guides/
// verify-google-id-token): signature by a key of Google's JWKS (RS256 or ES256), iss, aud,
// exp/iat with leeway. Only a verified token's claims are read; email_verified decides whether
// the email may be trusted.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "jwt/jws.h"

namespace latchkey::google {

inline constexpr std::string_view kGoogleIssuers[] = {"accounts.google.com", "https://accounts.google.com"};

struct IdTokenCheck {
  std::string client_id;              // the required aud
  std::chrono::seconds leeway{30};
  std::chrono::sys_seconds now;
  jwt::JwsLimits limits;
};

enum class IdTokenError {
  none,
  invalid_jws,     // form, header, alg, kid, signature: see VerifiedIdToken::jws_error
  wrong_type,      // a typ other than "JWT" (e.g. our own at+jwt)
  wrong_algorithm, // a key of the set that is neither RS256 nor ES256
  bad_claims,      // a required claim missing or of the wrong JSON type
  wrong_issuer,
  wrong_audience,
  not_yet_valid,   // iat or nbf later than now + leeway
  expired,
};

// What a verified ID token says about the person.
struct GoogleIdentity {
  std::string subject;               // sub: Google's stable account id
  std::optional<std::string> email;
  bool email_verified = false;       // true only for a JSON true
  std::optional<std::string> nonce;
  std::int64_t iat = 0;
  std::int64_t exp = 0;
};

struct VerifiedIdToken {
  IdTokenError error = IdTokenError::none;
  jwt::JwsError jws_error = jwt::JwsError::none;
  GoogleIdentity identity;  // meaningful only when error is none
};

VerifiedIdToken verify_id_token(std::string_view token, const jwt::KeySet& google_keys, const IdTokenCheck& check);

}  // namespace latchkey::google
