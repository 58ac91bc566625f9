// Authenticator data (WebAuthn Level 2 §6.1): rpIdHash, flags, signCount, the attested credential
// data of a registration (§6.5.1) and the extensions, read strictly: nothing may follow them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::webauthn {

inline constexpr uint8_t kFlagUserPresent = 0x01;   // UP
inline constexpr uint8_t kFlagUserVerified = 0x04;  // UV
inline constexpr uint8_t kFlagAttestedData = 0x40;  // AT
inline constexpr uint8_t kFlagExtensions = 0x80;    // ED
inline constexpr std::size_t kRpIdHashBytes = 32;
inline constexpr std::size_t kAaguidBytes = 16;
inline constexpr std::size_t kMaxCredentialIdBytes = 1023;  // §6.5.1: L is at most 1023
inline constexpr std::size_t kMaxAuthenticatorDataBytes = 16 * 1024;

struct AttestedCredential {
  std::string aaguid;         // 16 bytes
  std::string credential_id;  // 1..1023 bytes
  std::string public_key;     // the COSE_Key, CBOR bytes as sent (one map; not yet checked as a key)
};

struct AuthenticatorData {
  std::string rp_id_hash;  // 32 bytes
  uint8_t flags = 0;
  uint32_t sign_count = 0;
  std::optional<AttestedCredential> attested;  // present exactly when AT is set
  std::optional<std::string> extensions;       // the CBOR map, present exactly when ED is set

  bool user_present() const { return (flags & kFlagUserPresent) != 0; }
  bool user_verified() const { return (flags & kFlagUserVerified) != 0; }
};

// nullopt when `bytes` is not authenticator data: shorter than 37 bytes, over
// kMaxAuthenticatorDataBytes, AT set without room for the attested data or a credential id length
// of 0 or over 1023, a COSE key or extensions that are not one CBOR map, bytes left after them.
std::optional<AuthenticatorData> parse_authenticator_data(std::string_view bytes);

}  // namespace latchkey::webauthn
