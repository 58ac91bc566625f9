// Access tokens: claims written with RapidJSON, read back with exact JSON types, times with leeway.
#include "jwt/access_token.h"

#include <algorithm>
#include <cstddef>
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

// The members the claim checks read, found in one pass over the payload (its names are unique:
// the parser refused duplicates); null when absent.
struct ClaimMembers {
  const rapidjson::Value* iss = nullptr;
  const rapidjson::Value* aud = nullptr;
  const rapidjson::Value* sub = nullptr;
  const rapidjson::Value* email = nullptr;
  const rapidjson::Value* roles = nullptr;
  const rapidjson::Value* sid = nullptr;
  const rapidjson::Value* jti = nullptr;
  const rapidjson::Value* iat = nullptr;
  const rapidjson::Value* exp = nullptr;
  const rapidjson::Value* nbf = nullptr;
  const rapidjson::Value* amr = nullptr;
  const rapidjson::Value* auth_time = nullptr;
};

ClaimMembers find_claim_members(const rapidjson::Value& payload) {
  ClaimMembers found;
  for (const auto& member : payload.GetObject()) {
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    const rapidjson::Value* value = &member.value;
    if (name == "iss") found.iss = value;
    else if (name == "aud") found.aud = value;
    else if (name == "sub") found.sub = value;
    else if (name == "email") found.email = value;
    else if (name == "roles") found.roles = value;
    else if (name == "sid") found.sid = value;
    else if (name == "jti") found.jti = value;
    else if (name == "iat") found.iat = value;
    else if (name == "exp") found.exp = value;
    else if (name == "nbf") found.nbf = value;
    else if (name == "amr") found.amr = value;
    else if (name == "auth_time") found.auth_time = value;
  }
  return found;
}

bool read_string(const rapidjson::Value* value, std::string& out) {
  if (value == nullptr || !value->IsString()) return false;
  out.assign(value->GetString(), value->GetStringLength());
  return true;
}

bool read_nonempty_string(const rapidjson::Value* value, std::string& out) {
  return read_string(value, out) && !out.empty();
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
bool read_time(const rapidjson::Value* value, std::int64_t& out) {
  if (value == nullptr || !value->IsInt64()) return false;
  out = value->GetInt64();
  return true;
}

bool read_claims(const ClaimMembers& members, AccessTokenClaims& claims) {
  if (members.aud == nullptr) return false;
  if (members.aud->IsString()) {
    claims.aud.emplace_back(members.aud->GetString(), members.aud->GetStringLength());
  } else if (!read_strings(*members.aud, claims.aud)) {
    return false;
  }
  if (members.roles == nullptr || !read_strings(*members.roles, claims.roles)) return false;
  if (members.nbf != nullptr && !members.nbf->IsInt64()) return false;
  if (members.amr != nullptr && !read_strings(*members.amr, claims.amr)) return false;
  if (members.auth_time != nullptr && !read_time(members.auth_time, claims.auth_time)) return false;
  return read_nonempty_string(members.iss, claims.iss) && read_nonempty_string(members.sub, claims.sub) &&
         read_string(members.email, claims.email) && read_nonempty_string(members.sid, claims.sid) &&
         read_nonempty_string(members.jti, claims.jti) && read_time(members.iat, claims.iat) &&
         read_time(members.exp, claims.exp);
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
  alignas(std::max_align_t) char buffer[kClaimsBufferBytes];  // RapidJSON puts its chunk header and values here
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

  const ClaimMembers members = find_claim_members(payload);
  AccessTokenClaims claims;
  if (!read_claims(members, claims)) {
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
  if (claims.iat > now + leeway || (members.nbf != nullptr && members.nbf->GetInt64() > now + leeway)) {
    result.error = AccessTokenError::not_yet_valid;
    return result;
  }
  result.claims = std::move(claims);
  result.claims_json = std::move(jws.payload_json);
  return result;
}

}  // namespace latchkey::jwt
