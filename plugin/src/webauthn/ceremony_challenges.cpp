// CeremonyChallenges over WebAuthnChallengeStore: the store only ever sees hashes.
#include "webauthn/ceremony_challenges.h"

#include "jwt/base64url.h"
#include "store/token_hash.h"
#include "webauthn/passkey_options.h"

#include <botan/system_rng.h>

namespace latchkey::webauthn {

std::string CeremonyChallenges::issue(store::ChallengePurpose purpose, std::optional<std::string> user_id,
                                      int64_t now) {
  const auto bytes = Botan::system_rng().random_vec(32);
  std::string challenge = jwt::base64url_encode(std::span<const uint8_t>(bytes.data(), bytes.size()));
  store::WebAuthnChallengeStore challenges(db_);
  challenges.create({store::hash_token(challenge), purpose, std::move(user_id), now, now + kCeremonySeconds});
  challenges.purge_expired(now);
  return challenge;
}

std::optional<store::WebAuthnChallenge> CeremonyChallenges::find_live(std::string_view challenge,
                                                                      store::ChallengePurpose purpose, int64_t now) {
  return store::WebAuthnChallengeStore(db_).find_live(store::hash_token(challenge), purpose, now);
}

bool CeremonyChallenges::consume(std::string_view challenge, store::ChallengePurpose purpose, int64_t now) {
  return store::WebAuthnChallengeStore(db_).consume(store::hash_token(challenge), purpose, now);
}

}  // namespace latchkey::webauthn
