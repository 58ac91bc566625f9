// CollectedClientData (WebAuthn Level 2 §5.8.1): the JSON the browser signs over, read strictly
// (one object, valid UTF-8, no member twice, shallow).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace latchkey::webauthn {

inline constexpr std::size_t kMaxClientDataBytes = 4096;

struct ClientData {
  std::string type;       // "webauthn.create" or "webauthn.get" (others are kept, to be refused)
  std::string challenge;  // base64url text, as the browser copied it from the options
  std::string origin;
  bool cross_origin = false;
};

// nullopt when `json` is over kMaxClientDataBytes, not one strict JSON object, or lacks string
// type, challenge and origin members, or has a crossOrigin that is not a boolean.
std::optional<ClientData> parse_client_data(std::string_view json);

}  // namespace latchkey::webauthn
