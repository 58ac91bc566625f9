// The layout is fixed up to the attested credential data; the COSE key and the extensions have no
// length of their own, so the CBOR reader says where each one ends.
#include "webauthn/authenticator_data.h"

#include "webauthn/cbor_reader.h"

namespace latchkey::webauthn {
namespace {

constexpr std::size_t kFixedBytes = kRpIdHashBytes + 1 + 4;  // rpIdHash, flags, signCount

uint32_t big_endian(std::string_view bytes) {
  uint32_t value = 0;
  for (const char c : bytes) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

// One CBOR map at the front of `rest`; its bytes, and `rest` moved past it.
std::optional<std::string> take_map(std::string_view& rest) {
  const std::optional<CborPrefix> prefix = read_cbor_prefix(rest);
  if (!prefix || !cbor_isa_map(prefix->item.get())) return std::nullopt;
  std::string bytes(rest.substr(0, prefix->length));
  rest.remove_prefix(prefix->length);
  return bytes;
}

}  // namespace

std::optional<AuthenticatorData> parse_authenticator_data(std::string_view bytes) {
  if (bytes.size() < kFixedBytes || bytes.size() > kMaxAuthenticatorDataBytes) return std::nullopt;
  AuthenticatorData data;
  data.rp_id_hash = std::string(bytes.substr(0, kRpIdHashBytes));
  data.flags = static_cast<uint8_t>(bytes[kRpIdHashBytes]);
  data.sign_count = big_endian(bytes.substr(kRpIdHashBytes + 1, 4));
  std::string_view rest = bytes.substr(kFixedBytes);

  if ((data.flags & kFlagAttestedData) != 0) {
    if (rest.size() < kAaguidBytes + 2) return std::nullopt;
    AttestedCredential attested;
    attested.aaguid = std::string(rest.substr(0, kAaguidBytes));
    const std::size_t id_length = big_endian(rest.substr(kAaguidBytes, 2));
    rest.remove_prefix(kAaguidBytes + 2);
    if (id_length == 0 || id_length > kMaxCredentialIdBytes || rest.size() < id_length) return std::nullopt;
    attested.credential_id = std::string(rest.substr(0, id_length));
    rest.remove_prefix(id_length);
    std::optional<std::string> key = take_map(rest);
    if (!key) return std::nullopt;
    attested.public_key = std::move(*key);
    data.attested = std::move(attested);
  }
  if ((data.flags & kFlagExtensions) != 0) {
    data.extensions = take_map(rest);
    if (!data.extensions) return std::nullopt;
  }
  if (!rest.empty()) return std::nullopt;  // trailing bytes
  return data;
}

}  // namespace latchkey::webauthn
