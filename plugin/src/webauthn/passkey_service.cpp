// A registration is one transaction with the challenge it uses up: a failure in between leaves the
// challenge usable and nothing stored. A sign-in's challenge is spent when its signature verifies
// (PasskeyAssertions::check). A refusal found inside a transaction rolls it back by throwing Refused.
#include "webauthn/passkey_service.h"

#include "audit/client_context.h"
#include "jwt/base64url.h"
#include "session/device_name.h"
#include "store/token_hash.h"
#include "throttle/counted_attempt.h"
#include "webauthn/ceremony_challenges.h"

#include <algorithm>
#include <array>

namespace latchkey::webauthn {
namespace {

struct Refused {};

PasskeyResult outcome(PasskeyOutcome value) { return PasskeyResult{value, std::nullopt, std::nullopt, {}}; }

// A passkey's name when the user gave none: the device it was made on ("Chrome on Linux").
std::string default_name() {
  const std::string device = session::device_name(audit::current_client().user_agent);
  return device.starts_with("Unknown") ? "Passkey" : device;
}

std::string encoded(std::string_view bytes) { return jwt::base64url_encode(bytes); }

}  // namespace

std::vector<std::string> known_transports(const std::vector<std::string>& reported) {
  static constexpr std::array<std::string_view, 6> kKnown = {"usb", "nfc", "ble", "smart-card", "hybrid", "internal"};
  std::vector<std::string> kept;
  for (const std::string& transport : reported) {
    const bool known = std::find(kKnown.begin(), kKnown.end(), transport) != kKnown.end();
    if (known && std::find(kept.begin(), kept.end(), transport) == kept.end()) kept.push_back(transport);
  }
  return kept;
}

PasskeyService::PasskeyService(store::Database& db, session::SessionService& sessions, PasskeyAssertions& assertions,
                               throttle::Throttle& failures, session::WallClock clock)
    : db_(db), sessions_(sessions), assertions_(assertions), failures_(failures), clock_(std::move(clock)) {}

int64_t PasskeyService::now_seconds() const {
  return std::chrono::floor<std::chrono::seconds>(clock_().time_since_epoch()).count();
}

CreationOptions PasskeyService::registration_options(const store::User& user, const RelyingPartySite& site) {
  CreationOptions options;
  options.challenge = CeremonyChallenges(db_).issue(store::ChallengePurpose::registration, user.id, now_seconds());
  options.rp_id = site.rp.id;
  options.rp_name = site.name;
  options.user_handle = user.id;
  options.user_name = user.email;
  // One passkey per authenticator: the browser refuses to make a second on one that has ours.
  for (const store::Passkey& passkey : store::PasskeyStore(db_).list_for_user(user.id)) {
    const auto id = jwt::base64url_decode(passkey.credential_id);
    if (id) options.exclude.push_back({std::string(id->begin(), id->end()), passkey.transports});
  }
  return options;
}

RequestOptions PasskeyService::sign_in_options(const RelyingPartySite& site) {
  return {CeremonyChallenges(db_).issue(store::ChallengePurpose::authentication, std::nullopt, now_seconds()),
          site.rp.id};
}

PasskeyResult PasskeyService::register_passkey(const store::User& user, const RegistrationResponse& response,
                                               std::optional<std::string> name, const RelyingPartySite& site) {
  const auto challenge = challenge_of(response.client_data_json);
  if (!challenge) return outcome(PasskeyOutcome::malformed);
  CeremonyChallenges challenges(db_);
  // Bound to the user who asked for it: another user's registration challenge proves nothing here.
  const auto issued = challenges.find_live(*challenge, store::ChallengePurpose::registration, now_seconds());
  if (!issued || issued->user_id != user.id) return outcome(PasskeyOutcome::invalid_credential);
  const RegistrationResult verified = verify_registration(response, site.rp, *challenge);
  if (verified.verdict == Verdict::malformed) return outcome(PasskeyOutcome::malformed);
  if (verified.verdict != Verdict::ok || !verified.credential) return outcome(PasskeyOutcome::invalid_credential);

  const NewCredential& credential = *verified.credential;
  const int64_t now = now_seconds();
  store::Passkey passkey;
  passkey.id = store::new_id();
  passkey.user_id = user.id;
  passkey.credential_id = encoded(credential.credential_id);
  passkey.public_key = encoded(credential.public_key);
  passkey.algorithm = static_cast<int32_t>(credential.algorithm);
  passkey.sign_count = credential.sign_count;
  passkey.transports = known_transports(response.transports);
  passkey.name = name ? std::move(*name) : default_name();
  passkey.created_at = now;
  audit::Pending events;
  try {
    db_.transaction([&] {
      if (!challenges.consume(*challenge, store::ChallengePurpose::registration, now)) throw Refused{};
      // §7.1 step 22: a credential id registered already (to anyone) is refused, not moved.
      if (!store::PasskeyStore(db_).insert(passkey)) throw Refused{};
      audit::write(audit_, events, "passkey.added", user.id, {},
                   audit::detail({{"passkey", passkey.id}, {"name", passkey.name}}));
    });
  } catch (const Refused&) {
    return outcome(PasskeyOutcome::invalid_credential);
  }
  audit::announce(audit_, events);
  PasskeyResult result = outcome(PasskeyOutcome::ok);
  result.passkey = std::move(passkey);
  return result;
}

PasskeyResult PasskeyService::sign_in(const AssertionResponse& response, const RelyingPartySite& site,
                                      std::string_view client_address) {
  // Per address only: before the passkey is found there is no account to count against, and a
  // signature cannot be guessed; the limit bounds the work and the log of a flood.
  if (auto wait = failures_.count(client_address, client_address)) {
    PasskeyResult limited = outcome(PasskeyOutcome::rate_limited);
    limited.retry_after = *wait;
    return limited;
  }
  throttle::CountedAttempt attempt(failures_, client_address, client_address);
  const CheckedAssertion checked = assertions_.check(response, site.rp, std::nullopt);
  auto refuse = [&](const std::string& reason) {
    attempt.decided();
    audit::record(audit_, "passkey.failed", checked.passkey ? checked.passkey->user_id : "", {},
                  audit::detail({{"action", "sign_in"}, {"reason", reason}}));
    return outcome(PasskeyOutcome::invalid_credential);
  };
  if (checked.outcome == AssertionOutcome::malformed) {
    attempt.decided();
    return outcome(PasskeyOutcome::malformed);
  }
  if (checked.outcome != AssertionOutcome::ok) return refuse(checked.reason);
  const auto user = store::UserStore(db_).find_by_id(checked.passkey->user_id);
  if (!user) return refuse("no such user");
  attempt.decided();
  failures_.succeeded(client_address, client_address);
  if (!user->active) {
    audit::record(audit_, "login.failed", user->id, {}, audit::detail({{"reason", "account_disabled"}, {"method", "passkey"}}));
    return outcome(PasskeyOutcome::account_disabled);
  }
  audit::Pending events;
  try {
    session::IssuedTokens tokens = db_.transaction([&] {
      // One session per assertion, even when the same one is sent several times at once.
      if (!assertions_.use(checked)) throw Refused{};
      return sessions_.start_session(*user, "passkey.signed_in", {"hwk", "user"}, events);
    });
    audit::announce(audit_, events);
    PasskeyResult result = outcome(PasskeyOutcome::ok);
    result.tokens = std::move(tokens);
    return result;
  } catch (const Refused&) {
    audit::record(audit_, "passkey.failed", user->id, {},
                  audit::detail({{"action", "sign_in"}, {"reason", "passkey used meanwhile"}}));
    return outcome(PasskeyOutcome::invalid_credential);
  }
}

std::vector<store::Passkey> PasskeyService::list(std::string_view user_id) {
  return store::PasskeyStore(db_).list_for_user(user_id);
}

bool PasskeyService::recently_authenticated(int64_t auth_time) const {
  return now_seconds() - auth_time <= kRecentAuthenticationSeconds;
}

PasskeyOutcome PasskeyService::remove(std::string_view user_id, std::string_view passkey_id, int64_t auth_time) {
  if (!recently_authenticated(auth_time)) return PasskeyOutcome::reauthentication_required;
  audit::Pending events;
  const bool removed = db_.transaction([&] {
    store::PasskeyStore passkeys(db_);
    const auto passkey = passkeys.find_for_user(passkey_id, user_id);
    if (!passkey || !passkeys.remove_for_user(passkey_id, user_id)) return false;
    audit::write(audit_, events, "passkey.removed", user_id, {},
                 audit::detail({{"passkey", passkey->id}, {"name", passkey->name}, {"by", "user"}}));
    return true;
  });
  audit::announce(audit_, events);
  return removed ? PasskeyOutcome::ok : PasskeyOutcome::not_found;
}

}  // namespace latchkey::webauthn
