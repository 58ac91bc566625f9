// The challenges the passkey options hand out (CONTRACT §10): 32 random bytes, base64url, single
// use, 5 minutes, stored only as SHA-256 (store/token_hash.h), found again by the text that
// clientDataJSON names.
#pragma once

#include "store/database.h"
#include "store/webauthn_challenge_store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::webauthn {

class CeremonyChallenges {
 public:
  explicit CeremonyChallenges(store::Database& db) : db_(db) {}

  // A new challenge for purpose (and user, for a registration); expired ones are purged.
  std::string issue(store::ChallengePurpose purpose, std::optional<std::string> user_id, int64_t now);
  // The live challenge of that text, still usable.
  std::optional<store::WebAuthnChallenge> find_live(std::string_view challenge, store::ChallengePurpose purpose,
                                                    int64_t now);
  // Atomic: true for the one caller that uses it up.
  bool consume(std::string_view challenge, store::ChallengePurpose purpose, int64_t now);

 private:
  store::Database& db_;
};

}  // namespace latchkey::webauthn
