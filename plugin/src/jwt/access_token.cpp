// Access tokens: claims written with RapidJSON, read back with exact JSON types, times with leeway.
#include "jwt/access_token.h"

#include <algorithm>
#include <stdexcept>

#include <botan/system_rng.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "jwt/base64url.h"
#include "jwt/json_strict.h"

namespace latchkey::jwt {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Room for the document of a claims set like ours (~260 bytes of JSON, ~12 members) and more.
constexpr std::size_t kClaimsBufferBytes = 4096;

void write_string(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

bool read_string(const rapidjson::Value& object, const char* name, std::string& out) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return false;
  out.assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

bool read_nonempty_string(const rapidjson::Value& object, const char* name, std::string& out) {
  return read_string(object, name, out) && !out.empty();
}

bool read_strings(const rapidjson::Value& array, std::vector<std::string>& out) {
  if (!array.IsArray()) return false;
  for (const auto& item : array.GetArray()) {
    if (!item.IsString()) return false;
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return true;
}

// NumericDate as an integer number of seconds; 1.5, "1700000000" and null are all refused.
bool read_time(const rapidjson::Value& object, const char* name, std::int64_t& out) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsInt64()) return false;
  out = it->value.GetInt64();
  return true;
}

bool read_claims(const rapidjson::Value& payload, AccessTokenClaims& claims) {
  const auto aud = payload.FindMember("aud");
  if (aud == payload.MemberEnd()) return false;
  if (aud->value.IsString()) {
    claims.aud.emplace_back(aud->value.GetString(), aud->value.GetStringLength());
  } else if (!read_strings(aud->value, claims.aud)) {
    return false;
  }
  const auto roles = payload.FindMember("roles");
  if (roles == payload.MemberEnd() || !read_strings(roles->value, claims.roles)) return false;
  if (payload.HasMember("nbf") && !payload["nbf"].IsInt64()) return false;
  const auto amr = payload.FindMember("amr");
  if (amr != payload.MemberEnd() && !read_strings(amr->value, claims.amr)) return false;
  if (payload.HasMember("auth_time") && !read_time(payload, "auth_time", claims.auth_time)) return false;
  return read_nonempty_string(payload, "iss", claims.iss) &&
         read_nonempty_string(payload, "sub", claims.sub) &&
         read_string(payload, "email", claims.email) &&
         read_nonempty_string(payload, "sid", claims.sid) &&
         read_nonempty_string(payload, "jti", claims.jti) &&
         read_time(payload, "iat", claims.iat) && read_time(payload, "exp", claims.exp);
}

}  // namespace

IssuedAccessToken sign_access_token(const KeySet& keys, const AccessTokenSubject& subject,
                                    const AccessTokenSettings& settings,
                                    std::chrono::sys_seconds now) {
  const Key* key = keys.signing_key();
  if (key == nullptr) throw std::logic_error("sign_access_token needs a key set with a signing key");

  IssuedAccessToken issued;
  issued.jti = base64url_encode(std::span<const std::uint8_t>(Botan::system_rng().random_vec(16)));
  issued.iat = now.time_since_epoch().count();
  issued.exp = issued.iat + settings.ttl.count();

  rapidjson::StringBuffer claims;
  Writer writer(claims);
  writer.StartObject();
  writer.Key("iss"); write_string(writer, settings.issuer);
  writer.Key("aud"); write_string(writer, settings.audience);
  writer.Key("sub"); write_string(writer, subject.sub);
  writer.Key("email"); write_string(writer, subject.email);
  writer.Key("roles");
  writer.StartArray();
  for (const std::string& role : subject.roles) write_string(writer, role);
  writer.EndArray();
  writer.Key("sid"); write_string(writer, subject.sid);
  writer.Key("amr");
  writer.StartArray();
  for (const std::string& method : subject.amr) write_string(writer, method);
  writer.EndArray();
  writer.Key("auth_time"); writer.Int64(subject.auth_time);
  writer.Key("jti"); write_string(writer, issued.jti);
  writer.Key("iat"); writer.Int64(issued.iat);
  writer.Key("exp"); writer.Int64(issued.exp);
  writer.EndObject();

  issued.token = sign_jws(*key, std::string_view(claims.GetString(), claims.GetSize()),
                          kAccessTokenType);
  return issued;
}

VerifiedAccessToken verify_access_token(std::string_view token, const KeySet& keys,
                                        const AccessTokenCheck& check) {
  VerifiedAccessToken result;
  VerifiedJwsPayload jws = verify_jws_payload(token, keys, check.limits);
  if (jws.error != JwsError::none) {
    result.error = AccessTokenError::invalid_jws;
    result.jws_error = jws.error;
    return result;
  }
  // The claims document lives only in this call: its values go to a buffer on the stack (RapidJSON
  // takes more from the heap only for a payload far larger than ours) rather than a 64 KiB chunk.
  char buffer[kClaimsBufferBytes];
  rapidjson::MemoryPoolAllocator<> allocator(buffer, sizeof buffer);
  rapidjson::Document payload(&allocator);
  if (!parse_json_object_into(jws.payload_json, check.limits.max_json_depth, payload)) {
    result.error = AccessTokenError::invalid_jws;  // as verify_jws reports a payload that is not one object
    result.jws_error = JwsError::bad_json;
    return result;
  }
  if (jws.typ != kAccessTokenType) {
    result.error = AccessTokenError::wrong_type;
    return result;
  }

  AccessTokenClaims claims;
  if (!read_claims(payload, claims)) {
    result.error = AccessTokenError::bad_claims;
    return result;
  }
  if (claims.iss != check.issuer) {
    result.error = AccessTokenError::wrong_issuer;
    return result;
  }
  if (std::find(claims.aud.begin(), claims.aud.end(), check.audience) == claims.aud.end()) {
    result.error = AccessTokenError::wrong_audience;
    return result;
  }
  // Written so that no sum can overflow whatever integers the token holds.
  const std::int64_t now = check.now.time_since_epoch().count();
  const std::int64_t leeway = std::max<std::int64_t>(0, check.leeway.count());
  if (now - leeway > claims.exp) {
    result.error = AccessTokenError::expired;
    return result;
  }
  const auto nbf = payload.FindMember("nbf");
  if (claims.iat > now + leeway ||
      (nbf != payload.MemberEnd() && nbf->value.GetInt64() > now + leeway)) {
    result.error = AccessTokenError::not_yet_valid;
    return result;
  }
  result.claims = std::move(claims);
  result.claims_json = std::move(jws.payload_json);
  return result;
}

}  // namespace latchkey::jwt
