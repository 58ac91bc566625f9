// The options as JSON, written with RapidJSON's Writer (which escapes the rp name and email).
#include "webauthn/passkey_options.h"

#include "jwt/base64url.h"
#include "webauthn/ceremony.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string_view>

namespace latchkey::webauthn {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_member(Writer& writer, const char* name, std::string_view text) {
  writer.Key(name);
  write_string(writer, text);
}

}  // namespace

std::string creation_options_json(const CreationOptions& options) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("rp");
  writer.StartObject();
  write_member(writer, "id", options.rp_id);
  write_member(writer, "name", options.rp_name);
  writer.EndObject();
  writer.Key("user");
  writer.StartObject();
  write_member(writer, "id", jwt::base64url_encode(std::string_view(options.user_handle)));
  write_member(writer, "name", options.user_name);
  write_member(writer, "displayName", options.user_name);
  writer.EndObject();
  write_member(writer, "challenge", options.challenge);
  writer.Key("pubKeyCredParams");
  writer.StartArray();
  for (const CoseAlgorithm algorithm : {CoseAlgorithm::es256, CoseAlgorithm::eddsa, CoseAlgorithm::rs256}) {
    writer.StartObject();
    write_member(writer, "type", "public-key");
    writer.Key("alg");
    writer.Int(static_cast<int>(algorithm));
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("timeout");
  writer.Int64(kCeremonySeconds * 1000);
  writer.Key("excludeCredentials");
  writer.StartArray();
  for (const CredentialDescriptor& credential : options.exclude) {
    writer.StartObject();
    write_member(writer, "type", "public-key");
    write_member(writer, "id", jwt::base64url_encode(std::string_view(credential.id)));
    writer.Key("transports");
    writer.StartArray();
    for (const std::string& transport : credential.transports) write_string(writer, transport);
    writer.EndArray();
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("authenticatorSelection");
  writer.StartObject();
  write_member(writer, "residentKey", "required");
  writer.Key("requireResidentKey");  // Level 1 browsers read this one
  writer.Bool(true);
  write_member(writer, "userVerification", "required");
  writer.EndObject();
  write_member(writer, "attestation", "none");
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string request_options_json(const RequestOptions& options) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  write_member(writer, "challenge", options.challenge);
  writer.Key("timeout");
  writer.Int64(kCeremonySeconds * 1000);
  write_member(writer, "rpId", options.rp_id);
  write_member(writer, "userVerification", "required");
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace latchkey::webauthn
