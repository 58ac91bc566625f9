// Access tokens (RFC 9068 profile, CONTRACT §3): what is signed into one, and the checks a token
// must pass before its claims are believed.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jwt/jws.h"

namespace latchkey::jwt {

inline constexpr std::string_view kAccessTokenType = "at+jwt";

// Who the token is for; the rest (iss, aud, jti, iat, exp) the signer adds.
struct AccessTokenSubject {
  std::string sub;  // user id
  std::string email;
  std::vector<std::string> roles;
  std::string sid;  // session id
  // How and when the session authenticated (CONTRACT §10): RFC 8176 values such as {"pwd", "otp"}
  // and epoch seconds; both signed as claims (amr, auth_time).
  std::vector<std::string> amr = {};
  std::int64_t auth_time = 0;
};

struct AccessTokenSettings {
  std::string issuer;
  std::string audience;
  std::chrono::seconds ttl{900};
};

struct IssuedAccessToken {
  std::string token;
  std::string jti;
  std::int64_t iat = 0;
  std::int64_t exp = 0;  // iat + ttl, exactly
};

// Signs with keys.signing_key() (a verify-only set is a programming error: std::logic_error).
// jti is 128 random bits in base64url; `now` is the issuing time (tests pass a fixed one).
IssuedAccessToken sign_access_token(const KeySet& keys, const AccessTokenSubject& subject,
                                    const AccessTokenSettings& settings,
                                    std::chrono::sys_seconds now);

struct AccessTokenCheck {
  std::string issuer;
  std::string audience;
  std::chrono::seconds leeway{30};
  std::chrono::sys_seconds now;  // the verifier's clock, passed in
  JwsLimits limits;
};

enum class AccessTokenError {
  none,
  invalid_jws,     // see VerifiedAccessToken::jws_error
  wrong_type,      // typ is not exactly "at+jwt"
  bad_claims,      // a required claim missing or of the wrong JSON type
  wrong_issuer,
  wrong_audience,
  not_yet_valid,   // nbf or iat later than now + leeway
  expired,         // now > exp + leeway: the only failure a client answers by refreshing
};

struct AccessTokenClaims {
  std::string iss;
  std::vector<std::string> aud;  // a string aud becomes one element
  std::string sub;
  std::string email;
  std::vector<std::string> roles;
  std::string sid;
  std::string jti;
  std::int64_t iat = 0;
  std::int64_t exp = 0;
  // Optional: tokens signed before issue 14 have neither (empty, 0). Wrong JSON types are refused.
  std::vector<std::string> amr = {};
  std::int64_t auth_time = 0;
};

struct VerifiedAccessToken {
  AccessTokenError error = AccessTokenError::none;
  JwsError jws_error = JwsError::none;
  AccessTokenClaims claims;  // meaningful only when error is none
  std::string claims_json;   // the verified payload, byte for byte
};

VerifiedAccessToken verify_access_token(std::string_view token, const KeySet& keys,
                                        const AccessTokenCheck& check);

}  // namespace latchkey::jwt
