// The steps of WebAuthn Level 2 §7.1 and §7.2 in the spec's order, each refusal naming its step.
// What does not parse is `malformed`; what parses but does not hold is `refused`.
#include "webauthn/ceremony.h"

#include "webauthn/authenticator_data.h"
#include "webauthn/cbor_reader.h"
#include "webauthn/client_data.h"
#include "webauthn/cose_key.h"

#include <botan/hash.h>
#include <botan/mem_ops.h>

#include <algorithm>

namespace latchkey::webauthn {
namespace {

constexpr std::size_t kMaxFormatChars = 32;

std::string sha256(std::string_view bytes) {
  const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
  hash->update(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  const Botan::secure_vector<uint8_t> digest = hash->final();
  return std::string(digest.begin(), digest.end());
}

// Challenges are compared as SHA-256 digests, so neither their bytes nor their lengths show in the
// time taken.
bool same_challenge(std::string_view sent, std::string_view issued) {
  const std::string a = sha256(sent);
  const std::string b = sha256(issued);
  return Botan::constant_time_compare(reinterpret_cast<const uint8_t*>(a.data()),
                                      reinterpret_cast<const uint8_t*>(b.data()), a.size());
}

struct Step {
  Verdict verdict = Verdict::ok;
  std::string reason;
  bool ok() const { return verdict == Verdict::ok; }
};

Step malformed(std::string reason) { return {Verdict::malformed, std::move(reason)}; }
Step refused(std::string reason) { return {Verdict::refused, std::move(reason)}; }

// §7.1 steps 5–10, §7.2 steps 11–16: the client data's type, challenge, origin and crossOrigin.
Step check_client_data(std::string_view json, std::string_view expected_type, const RelyingParty& rp,
                       std::string_view expected_challenge) {
  const std::optional<ClientData> data = parse_client_data(json);
  if (!data) return malformed("clientDataJSON is not a client data object");
  if (data->type != expected_type) return refused("clientDataJSON type is not " + std::string(expected_type));
  if (!same_challenge(data->challenge, expected_challenge)) return refused("challenge is not the one issued");
  if (std::find(rp.origins.begin(), rp.origins.end(), data->origin) == rp.origins.end()) {
    return refused("origin is not one of webauthn.origins");
  }
  if (data->cross_origin) return refused("crossOrigin is true");
  return {};
}

// §7.1 steps 13–15, §7.2 steps 17–19: the RP id hash, user presence and user verification.
Step check_authenticator_data(const AuthenticatorData& data, const RelyingParty& rp) {
  const std::string expected = sha256(rp.id);
  if (data.rp_id_hash.size() != expected.size() ||
      !Botan::constant_time_compare(reinterpret_cast<const uint8_t*>(data.rp_id_hash.data()),
                                    reinterpret_cast<const uint8_t*>(expected.data()), expected.size())) {
    return refused("rpIdHash is not SHA-256 of the RP id");
  }
  if (!data.user_present()) return refused("user presence (UP) not set");
  if (!data.user_verified()) return refused("user verification (UV) not set");
  return {};
}

struct AttestationObject {
  std::string format;
  std::string authenticator_data;
  bool statement_empty = true;
};

// §7.1 step 12: a map of fmt (text), authData (bytes) and attStmt (a map).
std::optional<AttestationObject> read_attestation_object(std::string_view bytes) {
  const CborItem item = read_cbor(bytes);
  if (!is_map_with_unique_keys(item.get())) return std::nullopt;
  const std::optional<std::string_view> format = cbor_text(cbor_map_value(item.get(), "fmt"));
  const std::optional<std::string_view> data = cbor_bytes(cbor_map_value(item.get(), "authData"));
  const cbor_item_t* statement = cbor_map_value(item.get(), "attStmt");
  if (!format || format->empty() || format->size() > kMaxFormatChars || !data || statement == nullptr ||
      !cbor_isa_map(statement)) {
    return std::nullopt;
  }
  return AttestationObject{std::string(*format), std::string(*data), cbor_map_size(statement) == 0};
}

}  // namespace

RegistrationResult verify_registration(const RegistrationResponse& response, const RelyingParty& rp,
                                       std::string_view expected_challenge) {
  RegistrationResult result;
  auto stop = [&result](Step step) {
    result.verdict = step.verdict;
    result.reason = std::move(step.reason);
    return result;
  };
  if (Step step = check_client_data(response.client_data_json, "webauthn.create", rp, expected_challenge);
      !step.ok()) {
    return stop(std::move(step));
  }
  const std::optional<AttestationObject> attestation = read_attestation_object(response.attestation_object);
  if (!attestation) return stop(malformed("attestationObject is not a CBOR map of fmt, authData and attStmt"));
  const std::optional<AuthenticatorData> data = parse_authenticator_data(attestation->authenticator_data);
  if (!data) return stop(malformed("authData does not parse"));
  if (Step step = check_authenticator_data(*data, rp); !step.ok()) return stop(std::move(step));
  if (!data->attested) return stop(refused("authData has no attested credential data (AT)"));
  if (data->attested->credential_id != response.credential_id) {
    return stop(refused("attested credential id is not the rawId"));
  }
  // §7.1 step 16: the key's algorithm is one of those the options offered (all of CoseAlgorithm).
  const CoseKeyResult key = parse_cose_key(data->attested->public_key);
  if (const auto* error = std::get_if<CoseKeyError>(&key)) return stop({error->verdict, error->reason});
  // §7.1 steps 18–21: "none" carries an empty statement. Any other format is not verified and not
  // trusted: the credential is taken as if it had come with "none".
  if (attestation->format == "none" && !attestation->statement_empty) {
    return stop(refused("attestation \"none\" with a non-empty statement"));
  }
  result.verdict = Verdict::ok;
  result.credential = NewCredential{data->attested->credential_id, data->attested->public_key,
                                    std::get<CoseKey>(key).algorithm, data->sign_count};
  return result;
}

AssertionResult verify_assertion(const AssertionResponse& response, const RelyingParty& rp,
                                 std::string_view expected_challenge, const StoredCredential& stored) {
  AssertionResult result;
  auto stop = [&result](Step step) {
    result.verdict = step.verdict;
    result.reason = std::move(step.reason);
    return result;
  };
  if (Step step = check_client_data(response.client_data_json, "webauthn.get", rp, expected_challenge);
      !step.ok()) {
    return stop(std::move(step));
  }
  const std::optional<AuthenticatorData> data = parse_authenticator_data(response.authenticator_data);
  if (!data) return stop(malformed("authenticatorData does not parse"));
  if (Step step = check_authenticator_data(*data, rp); !step.ok()) return stop(std::move(step));
  // §7.2 steps 20–21: the signature over authenticatorData || SHA-256(clientDataJSON).
  const CoseKeyResult key = parse_cose_key(stored.public_key);
  if (!std::holds_alternative<CoseKey>(key)) return stop(refused("the stored public key is not usable"));
  const std::string signed_bytes = response.authenticator_data + sha256(response.client_data_json);
  if (!verify_signature(std::get<CoseKey>(key), signed_bytes, response.signature)) {
    return stop(refused("signature does not verify"));
  }
  // §7.2 step 21 (signCount), only once the signature holds: a counter that did not grow while
  // either side is non-zero may be a cloned authenticator.
  if ((stored.sign_count != 0 || data->sign_count != 0) && data->sign_count <= stored.sign_count) {
    return stop({Verdict::counter_regressed, "signCount did not grow"});
  }
  result.verdict = Verdict::ok;
  result.sign_count = data->sign_count;
  return result;
}

}  // namespace latchkey::webauthn
