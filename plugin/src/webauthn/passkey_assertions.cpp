// The order of the checks: what the server knows (challenge, credential, owner) before the
// ceremony spends a signature verification on it; every refusal names its step for the audit log.
#include "webauthn/passkey_assertions.h"

#include "jwt/base64url.h"
#include "webauthn/ceremony_challenges.h"

namespace latchkey::webauthn {
namespace {

CheckedAssertion refused(std::string reason, std::optional<store::Passkey> passkey = std::nullopt) {
  CheckedAssertion checked;
  checked.outcome = AssertionOutcome::refused;
  checked.reason = std::move(reason);
  checked.passkey = std::move(passkey);
  return checked;
}

}  // namespace

int64_t PasskeyAssertions::now_seconds() const {
  return std::chrono::floor<std::chrono::seconds>(clock_().time_since_epoch()).count();
}

CheckedAssertion PasskeyAssertions::check(const AssertionResponse& response, const RelyingParty& rp,
                                          std::optional<std::string_view> owner) {
  const auto challenge = challenge_of(response.client_data_json);
  if (!challenge) {
    CheckedAssertion malformed;
    malformed.outcome = AssertionOutcome::malformed;
    malformed.reason = "clientDataJSON is not a JSON object with a challenge";
    return malformed;
  }
  // The passkey is read before its challenge: a request that loses the race to the same assertion
  // then finds the challenge used, never the winner's counter (which would look like a clone).
  store::PasskeyStore passkeys(db_);
  auto passkey = passkeys.find_by_credential_id(jwt::base64url_encode(std::string_view(response.credential_id)));
  if (!passkey) return refused("unknown credential");
  if (passkey->flagged_at) return refused("passkey flagged", std::move(passkey));
  if (owner && passkey->user_id != *owner) return refused("another user's passkey", std::move(passkey));
  // §7.2 step 6: a sign-in that named no user learns it from the userHandle, which must be the
  // owner's; where the user is known, a userHandle sent must agree.
  if (!owner && !response.user_handle) return refused("no userHandle", std::move(passkey));
  if (response.user_handle && *response.user_handle != passkey->user_id) {
    return refused("userHandle is not the owner", std::move(passkey));
  }
  if (!CeremonyChallenges(db_).find_live(*challenge, store::ChallengePurpose::authentication, now_seconds())) {
    return refused("challenge unknown, used, expired or not a sign-in's", std::move(passkey));
  }
  const auto public_key = jwt::base64url_decode(passkey->public_key);
  if (!public_key) throw std::runtime_error("passkey " + passkey->id + " has a public key that is not base64url");
  const StoredCredential stored{std::string(public_key->begin(), public_key->end()),
                                static_cast<uint32_t>(passkey->sign_count)};
  const AssertionResult result = verify_assertion(response, rp, *challenge, stored);
  // A signature that verified spends its challenge at once, committed on its own: the assertion
  // gets this one try even when what follows fails (a session transaction that loses a race, an
  // mfaToken used meanwhile). Kept live, it could be sent again after newer ones and flag the
  // passkey as a clone. Of two requests with the same assertion, one spends it.
  if ((result.verdict == Verdict::ok || result.verdict == Verdict::counter_regressed) &&
      !CeremonyChallenges(db_).consume(*challenge, store::ChallengePurpose::authentication, now_seconds())) {
    return refused("challenge used meanwhile", std::move(passkey));
  }

  CheckedAssertion checked;
  checked.reason = result.reason;
  checked.passkey = std::move(passkey);
  checked.challenge = *challenge;
  switch (result.verdict) {
    case Verdict::ok:
      checked.outcome = AssertionOutcome::ok;
      checked.sign_count = result.sign_count;
      return checked;
    case Verdict::malformed:
      checked.outcome = AssertionOutcome::malformed;
      return checked;
    case Verdict::refused:
      checked.outcome = AssertionOutcome::refused;
      return checked;
    case Verdict::counter_regressed:
      break;
  }
  // A clone of the authenticator may be in use: this passkey signs nothing in from now on.
  checked.outcome = AssertionOutcome::flagged;
  audit::Pending events;
  db_.transaction([&] {
    if (store::PasskeyStore(db_).flag(checked.passkey->id, now_seconds())) {
      audit::write(audit_, events, "passkey.flagged", checked.passkey->user_id, {},
                   audit::detail({{"passkey", checked.passkey->id},
                                  {"stored_counter", std::to_string(checked.passkey->sign_count)}}));
    }
  });
  audit::announce(audit_, events);
  return checked;
}

bool PasskeyAssertions::use(const CheckedAssertion& checked) {
  if (checked.outcome != AssertionOutcome::ok || !checked.passkey) return false;
  return store::PasskeyStore(db_).record_use(checked.passkey->id, checked.passkey->sign_count, checked.sign_count,
                                             now_seconds());
}

}  // namespace latchkey::webauthn
