// Compact JWS: form checks, the header rules of RFC 8725, signature first, payload after.
#include "jwt/jws.h"

#include <algorithm>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "jwt/base64url.h"
#include "jwt/json_strict.h"

namespace latchkey::jwt {
namespace {

// Header members that would make us decompress, follow a URL, trust an embedded key or honour
// an extension: we do none of these, so a token carrying one is refused outright.
constexpr const char* kRefusedHeaderMembers[] = {"crit", "zip", "jku", "jwk", "x5u", "x5c"};

// The member's string value, or nullopt when it is absent or not a string.
std::optional<std::string_view> string_member(const rapidjson::Value& object, const char* name) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string_view(it->value.GetString(), it->value.GetStringLength());
}

// Checks the header alone; on success sets `key` to the key the token must verify with.
JwsError check_header(const rapidjson::Value& header, const KeySet& keys, const Key*& key) {
  const auto alg_name = string_member(header, "alg");
  if (!alg_name) return JwsError::bad_header;
  const auto alg = parse_jws_algorithm(*alg_name);
  if (!alg) return JwsError::bad_algorithm;
  for (const char* name : kRefusedHeaderMembers) {
    if (header.HasMember(name)) return JwsError::unsupported_header;
  }
  if (header.HasMember("typ") && !header["typ"].IsString()) return JwsError::bad_header;
  const auto kid = string_member(header, "kid");
  if (!kid || kid->empty()) return JwsError::bad_header;
  key = keys.find(*kid);
  if (key == nullptr) return JwsError::unknown_key;
  if (key->algorithm() != *alg) return JwsError::bad_algorithm;  // one algorithm per key
  return JwsError::none;
}

std::string_view as_text(const std::vector<std::uint8_t>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

CompactJws parse_compact(std::string_view token, const JwsLimits& limits) {
  CompactJws jws;
  if (token.size() > limits.max_token_bytes) {
    jws.error = JwsError::too_large;
    return jws;
  }
  if (std::count(token.begin(), token.end(), '.') != 2) {
    jws.error = JwsError::not_compact;
    return jws;
  }
  const std::size_t first_dot = token.find('.');
  const std::size_t second_dot = token.find('.', first_dot + 1);
  const auto header_bytes = base64url_decode(token.substr(0, first_dot));
  const auto signature = base64url_decode(token.substr(second_dot + 1));
  if (!header_bytes || !signature) {
    jws.error = JwsError::bad_base64;
    return jws;
  }
  auto header = parse_json_object(as_text(*header_bytes), limits.max_json_depth);
  if (!header) {
    jws.error = JwsError::bad_json;
    return jws;
  }
  jws.signing_input = token.substr(0, second_dot);
  jws.payload_segment = token.substr(first_dot + 1, second_dot - first_dot - 1);
  jws.header = std::move(*header);
  jws.signature = *signature;
  return jws;
}

VerifiedJws verify_jws(std::string_view token, const KeySet& keys, const JwsLimits& limits) {
  VerifiedJws result;
  CompactJws jws = parse_compact(token, limits);
  if (jws.error != JwsError::none) {
    result.error = jws.error;
    return result;
  }
  const Key* key = nullptr;
  result.error = check_header(jws.header, keys, key);
  result.header = std::move(jws.header);
  if (result.error != JwsError::none) return result;

  if (!key->verify(jws.signing_input, jws.signature)) {
    result.error = JwsError::bad_signature;
    return result;
  }
  // Only a verified payload is decoded at all.
  const auto payload_bytes = base64url_decode(jws.payload_segment);
  if (!payload_bytes) {
    result.error = JwsError::bad_base64;
    return result;
  }
  auto payload = parse_json_object(as_text(*payload_bytes), limits.max_json_depth);
  if (!payload) {
    result.error = JwsError::bad_json;
    return result;
  }
  result.payload = std::move(*payload);
  result.payload_json.assign(as_text(*payload_bytes));
  return result;
}

std::string sign_jws(const Key& key, std::string_view payload_json, std::string_view typ) {
  rapidjson::StringBuffer header;
  rapidjson::Writer<rapidjson::StringBuffer> writer(header);
  const std::string_view alg = algorithm_name(key.algorithm());
  writer.StartObject();
  writer.Key("alg");
  writer.String(alg.data(), static_cast<rapidjson::SizeType>(alg.size()));
  if (!typ.empty()) {
    writer.Key("typ");
    writer.String(typ.data(), static_cast<rapidjson::SizeType>(typ.size()));
  }
  writer.Key("kid");
  writer.String(key.kid().data(), static_cast<rapidjson::SizeType>(key.kid().size()));
  writer.EndObject();

  std::string token = base64url_encode(std::string_view(header.GetString(), header.GetSize()));
  token += '.';
  token += base64url_encode(payload_json);
  const std::vector<std::uint8_t> signature = key.sign(token);
  token += '.';
  token += base64url_encode(signature);
  return token;
}

}  // namespace latchkey::jwt
