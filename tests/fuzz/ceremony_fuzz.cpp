// Whole ceremonies (plugin/src/webauthn/ceremony.cpp) on hostile authenticator output. The first
// byte picks what the rest is:
//   0: an attestation object, registered with good client data (the rawId is taken from the
//      attested data when it parses, so the fuzzer reaches the COSE key and format steps);
//   1: four bytes of stored counter, then authenticator data of an assertion, signed here with a
//      fixed Ed25519 key so that the flag, RP id and counter steps are reached;
//   2: the `credential` JSON of a request body, read as a registration and as an assertion.
// Properties: a registration accepted has attested data whose key parses with the algorithm it
// reports; an assertion accepted has the RP id hash, UP, UV and a counter that grew (or 0/0); a
// counter_regressed one had a good signature and a counter that did not grow.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <botan/ed25519.h>
#include <botan/hash.h>
#include <botan/pubkey.h>
#include <botan/system_rng.h>
#include <rapidjson/document.h>

#include "webauthn/authenticator_data.h"
#include "webauthn/cbor_reader.h"
#include "webauthn/ceremony.h"
#include "webauthn/cose_key.h"

using namespace latchkey::webauthn;

namespace {

const RelyingParty kRp{"localhost", {"http://localhost:8080"}};
constexpr std::string_view kChallenge = "ZnV6emluZy1jaGFsbGVuZ2U";
constexpr std::string_view kCreateData =
    R"({"type":"webauthn.create","challenge":"ZnV6emluZy1jaGFsbGVuZ2U","origin":"http://localhost:8080","crossOrigin":false})";
constexpr std::string_view kGetData =
    R"({"type":"webauthn.get","challenge":"ZnV6emluZy1jaGFsbGVuZ2U","origin":"http://localhost:8080","crossOrigin":false})";

std::string sha256(std::string_view bytes) {
  const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
  hash->update(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  const auto digest = hash->final();
  return {digest.begin(), digest.end()};
}

struct Signer {
  Botan::Ed25519_PrivateKey key{Botan::secure_vector<uint8_t>(32, 0x2a)};
  std::string cose_key;
  Signer() {
    const std::vector<uint8_t>& x = key.get_public_key();
    cose_key = std::string("\xa4\x01\x01\x03\x27\x20\x06\x21\x58\x20", 10) + std::string(x.begin(), x.end());
  }
  std::string sign(const std::string& message) {
    Botan::PK_Signer signer(key, Botan::system_rng(), "Pure");
    const auto signature = signer.sign_message(reinterpret_cast<const uint8_t*>(message.data()), message.size(),
                                               Botan::system_rng());
    return {signature.begin(), signature.end()};
  }
};

void registration(std::string_view bytes) {
  RegistrationResponse response;
  response.client_data_json = std::string(kCreateData);
  response.attestation_object = std::string(bytes);
  response.credential_id = "fuzz";
  const CborItem object = read_cbor(bytes);
  if (const auto data = cbor_bytes(cbor_map_value(object.get(), "authData"))) {
    if (const auto parsed = parse_authenticator_data(*data); parsed && parsed->attested) {
      response.credential_id = parsed->attested->credential_id;
    }
  }
  const RegistrationResult result = verify_registration(response, kRp, kChallenge);
  if (result.verdict != Verdict::ok) {
    if (result.reason.empty() || result.credential || result.verdict == Verdict::counter_regressed) std::abort();
    return;
  }
  if (!result.credential || result.credential->credential_id != response.credential_id) std::abort();
  const CoseKeyResult key = parse_cose_key(result.credential->public_key);
  if (!std::holds_alternative<CoseKey>(key) || std::get<CoseKey>(key).algorithm != result.credential->algorithm) {
    std::abort();
  }
}

void assertion(std::string_view bytes) {
  static Signer signer;
  if (bytes.size() < 4) return;
  uint32_t stored_count = 0;
  for (int i = 0; i < 4; ++i) stored_count = (stored_count << 8) | static_cast<unsigned char>(bytes[i]);
  AssertionResponse response;
  response.credential_id = "fuzz";
  response.client_data_json = std::string(kGetData);
  response.authenticator_data = std::string(bytes.substr(4));
  response.signature = signer.sign(response.authenticator_data + sha256(response.client_data_json));
  const AssertionResult result = verify_assertion(response, kRp, kChallenge, {signer.cose_key, stored_count});
  const std::optional<AuthenticatorData> parsed = parse_authenticator_data(response.authenticator_data);
  const bool grew = parsed && (parsed->sign_count > stored_count || (parsed->sign_count == 0 && stored_count == 0));
  switch (result.verdict) {
    case Verdict::ok:
      if (!parsed || parsed->rp_id_hash != sha256("localhost") || !parsed->user_present() ||
          !parsed->user_verified() || !grew || result.sign_count != parsed->sign_count) {
        std::abort();
      }
      break;
    case Verdict::counter_regressed:
      if (!parsed || grew) std::abort();
      break;
    case Verdict::malformed:
      if (parsed) std::abort();
      break;
    case Verdict::refused:
      if (!parsed) std::abort();
      break;
  }
  // The same data signed by nobody: never accepted, never flags the passkey.
  response.signature.assign(64, '\0');
  const Verdict unsigned_verdict = verify_assertion(response, kRp, kChallenge, {signer.cose_key, stored_count}).verdict;
  if (unsigned_verdict == Verdict::ok || unsigned_verdict == Verdict::counter_regressed) std::abort();
}

void credential_json(std::string_view bytes) {
  rapidjson::Document document;
  document.Parse(bytes.data(), bytes.size());
  if (document.HasParseError()) return;
  if (const auto read = read_registration_response(document)) {
    if (read->credential_id.empty() || read->credential_id.size() > kMaxCredentialIdBytes) std::abort();
    (void)challenge_of(read->client_data_json);
    (void)verify_registration(*read, kRp, kChallenge);
  }
  if (const auto read = read_assertion_response(document)) {
    if (read->user_handle && (read->user_handle->empty() || read->user_handle->size() > 64)) std::abort();
    (void)verify_assertion(*read, kRp, kChallenge, {"", 0});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: registration(rest); break;
    case 1: assertion(rest); break;
    default: credential_json(rest); break;
  }
  return 0;
}
