// Google sign-in's front door: a credential (ID token) in, a verified identity or a reason out.
// Owns the JWKS cache; the token's header is checked for form and alg before any key lookup, so
// a malformed token, `alg: none` or HS256 never causes a JWKS fetch.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "config/auth_config.h"
#include "google/id_token.h"
#include "google/jwks_cache.h"

namespace latchkey::google {

enum class VerifyOutcome { ok, invalid, jwks_unavailable };

struct VerifyResult {
  VerifyOutcome outcome = VerifyOutcome::invalid;
  IdTokenError error = IdTokenError::none;          // with invalid
  jwt::JwsError jws_error = jwt::JwsError::none;    // with invalid_jws
  GoogleIdentity identity;                          // with ok
};

using WallClock = std::function<std::chrono::system_clock::time_point()>;

class GoogleVerifier {
 public:
  GoogleVerifier(std::string client_id, std::chrono::seconds leeway, std::unique_ptr<JwksCache> jwks,
                 WallClock clock = std::chrono::system_clock::now);

  // From the plugin config: null with `error` when google.client_id is unset (Google sign-in is
  // off) or google.jwks is not an https URL, a loopback http URL or a file (resolved against the
  // config folder). `log` receives one line per failed JWKS fetch.
  static std::unique_ptr<GoogleVerifier> from_config(const config::AuthConfig& config, LogLine log,
                                                     std::string& error);

  VerifyResult verify(std::string_view id_token) const;

 private:
  std::string client_id_;
  std::chrono::seconds leeway_;
  std::unique_ptr<JwksCache> jwks_;
  WallClock clock_;
};

}  // namespace latchkey::google
