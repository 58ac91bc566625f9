// ID-token claim checks on top of the strict JWS layer.
#include "google/id_token.h"

#include <algorithm>

namespace latchkey::google {
namespace {

constexpr std::size_t kMaxSubjectBytes = 255;
constexpr std::size_t kMaxEmailBytes = 320;

std::optional<std::string> optional_string(const rapidjson::Value& claims, const char* name, bool& bad) {
  const auto it = claims.FindMember(name);
  if (it == claims.MemberEnd()) return std::nullopt;
  if (!it->value.IsString()) {
    bad = true;
    return std::nullopt;
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<std::int64_t> optional_time(const rapidjson::Value& claims, const char* name, bool& bad) {
  const auto it = claims.FindMember(name);
  if (it == claims.MemberEnd()) return std::nullopt;
  if (!it->value.IsInt64()) {
    bad = true;
    return std::nullopt;
  }
  return it->value.GetInt64();
}

bool audience_matches(const rapidjson::Value& aud, const std::string& client_id) {
  const auto is_ours = [&](const rapidjson::Value& v) {
    return v.IsString() && std::string_view(v.GetString(), v.GetStringLength()) == client_id;
  };
  if (aud.IsString()) return is_ours(aud);
  // An array only when it names us alone: other audiences would mean a token meant for them too.
  return aud.IsArray() && aud.Size() == 1 && is_ours(aud[0]);
}

}  // namespace

VerifiedIdToken verify_id_token(std::string_view token, const jwt::KeySet& google_keys, const IdTokenCheck& check) {
  VerifiedIdToken result;
  const jwt::VerifiedJws jws = jwt::verify_jws(token, google_keys, check.limits);
  if (jws.error != jwt::JwsError::none) {
    result.error = IdTokenError::invalid_jws;
    result.jws_error = jws.error;
    return result;
  }
  // verify_jws matched alg to the key; Google's keys are RS256 or ES256 and nothing else is ours.
  const auto alg = jws.header["alg"].GetString();
  if (std::string_view(alg) != "RS256" && std::string_view(alg) != "ES256") {
    result.error = IdTokenError::wrong_algorithm;
    return result;
  }
  if (const auto typ = jws.header.FindMember("typ"); typ != jws.header.MemberEnd()) {
    std::string value(typ->value.GetString(), typ->value.GetStringLength());
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::toupper(c); });
    if (value != "JWT") {
      result.error = IdTokenError::wrong_type;
      return result;
    }
  }

  const rapidjson::Value& claims = jws.payload;
  bool bad = false;
  const auto iss = optional_string(claims, "iss", bad);
  const auto sub = optional_string(claims, "sub", bad);
  const auto email = optional_string(claims, "email", bad);
  const auto nonce = optional_string(claims, "nonce", bad);
  const auto exp = optional_time(claims, "exp", bad);
  const auto iat = optional_time(claims, "iat", bad);
  const auto nbf = optional_time(claims, "nbf", bad);
  const auto aud = claims.FindMember("aud");
  const auto verified = claims.FindMember("email_verified");
  if (bad || !iss || !sub || sub->empty() || sub->size() > kMaxSubjectBytes || !exp || !iat ||
      aud == claims.MemberEnd() || (email && email->size() > kMaxEmailBytes)) {
    result.error = IdTokenError::bad_claims;
    return result;
  }
  if (std::find(std::begin(kGoogleIssuers), std::end(kGoogleIssuers), *iss) == std::end(kGoogleIssuers)) {
    result.error = IdTokenError::wrong_issuer;
    return result;
  }
  if (!audience_matches(aud->value, check.client_id)) {
    result.error = IdTokenError::wrong_audience;
    return result;
  }
  const std::int64_t now = check.now.time_since_epoch().count();
  const std::int64_t leeway = check.leeway.count();
  if (now > *exp + leeway) {
    result.error = IdTokenError::expired;
    return result;
  }
  if (*iat > now + leeway || (nbf && *nbf > now + leeway)) {
    result.error = IdTokenError::not_yet_valid;
    return result;
  }
  result.identity.subject = *sub;
  result.identity.email = email;
  result.identity.email_verified = verified != claims.MemberEnd() && verified->value.IsBool() && verified->value.GetBool();
  result.identity.nonce = nonce;
  result.identity.iat = *iat;
  result.identity.exp = *exp;
  return result;
}

}  // namespace latchkey::google
