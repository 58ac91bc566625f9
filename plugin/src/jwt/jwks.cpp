// Writes the public JWKS with RapidJSON.
#include "jwt/jwks.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace latchkey::jwt {

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
    member("crv", jwk->crv);
    member("x", jwk->x);
    if (!jwk->y.empty()) member("y", jwk->y);
    member("kid", kid);
    member("alg", algorithm_name(key.algorithm()));
    member("use", "sig");
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return {out.GetString(), out.GetSize()};
}

}  // namespace latchkey::jwt
