// Compact JWS (RFC 7515) signing and strict verification, independent of what the payload means:
// the layer access tokens (and later Google ID tokens, RS256) are built on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "jwt/key_set.h"

namespace latchkey::jwt {

struct JwsLimits {
  std::size_t max_token_bytes = 8192;  // checked before anything is decoded
  std::size_t max_json_depth = 8;      // objects/arrays nested in header or payload
};

enum class JwsError {
  none,
  too_large,           // over max_token_bytes
  not_compact,         // not exactly three '.'-separated segments (a JWE has five)
  bad_base64,          // a segment is not strict unpadded base64url
  bad_json,            // header or payload not one JSON object, duplicate names, too deep
  bad_header,          // alg or kid missing, empty or not a string
  unsupported_header,  // crit, zip, jku, jwk, x5u, x5c: extensions we neither implement nor follow
  bad_algorithm,       // alg not in the allowlist ("none" in any case), or not the key's algorithm
  unknown_key,         // kid not in the key set
  bad_signature,
};

// The three segments of a compact JWS, checked for form only (nothing is verified yet).
struct CompactJws {
  JwsError error = JwsError::none;
  std::string_view signing_input;  // "header.payload", what the signature covers
  std::string_view payload_segment;
  rapidjson::Document header;
  std::vector<std::uint8_t> signature;
};

// Size cap, segment count, strict base64url of header and signature, strict header JSON.
CompactJws parse_compact(std::string_view token, const JwsLimits& limits = {});

struct VerifiedJws {
  JwsError error = JwsError::none;
  rapidjson::Document header;   // set once the form is right
  rapidjson::Document payload;  // set only when the signature verified
  std::string payload_json;     // the payload's exact bytes, likewise
};

// Parses strictly, checks the header rules above, looks `kid` up in `keys` only, requires `alg`
// to equal that key's algorithm, verifies the signature, and only then decodes the payload.
VerifiedJws verify_jws(std::string_view token, const KeySet& keys, const JwsLimits& limits = {});

// verify_jws for a caller that reads only `typ` from the header and parses the payload itself
// (access tokens, on every request): the same checks in the same order with the same errors up to
// the payload's base64url, without building documents. The payload is decoded, not parsed: a
// payload that is not a JSON object is the caller's bad_json. A header segment already seen in a
// token that verified is not decoded again (jwt/header_memo.h).
struct VerifiedJwsPayload {
  JwsError error = JwsError::none;
  std::optional<std::string> typ;  // the header's typ when it has one; set once the header checked
  std::string payload_json;        // the payload's exact bytes, set only when the signature verified
};

VerifiedJwsPayload verify_jws_payload(std::string_view token, const KeySet& keys, const JwsLimits& limits = {});

// A compact JWS with header {"alg", "typ" (omitted when empty), "kid"} over `payload_json`.
std::string sign_jws(const Key& key, std::string_view payload_json, std::string_view typ = {});

}  // namespace latchkey::jwt
