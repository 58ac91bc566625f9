// A software WebAuthn authenticator for tests: it holds one credential (an ES256, EdDSA or RS256 key
// made with Botan) and answers registrations (attestation "none") and assertions as a browser would
// hand them to the page, in PublicKeyCredential.toJSON() form. Knobs set what a test wants wrong:
// origin, RP id, challenge, type, flags, sign counter, user handle. The encoders below it build the
// pieces (authenticator data, attestation objects, client data) for tests that mutate one field.
#pragma once

#include "webauthn/ceremony.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace Botan {
class Private_Key;
}

namespace latchkey::webauthn::testing {

inline constexpr uint8_t kFlagUp = 0x01;
inline constexpr uint8_t kFlagUv = 0x04;
inline constexpr uint8_t kFlagAt = 0x40;
inline constexpr uint8_t kFlagEd = 0x80;

// What one ceremony should say differently from a well-behaved authenticator in a browser.
struct CeremonyKnobs {
  std::optional<std::string> origin{};     // clientDataJSON.origin (default: the authenticator's)
  std::optional<std::string> rp_id{};      // hashed into rpIdHash (default: the authenticator's)
  std::optional<std::string> type{};       // default "webauthn.create" / "webauthn.get"
  std::optional<uint8_t> flags{};          // default UP|UV, plus AT on registration
  std::optional<uint32_t> sign_count{};    // this ceremony's counter (default: the authenticator's)
  std::optional<std::string> user_handle{};  // assertion: bytes, "" for none (default: the registered user id)
  bool cross_origin = false;               // clientDataJSON.crossOrigin
};

class SoftwareAuthenticator {
 public:
  // A new credential with a random 32-byte id. rp_id and origin are the defaults of every ceremony.
  explicit SoftwareAuthenticator(CoseAlgorithm algorithm = CoseAlgorithm::es256,
                                 std::string rp_id = "localhost", std::string origin = "http://localhost:8080");
  // An existing credential: its private key as PKCS#8 DER (WebAuthn.getCredentials' privateKey),
  // its id and user handle (bytes) and its current sign counter.
  static SoftwareAuthenticator from_private_key(std::string_view pkcs8_der, std::string credential_id,
                                                std::string user_handle, uint32_t sign_count,
                                                std::string rp_id = "localhost",
                                                std::string origin = "http://localhost:8080");
  SoftwareAuthenticator(SoftwareAuthenticator&&) noexcept;
  SoftwareAuthenticator& operator=(SoftwareAuthenticator&&) noexcept;
  ~SoftwareAuthenticator();

  // navigator.credentials.create(): `challenge` is the base64url text of the options, `user_id` the
  // user.id bytes (kept as the user handle of later assertions).
  RegistrationResponse make_registration(std::string_view challenge, std::string_view user_id,
                                                   const CeremonyKnobs& knobs = {});
  // navigator.credentials.get(): the counter grows by counter_step() first (unless knobs.sign_count).
  AssertionResponse make_assertion(std::string_view challenge, const CeremonyKnobs& knobs = {});

  // The same from the options JSON a server sent (PublicKeyCredentialCreationOptions or
  // ...RequestOptions, bare or under "publicKey"), answered as the `credential` JSON text a page
  // posts. Throws std::runtime_error when a browser would refuse: options that do not parse, our
  // algorithm not in pubKeyCredParams, our credential in excludeCredentials, or allowCredentials
  // not naming it.
  std::string register_from_options(std::string_view options_json, const CeremonyKnobs& knobs = {});
  std::string assert_from_options(std::string_view options_json, const CeremonyKnobs& knobs = {});

  // The signature over authenticator_data || SHA-256(client_data_json), in WebAuthn's form (DER
  // for ES256), for tests that change a signed field and sign again.
  std::string sign(std::string_view authenticator_data, std::string_view client_data_json) const;

  CoseAlgorithm algorithm() const { return algorithm_; }
  const std::string& credential_id() const { return credential_id_; }  // bytes
  std::string credential_id_base64url() const;
  const std::string& cose_public_key() const { return cose_key_; }  // CBOR bytes
  const std::string& user_handle() const { return user_handle_; }   // bytes; empty before a registration
  const std::string& rp_id() const { return rp_id_; }
  const std::string& origin() const { return origin_; }
  uint32_t sign_count() const { return sign_count_; }
  void set_sign_count(uint32_t count) { sign_count_ = count; }
  uint32_t counter_step() const { return counter_step_; }
  void set_counter_step(uint32_t step) { counter_step_ = step; }  // 0: a counter that stays 0, as synced passkeys do

 private:
  SoftwareAuthenticator(CoseAlgorithm algorithm, std::unique_ptr<Botan::Private_Key> key,
                        std::string credential_id, std::string rp_id, std::string origin);

  CoseAlgorithm algorithm_;
  std::unique_ptr<Botan::Private_Key> key_;
  std::string credential_id_;
  std::string cose_key_;
  std::string rp_id_;
  std::string origin_;
  std::string user_handle_;
  uint32_t sign_count_ = 0;
  uint32_t counter_step_ = 1;
};

// Encoders. Binary values are bytes in std::string.
std::string sha256(std::string_view bytes);
std::string base64url(std::string_view bytes);
std::string base64url_decode_or_throw(std::string_view text);

struct AttestedData {
  std::string aaguid = std::string(16, '\0');
  std::string credential_id;
  std::string cose_key;  // CBOR bytes
};
std::string encode_authenticator_data(std::string_view rp_id_hash, uint8_t flags, uint32_t sign_count,
                                      const std::optional<AttestedData>& attested = std::nullopt,
                                      std::string_view extensions_cbor = {});
// {"fmt": format, "attStmt": statement (CBOR bytes of a map; default {}), "authData": bytes}.
std::string encode_attestation_object(std::string_view authenticator_data, std::string_view format = "none",
                                      std::string_view statement_cbor = "\xa0");
// {"type","challenge","origin","crossOrigin"} as Chromium orders them.
std::string encode_client_data(std::string_view type, std::string_view challenge, std::string_view origin,
                               bool cross_origin = false);
// COSE keys from their parts (a test may give any alg, kty or crv).
std::string encode_ec2_cose_key(int64_t alg, int64_t crv, std::string_view x, std::string_view y);
std::string encode_okp_cose_key(int64_t alg, int64_t crv, std::string_view x);
std::string encode_rsa_cose_key(int64_t alg, std::string_view n, std::string_view e);

// The `credential` object of a request body (toJSON form) for a response.
std::string registration_json(const RegistrationResponse& response);
std::string assertion_json(const AssertionResponse& response);

}  // namespace latchkey::webauthn::testing
