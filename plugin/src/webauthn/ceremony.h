// WebAuthn Level 2 ceremonies (§7.1 registering a new credential, §7.2 verifying an assertion),
// checked step by step. Knows nothing of HTTP or the database: the passkey service finds the
// challenge it issued and the credential it stored; this says whether the browser's response proves
// what it claims. Binary values are bytes in std::string.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::webauthn {

// The COSE algorithms accepted (IANA "COSE Algorithms"); every other one is refused.
enum class CoseAlgorithm : int32_t { es256 = -7, eddsa = -8, rs256 = -257 };
// All of them, in the order the creation options offer them (pubKeyCredParams).
inline constexpr CoseAlgorithm kAcceptedAlgorithms[] = {CoseAlgorithm::es256, CoseAlgorithm::eddsa,
                                                        CoseAlgorithm::rs256};

// What a ceremony is checked against.
struct RelyingParty {
  std::string id;                    // rp_id, e.g. "localhost": its SHA-256 is the rpIdHash
  std::vector<std::string> origins;  // the values clientDataJSON.origin may take
};

// navigator.credentials.create()'s PublicKeyCredential in its JSON form (PublicKeyCredential.toJSON()
// of WebAuthn Level 3: base64url without padding), decoded.
struct RegistrationResponse {
  std::string credential_id;            // rawId
  std::string client_data_json;
  std::string attestation_object;       // CBOR
  std::vector<std::string> transports;  // response.transports, e.g. "internal", "usb", "hybrid"
};

// navigator.credentials.get()'s PublicKeyCredential in its JSON form, decoded.
struct AssertionResponse {
  std::string credential_id;  // rawId
  std::string client_data_json;
  std::string authenticator_data;
  std::string signature;
  std::optional<std::string> user_handle;  // the user.id of the creation options, when sent
};

// Read the `credential` member of a request body. nullopt when it is not such an object: a member
// missing or of the wrong type, base64url that does not decode, id != rawId, type other than
// "public-key", a field over its size limit. The route answers 400 invalid_request.
std::optional<RegistrationResponse> read_registration_response(const rapidjson::Value& credential);
std::optional<AssertionResponse> read_assertion_response(const rapidjson::Value& credential);

// The challenge clientDataJSON names, as the base64url text the server issued, so the service can
// look it up; nullopt when clientDataJSON is not a JSON object with a string "challenge".
std::optional<std::string> challenge_of(std::string_view client_data_json);

enum class Verdict {
  ok,
  malformed,          // CBOR, COSE or JSON that does not parse: 400 invalid_request
  refused,            // parses but proves nothing (type, origin, RP id hash, challenge, UP/UV flags,
                      // attested data, algorithm, signature): 401 invalid_credential
  counter_regressed,  // assertion: a good signature whose counter did not grow while either side
                      // is non-zero (a cloned authenticator): flag the passkey, 401
};

struct NewCredential {
  std::string credential_id;
  std::string public_key;  // the COSE_Key, CBOR bytes as the authenticator sent them
  CoseAlgorithm algorithm = CoseAlgorithm::es256;
  uint32_t sign_count = 0;
};

struct RegistrationResult {
  Verdict verdict = Verdict::refused;
  std::string reason;  // which step refused, for logs and tests; holds no secret
  std::optional<NewCredential> credential;  // with ok
};

// §7.1 steps 5–26 with attestation "none": a statement in another format is not checked and not
// trusted (the credential is taken as if its format were "none"). expected_challenge is the
// base64url text issued; it is compared in constant time.
RegistrationResult verify_registration(const RegistrationResponse& response, const RelyingParty& rp,
                                       std::string_view expected_challenge);

struct StoredCredential {
  std::string public_key;  // COSE_Key bytes as registered
  uint32_t sign_count = 0;
};

struct AssertionResult {
  Verdict verdict = Verdict::refused;
  std::string reason;
  uint32_t sign_count = 0;  // with ok: the counter to store
};

// §7.2 steps 10–22. Finding the credential by id and checking userHandle against its owner are
// the service's (it knows the owner).
AssertionResult verify_assertion(const AssertionResponse& response, const RelyingParty& rp,
                                 std::string_view expected_challenge, const StoredCredential& stored);

}  // namespace latchkey::webauthn
