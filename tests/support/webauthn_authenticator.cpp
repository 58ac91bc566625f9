// Keys and signatures by Botan; the bytes around them by webauthn_encoders.cpp.
#include "webauthn_authenticator.h"

#include <botan/bigint.h>
#include <botan/data_src.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/system_rng.h>
#include <rapidjson/document.h>

#include <stdexcept>
#include <vector>

namespace latchkey::webauthn::testing {
namespace {

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

}  // namespace latchkey::webauthn::testing
