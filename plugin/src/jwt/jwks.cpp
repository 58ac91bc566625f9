// Writes the public JWKS with RapidJSON; reads a provider's JWKS into verify-only keys.
#include "jwt/jwks.h"

#include <optional>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "jwt/base64url.h"
#include "jwt/json_strict.h"

namespace latchkey::jwt {
namespace {

constexpr std::size_t kMaxJwksDepth = 8;  // root > keys > key > x5c, with room to spare

std::optional<std::string_view> string_member(const rapidjson::Value& object, const char* name) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string_view(it->value.GetString(), it->value.GetStringLength());
}

std::optional<std::vector<std::uint8_t>> bytes_member(const rapidjson::Value& object, const char* name) {
  const auto text = string_member(object, name);
  if (!text || text->empty()) return std::nullopt;
  return base64url_decode(*text);
}

// The key one JWK describes, or nullopt when it is of a kind we skip or not a valid key.
std::optional<Key> key_from_jwk(const rapidjson::Value& jwk) {
  if (!jwk.IsObject()) return std::nullopt;
  const auto kid = string_member(jwk, "kid");
  const auto kty = string_member(jwk, "kty");
  if (!kid || kid->empty() || !kty) return std::nullopt;
  if (jwk.HasMember("use") && string_member(jwk, "use") != std::optional<std::string_view>("sig")) return std::nullopt;
  const auto alg = string_member(jwk, "alg");
  if (jwk.HasMember("alg") && !alg) return std::nullopt;

  KeyResult result;
  if (*kty == "RSA") {
    if (alg && *alg != "RS256") return std::nullopt;
    const auto n = bytes_member(jwk, "n");
    const auto e = bytes_member(jwk, "e");
    if (!n || !e) return std::nullopt;
    result = Key::from_rsa_public(*n, *e, std::string(*kid));
  } else if (*kty == "EC") {
    if (alg && *alg != "ES256") return std::nullopt;
    if (string_member(jwk, "crv") != std::optional<std::string_view>("P-256")) return std::nullopt;
    const auto x = bytes_member(jwk, "x");
    const auto y = bytes_member(jwk, "y");
    if (!x || !y) return std::nullopt;
    result = Key::from_p256_public(*x, *y, std::string(*kid));
  }
  return std::move(result.key);
}

}  // namespace

std::string jwks_json(const KeySet& keys) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  const auto member = [&writer](const char* name, std::string_view value) {
    writer.Key(name);
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  writer.StartObject();
  writer.Key("keys");
  writer.StartArray();
  for (const auto& [kid, key] : keys.keys()) {
    const auto jwk = key.public_jwk();
    if (!jwk) continue;  // secrets stay secret
    writer.StartObject();
    member("kty", jwk->kty);
    if (jwk->kty == "RSA") {
      member("n", jwk->n);
      member("e", jwk->e);
    } else {
      member("crv", jwk->crv);
      member("x", jwk->x);
      if (!jwk->y.empty()) member("y", jwk->y);
    }
    member("kid", kid);
    member("alg", algorithm_name(key.algorithm()));
    member("use", "sig");
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return {out.GetString(), out.GetSize()};
}

KeySetResult parse_jwks(std::string_view json) {
  const auto document = parse_json_object(json, kMaxJwksDepth);
  if (!document) return {std::nullopt, "the JWKS is not one strict JSON object"};
  const auto keys = document->FindMember("keys");
  if (keys == document->MemberEnd() || !keys->value.IsArray()) {
    return {std::nullopt, "the JWKS has no \"keys\" array"};
  }
  std::vector<Key> usable;
  for (const rapidjson::Value& jwk : keys->value.GetArray()) {
    if (auto key = key_from_jwk(jwk)) usable.push_back(std::move(*key));
  }
  return KeySet::verify_only(std::move(usable));
}

}  // namespace latchkey::jwt
