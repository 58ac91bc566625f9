// CBOR by libcbor's encoder, JSON by RapidJSON's writer: the same libraries as the server, but the
// other direction of each, so a response is built the way an authenticator builds it and not by
// inverting our own parser.
#include "webauthn_encoders.h"

#include <botan/base64.h>
#include <botan/hash.h>
#include <cbor.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <vector>

namespace latchkey::webauthn::testing {
namespace {

struct CborRelease {
  void operator()(cbor_item_t* item) const {
    if (item != nullptr) cbor_decref(&item);
  }
};
using Cbor = std::unique_ptr<cbor_item_t, CborRelease>;

// The shortest encoding, as CTAP2's canonical form requires (libcbor keeps the width it is given).
Cbor cbor_int(int64_t value) {
  const bool negative = value < 0;
  const uint64_t magnitude = negative ? static_cast<uint64_t>(-1 - value) : static_cast<uint64_t>(value);
  cbor_item_t* item = nullptr;
  if (magnitude <= 0xFF) {
    item = negative ? cbor_build_negint8(static_cast<uint8_t>(magnitude)) : cbor_build_uint8(static_cast<uint8_t>(magnitude));
  } else if (magnitude <= 0xFFFF) {
    item = negative ? cbor_build_negint16(static_cast<uint16_t>(magnitude))
                    : cbor_build_uint16(static_cast<uint16_t>(magnitude));
  } else if (magnitude <= 0xFFFFFFFF) {
    item = negative ? cbor_build_negint32(static_cast<uint32_t>(magnitude))
                    : cbor_build_uint32(static_cast<uint32_t>(magnitude));
  } else {
    item = negative ? cbor_build_negint64(magnitude) : cbor_build_uint64(magnitude);
  }
  return Cbor(item);
}
Cbor cbor_byte_string(std::string_view bytes) {
  return Cbor(cbor_build_bytestring(reinterpret_cast<cbor_data>(bytes.data()), bytes.size()));
}
Cbor cbor_text_string(std::string_view text) {
  return Cbor(cbor_build_stringn(text.data(), text.size()));
}

void add(cbor_item_t* map, Cbor key, Cbor value) {
  if (!cbor_map_add(map, cbor_pair{key.get(), value.get()})) throw std::runtime_error("cbor_map_add failed");
}

std::string serialize(const cbor_item_t* item) {
  unsigned char* buffer = nullptr;
  std::size_t capacity = 0;
  const std::size_t length = cbor_serialize_alloc(item, &buffer, &capacity);
  if (length == 0) throw std::runtime_error("cbor_serialize_alloc failed");
  std::string bytes(reinterpret_cast<const char*>(buffer), length);
  std::free(buffer);
  return bytes;
}

std::string big_endian(uint64_t value, std::size_t bytes) {
  std::string out(bytes, '\0');
  for (std::size_t i = 0; i < bytes; ++i) out[bytes - 1 - i] = static_cast<char>((value >> (8 * i)) & 0xFF);
  return out;
}

template <typename Alloc>
std::string to_string(const std::vector<uint8_t, Alloc>& bytes) {
  return {bytes.begin(), bytes.end()};
}

void write_string(rapidjson::Writer<rapidjson::StringBuffer>& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace

std::string sha256(std::string_view bytes) {
  const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
  hash->update(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return to_string(hash->final());
}

std::string base64url(std::string_view bytes) {
  std::string text = Botan::base64_encode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

std::string base64url_decode_or_throw(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (standard.size() % 4 != 0) standard.push_back('=');
  return to_string(Botan::base64_decode(standard));
}

std::string encode_authenticator_data(std::string_view rp_id_hash, uint8_t flags, uint32_t sign_count,
                                      const std::optional<AttestedData>& attested, std::string_view extensions_cbor) {
  std::string data(rp_id_hash);
  data.push_back(static_cast<char>(flags));
  data += big_endian(sign_count, 4);
  if (attested) {
    data += attested->aaguid;
    data += big_endian(attested->credential_id.size(), 2);
    data += attested->credential_id;
    data += attested->cose_key;
  }
  data += extensions_cbor;
  return data;
}

std::string encode_attestation_object(std::string_view authenticator_data, std::string_view format,
                                      std::string_view statement_cbor) {
  cbor_load_result loaded{};
  Cbor statement(cbor_load(reinterpret_cast<cbor_data>(statement_cbor.data()), statement_cbor.size(), &loaded));
  if (!statement) throw std::runtime_error("statement is not CBOR");
  Cbor map(cbor_new_definite_map(3));
  add(map.get(), cbor_text_string("fmt"), cbor_text_string(format));
  add(map.get(), cbor_text_string("attStmt"), std::move(statement));
  add(map.get(), cbor_text_string("authData"), cbor_byte_string(authenticator_data));
  return serialize(map.get());
}

std::string encode_client_data(std::string_view type, std::string_view challenge, std::string_view origin,
                               bool cross_origin) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("type");
  write_string(writer, type);
  writer.Key("challenge");
  write_string(writer, challenge);
  writer.Key("origin");
  write_string(writer, origin);
  writer.Key("crossOrigin");
  writer.Bool(cross_origin);
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string encode_ec2_cose_key(int64_t alg, int64_t crv, std::string_view x, std::string_view y) {
  Cbor map(cbor_new_definite_map(5));
  add(map.get(), cbor_int(1), cbor_int(2));
  add(map.get(), cbor_int(3), cbor_int(alg));
  add(map.get(), cbor_int(-1), cbor_int(crv));
  add(map.get(), cbor_int(-2), cbor_byte_string(x));
  add(map.get(), cbor_int(-3), cbor_byte_string(y));
  return serialize(map.get());
}

std::string encode_okp_cose_key(int64_t alg, int64_t crv, std::string_view x) {
  Cbor map(cbor_new_definite_map(4));
  add(map.get(), cbor_int(1), cbor_int(1));
  add(map.get(), cbor_int(3), cbor_int(alg));
  add(map.get(), cbor_int(-1), cbor_int(crv));
  add(map.get(), cbor_int(-2), cbor_byte_string(x));
  return serialize(map.get());
}

std::string encode_rsa_cose_key(int64_t alg, std::string_view n, std::string_view e) {
  Cbor map(cbor_new_definite_map(4));
  add(map.get(), cbor_int(1), cbor_int(3));
  add(map.get(), cbor_int(3), cbor_int(alg));
  add(map.get(), cbor_int(-1), cbor_byte_string(n));
  add(map.get(), cbor_int(-2), cbor_byte_string(e));
  return serialize(map.get());
}

std::string registration_json(const RegistrationResponse& response) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const std::string id = base64url(response.credential_id);
  writer.StartObject();
  writer.Key("id");
  write_string(writer, id);
  writer.Key("rawId");
  write_string(writer, id);
  writer.Key("type");
  writer.String("public-key");
  writer.Key("authenticatorAttachment");
  writer.String("platform");
  writer.Key("clientExtensionResults");
  writer.StartObject();
  writer.EndObject();
  writer.Key("response");
  writer.StartObject();
  writer.Key("clientDataJSON");
  write_string(writer, base64url(response.client_data_json));
  writer.Key("attestationObject");
  write_string(writer, base64url(response.attestation_object));
  writer.Key("transports");
  writer.StartArray();
  for (const std::string& transport : response.transports) write_string(writer, transport);
  writer.EndArray();
  writer.EndObject();
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string assertion_json(const AssertionResponse& response) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const std::string id = base64url(response.credential_id);
  writer.StartObject();
  writer.Key("id");
  write_string(writer, id);
  writer.Key("rawId");
  write_string(writer, id);
  writer.Key("type");
  writer.String("public-key");
  writer.Key("authenticatorAttachment");
  writer.String("platform");
  writer.Key("clientExtensionResults");
  writer.StartObject();
  writer.EndObject();
  writer.Key("response");
  writer.StartObject();
  writer.Key("clientDataJSON");
  write_string(writer, base64url(response.client_data_json));
  writer.Key("authenticatorData");
  write_string(writer, base64url(response.authenticator_data));
  writer.Key("signature");
  write_string(writer, base64url(response.signature));
  writer.Key("userHandle");
  if (response.user_handle) {
    write_string(writer, base64url(*response.user_handle));
  } else {
    writer.Null();
  }
  writer.EndObject();
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace latchkey::webauthn::testing
