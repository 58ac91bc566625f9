// GoogleVerifier: header pre-check, key lookup through the cache, then the ID-token checks.
#include "google/google_verifier.h"

namespace latchkey::google {

GoogleVerifier::GoogleVerifier(std::string client_id, std::chrono::seconds leeway, std::unique_ptr<JwksCache> jwks,
                               WallClock clock)
    : client_id_(std::move(client_id)), leeway_(leeway), jwks_(std::move(jwks)), clock_(std::move(clock)) {}

std::unique_ptr<GoogleVerifier> GoogleVerifier::from_config(const config::AuthConfig& config, LogLine log,
                                                            std::string& error) {
  if (!config.google.client_id || config.google.client_id->empty()) {
    error = "google.client_id is not set: Google sign-in is off";
    return nullptr;
  }
  const std::string& location = config.google.jwks;
  const bool is_url = location.find("://") != std::string::npos;
  auto fetcher = make_jwks_fetcher(is_url ? location : config.resolve(location), FetchLimits{}, error);
  if (!fetcher) return nullptr;
  auto cache = std::make_unique<JwksCache>(std::move(*fetcher), JwksCachePolicy{}, std::chrono::steady_clock::now,
                                           std::move(log));
  return std::make_unique<GoogleVerifier>(*config.google.client_id,
                                          std::chrono::seconds(config.tokens.leeway_seconds), std::move(cache));
}

VerifyResult GoogleVerifier::verify(std::string_view id_token) const {
  VerifyResult result;
  const IdTokenCheck check{client_id_, leeway_, std::chrono::floor<std::chrono::seconds>(clock_()), {}};
  // Form, alg and kid first: only a well-formed RS256/ES256 token with a kid may reach the cache.
  const jwt::CompactJws form = jwt::parse_compact(id_token, check.limits);
  if (form.error != jwt::JwsError::none) {
    result.error = IdTokenError::invalid_jws;
    result.jws_error = form.error;
    return result;
  }
  const auto alg = form.header.FindMember("alg");
  const auto kid = form.header.FindMember("kid");
  const bool alg_ok = alg != form.header.MemberEnd() && alg->value.IsString() &&
                      (std::string_view(alg->value.GetString()) == "RS256" ||
                       std::string_view(alg->value.GetString()) == "ES256");
  if (!alg_ok || kid == form.header.MemberEnd() || !kid->value.IsString() || kid->value.GetStringLength() == 0) {
    result.error = IdTokenError::invalid_jws;
    result.jws_error = alg_ok ? jwt::JwsError::bad_header : jwt::JwsError::bad_algorithm;
    return result;
  }
  const JwksLookup lookup = jwks_->keys_for(std::string_view(kid->value.GetString(), kid->value.GetStringLength()));
  if (!lookup.keys) {
    result.outcome = VerifyOutcome::jwks_unavailable;
    return result;
  }
  const VerifiedIdToken verified = verify_id_token(id_token, *lookup.keys, check);
  result.error = verified.error;
  result.jws_error = verified.jws_error;
  if (verified.error != IdTokenError::none) return result;
  result.outcome = VerifyOutcome::ok;
  result.identity = verified.identity;
  return result;
}

}  // namespace latchkey::google
