// The options a browser passes to navigator.credentials.create() and .get(), as the JSON forms of
// WebAuthn Level 3 (PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON:
// binary values base64url without padding), which PublicKeyCredential.parseCreationOptionsFromJSON
// and parseRequestOptionsFromJSON read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace latchkey::webauthn {

// How long a ceremony may take: the browser's timeout, and the challenge's life (CONTRACT §10).
inline constexpr int64_t kCeremonySeconds = 300;

struct CredentialDescriptor {
  std::string id;  // the credential id's bytes
  std::vector<std::string> transports;
};

struct CreationOptions {
  std::string challenge;  // base64url, as issued
  std::string rp_id;
  std::string rp_name;
  std::string user_handle;  // user.id: the bytes the assertion's userHandle returns (our user id)
  std::string user_name;    // the email
  std::vector<CredentialDescriptor> exclude;  // the user's passkeys: one per authenticator
};

struct RequestOptions {
  std::string challenge;  // base64url, as issued
  std::string rp_id;
};

// pubKeyCredParams ES256, EdDSA, RS256 (in that order of preference); residentKey and
// userVerification "required"; attestation "none"; excludeCredentials; timeout.
std::string creation_options_json(const CreationOptions& options);
// A discoverable sign-in: no allowCredentials, userVerification "required".
std::string request_options_json(const RequestOptions& options);

}  // namespace latchkey::webauthn
