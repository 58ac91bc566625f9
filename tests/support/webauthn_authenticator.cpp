// Keys and signatures by Botan, CBOR by libcbor's encoder, JSON by RapidJSON's writer: the same
// libraries as the server, but the other direction of each, so a response is built the way an
// authenticator builds it and not by inverting our own parser.
#include "webauthn_authenticator.h"

#include <botan/auto_rng.h>
#include <botan/base64.h>
#include <botan/bigint.h>
#include <botan/data_src.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/hash.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/system_rng.h>
#include <cbor.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <stdexcept>

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

std::string cose_key_of(CoseAlgorithm algorithm, const Botan::Private_Key& key) {
  switch (algorithm) {
    case CoseAlgorithm::es256: {
      const auto& ec = dynamic_cast<const Botan::ECDSA_PrivateKey&>(key);
      return encode_ec2_cose_key(-7, 1, to_string(Botan::BigInt::encode_1363(ec.public_point().get_affine_x(), 32)),
                                 to_string(Botan::BigInt::encode_1363(ec.public_point().get_affine_y(), 32)));
    }
    case CoseAlgorithm::eddsa:
      return encode_okp_cose_key(-8, 6, to_string(dynamic_cast<const Botan::Ed25519_PrivateKey&>(key).get_public_key()));
    case CoseAlgorithm::rs256: {
      const auto& rsa = dynamic_cast<const Botan::RSA_PrivateKey&>(key);
      return encode_rsa_cose_key(-257, to_string(Botan::BigInt::encode(rsa.get_n())),
                                 to_string(Botan::BigInt::encode(rsa.get_e())));
    }
  }
  throw std::logic_error("unknown algorithm");
}

std::unique_ptr<Botan::Private_Key> new_key(CoseAlgorithm algorithm) {
  Botan::System_RNG rng;
  switch (algorithm) {
    case CoseAlgorithm::es256: return std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
    case CoseAlgorithm::eddsa: return std::make_unique<Botan::Ed25519_PrivateKey>(rng);
    case CoseAlgorithm::rs256: return std::make_unique<Botan::RSA_PrivateKey>(rng, 2048);
  }
  throw std::logic_error("unknown algorithm");
}

void write_string(rapidjson::Writer<rapidjson::StringBuffer>& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

rapidjson::Document parse_options(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject()) throw std::runtime_error("options are not a JSON object");
  if (document.HasMember("publicKey") && document["publicKey"].IsObject()) {
    rapidjson::Document inner;
    inner.CopyFrom(document["publicKey"], inner.GetAllocator());
    return inner;
  }
  return document;
}

std::string string_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name) || !object[name].IsString()) {
    throw std::runtime_error(std::string("options without a string ") + name);
  }
  return {object[name].GetString(), object[name].GetStringLength()};
}

// Whether a list of PublicKeyCredentialDescriptor names `id_base64url`.
bool lists_credential(const rapidjson::Value& options, const char* name, const std::string& id_base64url) {
  if (!options.HasMember(name) || !options[name].IsArray()) return false;
  for (const auto& descriptor : options[name].GetArray()) {
    if (descriptor.IsObject() && descriptor.HasMember("id") && descriptor["id"].IsString() &&
        descriptor["id"].GetString() == id_base64url) {
      return true;
    }
  }
  return false;
}

}  // namespace

SoftwareAuthenticator::SoftwareAuthenticator(CoseAlgorithm algorithm, std::string rp_id, std::string origin)
    : SoftwareAuthenticator(algorithm, new_key(algorithm), to_string(Botan::system_rng().random_vec(32)),
                            std::move(rp_id), std::move(origin)) {}

SoftwareAuthenticator::SoftwareAuthenticator(CoseAlgorithm algorithm, std::unique_ptr<Botan::Private_Key> key,
                                             std::string credential_id, std::string rp_id, std::string origin)
    : algorithm_(algorithm),
      key_(std::move(key)),
      credential_id_(std::move(credential_id)),
      cose_key_(cose_key_of(algorithm, *key_)),
      rp_id_(std::move(rp_id)),
      origin_(std::move(origin)) {}

SoftwareAuthenticator SoftwareAuthenticator::from_private_key(std::string_view pkcs8_der, std::string credential_id,
                                                              std::string user_handle, uint32_t sign_count,
                                                              std::string rp_id, std::string origin) {
  Botan::DataSource_Memory source(reinterpret_cast<const uint8_t*>(pkcs8_der.data()), pkcs8_der.size());
  std::unique_ptr<Botan::Private_Key> key = Botan::PKCS8::load_key(source);
  CoseAlgorithm algorithm;
  if (key->algo_name() == "ECDSA") {
    algorithm = CoseAlgorithm::es256;
  } else if (key->algo_name() == "Ed25519") {
    algorithm = CoseAlgorithm::eddsa;
  } else if (key->algo_name() == "RSA") {
    algorithm = CoseAlgorithm::rs256;
  } else {
    throw std::runtime_error("unsupported private key " + key->algo_name());
  }
  SoftwareAuthenticator authenticator(algorithm, std::move(key), std::move(credential_id), std::move(rp_id),
                                      std::move(origin));
  authenticator.user_handle_ = std::move(user_handle);
  authenticator.sign_count_ = sign_count;
  return authenticator;
}

SoftwareAuthenticator::SoftwareAuthenticator(SoftwareAuthenticator&&) noexcept = default;
SoftwareAuthenticator& SoftwareAuthenticator::operator=(SoftwareAuthenticator&&) noexcept = default;
SoftwareAuthenticator::~SoftwareAuthenticator() = default;

RegistrationResponse SoftwareAuthenticator::make_registration(std::string_view challenge, std::string_view user_id,
                                                              const CeremonyKnobs& knobs) {
  user_handle_ = std::string(user_id);
  const uint8_t flags = knobs.flags.value_or(kFlagUp | kFlagUv | kFlagAt);
  const uint32_t count = knobs.sign_count.value_or(sign_count_);
  std::optional<AttestedData> attested;
  if ((flags & kFlagAt) != 0) attested = AttestedData{std::string(16, '\0'), credential_id_, cose_key_};
  const std::string data = encode_authenticator_data(sha256(knobs.rp_id.value_or(rp_id_)), flags, count, attested);
  RegistrationResponse response;
  response.credential_id = credential_id_;
  response.client_data_json = encode_client_data(knobs.type.value_or("webauthn.create"), challenge,
                                                 knobs.origin.value_or(origin_), knobs.cross_origin);
  response.attestation_object = encode_attestation_object(data);
  response.transports = {"internal"};
  return response;
}

AssertionResponse SoftwareAuthenticator::make_assertion(std::string_view challenge, const CeremonyKnobs& knobs) {
  uint32_t count = 0;
  if (knobs.sign_count) {
    count = *knobs.sign_count;
  } else {
    sign_count_ += counter_step_;
    count = sign_count_;
  }
  AssertionResponse response;
  response.credential_id = credential_id_;
  response.client_data_json = encode_client_data(knobs.type.value_or("webauthn.get"), challenge,
                                                 knobs.origin.value_or(origin_), knobs.cross_origin);
  response.authenticator_data = encode_authenticator_data(sha256(knobs.rp_id.value_or(rp_id_)),
                                                          knobs.flags.value_or(kFlagUp | kFlagUv), count);
  response.signature = sign(response.authenticator_data, response.client_data_json);
  const std::string handle = knobs.user_handle.value_or(user_handle_);
  if (!handle.empty()) response.user_handle = handle;
  return response;
}

std::string SoftwareAuthenticator::register_from_options(std::string_view options_json, const CeremonyKnobs& knobs) {
  const rapidjson::Document options = parse_options(options_json);
  CeremonyKnobs effective = knobs;
  if (!effective.rp_id && options.HasMember("rp")) {
    if (options["rp"].IsObject() && options["rp"].HasMember("id")) effective.rp_id = string_member(options["rp"], "id");
  }
  bool offered = false;
  if (options.HasMember("pubKeyCredParams") && options["pubKeyCredParams"].IsArray()) {
    for (const auto& parameter : options["pubKeyCredParams"].GetArray()) {
      if (parameter.IsObject() && parameter.HasMember("alg") && parameter["alg"].IsInt() &&
          parameter["alg"].GetInt() == static_cast<int>(algorithm_)) {
        offered = true;
      }
    }
  }
  if (!offered) throw std::runtime_error("pubKeyCredParams does not offer the authenticator's algorithm");
  if (lists_credential(options, "excludeCredentials", credential_id_base64url())) {
    throw std::runtime_error("the credential is in excludeCredentials (InvalidStateError)");
  }
  if (!options.HasMember("user")) throw std::runtime_error("options without user");
  const std::string user_id = base64url_decode_or_throw(string_member(options["user"], "id"));
  return registration_json(make_registration(string_member(options, "challenge"), user_id, effective));
}

std::string SoftwareAuthenticator::assert_from_options(std::string_view options_json, const CeremonyKnobs& knobs) {
  const rapidjson::Document options = parse_options(options_json);
  CeremonyKnobs effective = knobs;
  if (!effective.rp_id && options.HasMember("rpId")) effective.rp_id = string_member(options, "rpId");
  if (options.HasMember("allowCredentials") && options["allowCredentials"].IsArray() &&
      !options["allowCredentials"].Empty() &&
      !lists_credential(options, "allowCredentials", credential_id_base64url())) {
    throw std::runtime_error("allowCredentials does not name the credential (NotAllowedError)");
  }
  return assertion_json(make_assertion(string_member(options, "challenge"), effective));
}

std::string SoftwareAuthenticator::sign(std::string_view authenticator_data, std::string_view client_data_json) const {
  const std::string message = std::string(authenticator_data) + sha256(client_data_json);
  Botan::System_RNG rng;
  std::unique_ptr<Botan::PK_Signer> signer;
  switch (algorithm_) {
    case CoseAlgorithm::es256:
      signer = std::make_unique<Botan::PK_Signer>(*key_, rng, "EMSA1(SHA-256)", Botan::DER_SEQUENCE);
      break;
    case CoseAlgorithm::eddsa: signer = std::make_unique<Botan::PK_Signer>(*key_, rng, "Pure"); break;
    case CoseAlgorithm::rs256: signer = std::make_unique<Botan::PK_Signer>(*key_, rng, "EMSA3(SHA-256)"); break;
  }
  return to_string(signer->sign_message(reinterpret_cast<const uint8_t*>(message.data()), message.size(), rng));
}

std::string SoftwareAuthenticator::credential_id_base64url() const { return base64url(credential_id_); }

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
