// Compact JWS: form checks, the header rules of RFC 8725, signature first, payload after.
#include "jwt/jws.h"

#include <algorithm>
#include <array>
#include <span>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "jwt/base64url.h"
#include "jwt/header_memo.h"
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

// The checks of the header alone, which depend on no key.
JwsError read_header(const rapidjson::Value& header, HeaderFacts& facts) {
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
  facts.algorithm = *alg;
  facts.kid.assign(*kid);
  if (const auto typ = string_member(header, "typ")) facts.typ.emplace(*typ);
  return JwsError::none;
}

// On success sets `key` to the key the token must verify with: found by kid in `keys` only, and
// of the header's algorithm (one algorithm per key).
JwsError find_key(const HeaderFacts& facts, const KeySet& keys, const Key*& key) {
  key = keys.find(facts.kid);
  if (key == nullptr) return JwsError::unknown_key;
  if (key->algorithm() != facts.algorithm) return JwsError::bad_algorithm;
  return JwsError::none;
}

JwsError check_header(const rapidjson::Value& header, const KeySet& keys, const Key*& key) {
  HeaderFacts facts;
  const JwsError error = read_header(header, facts);
  return error != JwsError::none ? error : find_key(facts, keys, key);
}

std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The three segments, after the size cap and the segment count.
struct Segments {
  JwsError error = JwsError::none;
  std::string_view header, payload, signature;
  std::string_view signing_input;  // "header.payload", what the signature covers
};

Segments split_compact(std::string_view token, const JwsLimits& limits) {
  Segments segments;
  if (token.size() > limits.max_token_bytes) {
    segments.error = JwsError::too_large;
    return segments;
  }
  if (std::count(token.begin(), token.end(), '.') != 2) {
    segments.error = JwsError::not_compact;
    return segments;
  }
  const std::size_t first_dot = token.find('.');
  const std::size_t second_dot = token.find('.', first_dot + 1);
  segments.header = token.substr(0, first_dot);
  segments.payload = token.substr(first_dot + 1, second_dot - first_dot - 1);
  segments.signature = token.substr(second_dot + 1);
  segments.signing_input = token.substr(0, second_dot);
  return segments;
}

// A decoded signature: on the stack when it is no longer than the longest signature a key takes
// (RS256 with an 8192-bit modulus), on the heap otherwise (then it verifies with no key).
class DecodedSignature {
 public:
  bool decode(std::string_view segment) {
    if (segment.size() <= kMaxInlineChars) {
      const auto size = base64url_decode_into(segment, inline_);
      if (!size) return false;
      bytes_ = std::span<const std::uint8_t>(inline_.data(), *size);
      return true;
    }
    auto decoded = base64url_decode(segment);
    if (!decoded) return false;
    heap_ = std::move(*decoded);
    bytes_ = heap_;
    return true;
  }
  std::span<const std::uint8_t> bytes() const { return bytes_; }

 private:
  static constexpr std::size_t kMaxInlineChars = (Key::kMaxRsaModulusBits / 8 * 4 + 2) / 3;
  std::array<std::uint8_t, base64url_decode_room(kMaxInlineChars)> inline_;
  std::vector<std::uint8_t> heap_;
  std::span<const std::uint8_t> bytes_;
};

}  // namespace

CompactJws parse_compact(std::string_view token, const JwsLimits& limits) {
  CompactJws jws;
  const Segments segments = split_compact(token, limits);
  if (segments.error != JwsError::none) {
    jws.error = segments.error;
    return jws;
  }
  const auto header_bytes = base64url_decode(segments.header);
  auto signature = base64url_decode(segments.signature);
  if (!header_bytes || !signature) {
    jws.error = JwsError::bad_base64;
    return jws;
  }
  if (!parse_json_object_into(as_text(*header_bytes), limits.max_json_depth, jws.header)) {
    jws.header.SetNull();
    jws.error = JwsError::bad_json;
    return jws;
  }
  jws.signing_input = segments.signing_input;
  jws.payload_segment = segments.payload;
  jws.signature = std::move(*signature);
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
  std::optional<std::string> payload = base64url_decode_text(jws.payload_segment);
  if (!payload) {
    result.error = JwsError::bad_base64;
    return result;
  }
  if (!parse_json_object_into(*payload, limits.max_json_depth, result.payload)) {
    result.payload.SetNull();
    result.error = JwsError::bad_json;
    return result;
  }
  result.payload_json = std::move(*payload);
  return result;
}

VerifiedJwsPayload verify_jws_payload(std::string_view token, const KeySet& keys, const JwsLimits& limits) {
  VerifiedJwsPayload result;
  const Segments segments = split_compact(token, limits);
  if (segments.error != JwsError::none) {
    result.error = segments.error;
    return result;
  }
  // The same order of checks as parse_compact and verify_jws: both segments' base64url, then the
  // header's JSON and rules, then the key.
  const HeaderFacts* remembered = remembered_header(segments.header, limits.max_json_depth);
  std::optional<std::vector<std::uint8_t>> header_bytes;
  if (remembered == nullptr) {
    header_bytes = base64url_decode(segments.header);
    if (!header_bytes) {
      result.error = JwsError::bad_base64;
      return result;
    }
  }
  DecodedSignature signature;
  if (!signature.decode(segments.signature)) {
    result.error = JwsError::bad_base64;
    return result;
  }
  HeaderFacts parsed;
  if (remembered == nullptr) {
    const auto header = parse_json_object(as_text(*header_bytes), limits.max_json_depth);
    if (!header) {
      result.error = JwsError::bad_json;
      return result;
    }
    result.error = read_header(*header, parsed);
    if (result.error != JwsError::none) return result;
  }
  const HeaderFacts& facts = remembered != nullptr ? *remembered : parsed;
  result.typ = facts.typ;
  const Key* key = nullptr;
  result.error = find_key(facts, keys, key);
  if (result.error != JwsError::none) return result;

  if (!key->verify(segments.signing_input, signature.bytes())) {
    result.error = JwsError::bad_signature;
    return result;
  }
  if (remembered == nullptr) remember_header(segments.header, limits.max_json_depth, parsed);

  // Only a verified payload is decoded at all.
  std::optional<std::string> payload = base64url_decode_text(segments.payload);
  if (!payload) {
    result.error = JwsError::bad_base64;
    return result;
  }
  result.payload_json = std::move(*payload);
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
