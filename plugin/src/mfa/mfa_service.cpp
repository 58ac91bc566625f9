// Each change is one transaction: a code is used up together with what it unlocks, so a failure in
// between leaves the code (and the mfaToken) usable. A refusal found inside a transaction rolls it
// back by throwing Refused.
#include "mfa/mfa_service.h"

#include "mfa/qr_svg.h"
#include "mfa/recovery_codes.h"
#include "mfa/totp.h"
#include "store/mfa_challenge_store.h"
#include "store/recovery_code_store.h"
#include "store/token_hash.h"
#include "store/totp_factor_store.h"
#include "throttle/counted_attempt.h"

namespace latchkey::mfa {
namespace {

struct Refused {
  MfaOutcome outcome;
};

// The audit event of the sign-in a challenge finishes, by its first factor (RFC 8176 value).
std::string_view sign_in_event(std::string_view first_factor) {
  if (first_factor == "ext") return "google.signed_in";
  if (first_factor == "email") return "magic_link.used";
  return "login.succeeded";
}

MfaResult outcome(MfaOutcome value) { return MfaResult{value, std::nullopt, {}, std::nullopt, {}}; }

// The RFC 8176 value a second factor adds to amr: a code is a one-time password, a passkey a
// hardware-protected key.
std::string factor_amr(const SecondFactor& factor) {
  return factor.kind == SecondFactor::Kind::passkey ? "hwk" : "otp";
}

std::string_view factor_method(const SecondFactor& factor) {
  switch (factor.kind) {
    case SecondFactor::Kind::totp: return "totp";
    case SecondFactor::Kind::recovery_code: return "recovery_code";
    case SecondFactor::Kind::passkey: return "passkey";
  }
  return "totp";
}

// The answer to a passkey that check_passkey did not pass.
MfaOutcome refusal_of(const webauthn::CheckedAssertion& checked) {
  return checked.outcome == webauthn::AssertionOutcome::malformed ? MfaOutcome::malformed_credential
                                                                   : MfaOutcome::invalid_credential;
}

}  // namespace

MfaService::MfaService(const config::AuthConfig& config, store::Database& db, const password::Hasher& hasher,
                       session::SessionService& sessions, throttle::Throttle& code_throttle, session::WallClock clock)
    : config_(config),
      db_(db),
      hasher_(hasher),
      sessions_(sessions),
      throttle_(code_throttle),
      clock_(std::move(clock)),
      box_(TotpSecretBox::from_config(config)) {
  if (const auto secret = totp_encryption_secret(config)) recovery_key_ = RecoveryCodeKey::from_secret(*secret);
}

int64_t MfaService::now_seconds() const {
  return std::chrono::floor<std::chrono::seconds>(clock_().time_since_epoch()).count();
}

template <class Check>
MfaResult MfaService::throttled(const store::User& user, std::string_view client_address, std::string_view action,
                                Check check) {
  if (auto wait = throttle_.count(user.id, client_address)) {
    MfaResult limited = outcome(MfaOutcome::rate_limited);
    limited.retry_after = *wait;
    return limited;
  }
  throttle::CountedAttempt attempt(throttle_, user.id, client_address);
  MfaResult result = check();
  attempt.decided();
  if (result.outcome == MfaOutcome::ok) {
    throttle_.succeeded(user.id, client_address);
  } else if (result.outcome == MfaOutcome::invalid_code || result.outcome == MfaOutcome::invalid_credentials ||
             result.outcome == MfaOutcome::invalid_credential) {
    const char* reason = result.outcome == MfaOutcome::invalid_code          ? "invalid_code"
                         : result.outcome == MfaOutcome::invalid_credential ? "invalid_credential"
                                                                            : "invalid_credentials";
    audit::record(audit_, "mfa.failed", user.id, {}, audit::detail({{"action", std::string(action)}, {"reason", reason}}));
  }
  return result;
}

bool MfaService::password_matches(const store::User& user, std::string_view password) const {
  // A user without a password (Google only) pays one hash too, and never matches.
  return user.password_hash ? hasher_.verify(password, *user.password_hash) : hasher_.verify_dummy(password);
}

std::optional<webauthn::CheckedAssertion> MfaService::check_passkey(const std::string& user_id,
                                                                   const SecondFactor& factor) {
  if (factor.kind != SecondFactor::Kind::passkey) return std::nullopt;
  if (!passkeys_ || !factor.passkey) return webauthn::CheckedAssertion{};  // refused
  return passkeys_->check(factor.passkey->response, factor.passkey->rp, user_id);
}

bool MfaService::use_checked_factor(const std::string& user_id, const SecondFactor& factor,
                                    const std::optional<webauthn::CheckedAssertion>& assertion, int64_t now) {
  if (factor.kind == SecondFactor::Kind::passkey) return passkeys_ && assertion && passkeys_->use(*assertion);
  return use_factor(user_id, factor, now);
}

bool MfaService::use_factor(const std::string& user_id, const SecondFactor& factor, int64_t now) {
  if (factor.kind == SecondFactor::Kind::passkey) return false;  // use_checked_factor's
  if (factor.kind == SecondFactor::Kind::recovery_code) {
    if (!recovery_key_) return false;
    return store::RecoveryCodeStore(db_).consume(user_id, recovery_key_->hash(user_id, factor.value), now);
  }
  store::TotpFactorStore factors(db_);
  const auto stored = factors.find(user_id);
  if (!stored || !stored->enabled_at || !box_) return false;
  const auto secret = box_->open(user_id, stored->secret_encrypted);
  if (!secret) return false;
  const auto step = matching_totp_step(*secret, factor.value, now);
  // use_step refuses a step at or below the last one used: the same code twice in its window.
  return step && factors.use_step(user_id, *step);
}

MfaResult MfaService::setup(const store::User& user) {
  if (!box_) return outcome(MfaOutcome::not_configured);
  const auto secret = new_totp_secret();
  const std::string base32 = base32_secret(secret);
  const std::string uri = otpauth_uri(config_.mfa.issuer, user.email, base32);
  const auto svg = qr_svg(uri);
  if (!svg) throw std::runtime_error("the otpauth URI does not fit a QR code");
  if (!store::TotpFactorStore(db_).set_up(user.id, box_->seal(user.id, secret), now_seconds())) {
    return outcome(MfaOutcome::already_enabled);
  }
  MfaResult result = outcome(MfaOutcome::ok);
  result.setup = TotpSetup{base32, uri, *svg};
  return result;
}

std::optional<int64_t> MfaService::pending_step(const store::User& user, std::string_view code, int64_t now) {
  const auto stored = store::TotpFactorStore(db_).find(user.id);
  if (!stored || stored->enabled_at || !box_) return std::nullopt;
  const auto secret = box_->open(user.id, stored->secret_encrypted);
  return secret ? matching_totp_step(*secret, code, now) : std::nullopt;
}

MfaResult MfaService::enable(const store::User& user, std::string_view code, std::string_view password,
                             std::string_view client_address) {
  if (!box_ || !recovery_key_) return outcome(MfaOutcome::not_configured);
  const auto stored = store::TotpFactorStore(db_).find(user.id);
  if (!stored) return outcome(MfaOutcome::not_set_up);
  if (stored->enabled_at) return outcome(MfaOutcome::already_enabled);
  return throttled(user, client_address, "enable", [&] {
    if (!password_matches(user, password)) return outcome(MfaOutcome::invalid_credentials);
    const int64_t now = now_seconds();
    const auto step = pending_step(user, code, now);
    if (!step) return outcome(MfaOutcome::invalid_code);
    std::vector<std::string> codes = new_recovery_codes();
    std::vector<std::string> hashes;
    for (const std::string& one : codes) hashes.push_back(recovery_key_->hash(user.id, one));
    audit::Pending events;
    try {
      db_.transaction([&] {
        // The confirming code's step counts as used: it cannot sign in a second time.
        if (!store::TotpFactorStore(db_).enable(user.id, now, *step)) throw Refused{MfaOutcome::already_enabled};
        store::RecoveryCodeStore(db_).replace(user.id, hashes, now);
        audit::write(audit_, events, "mfa.enabled", user.id);
      });
    } catch (const Refused& refused) {
      return outcome(refused.outcome);
    }
    audit::announce(audit_, events);
    MfaResult result = outcome(MfaOutcome::ok);
    result.recovery_codes = std::move(codes);
    return result;
  });
}

MfaResult MfaService::disable(const store::User& user, std::string_view password, const SecondFactor& factor,
                              std::string_view client_address) {
  if (!store::TotpFactorStore(db_).is_enabled(user.id)) return outcome(MfaOutcome::not_enabled);
  return throttled(user, client_address, "disable", [&] {
    if (!password_matches(user, password)) return outcome(MfaOutcome::invalid_credentials);
    audit::Pending events;
    try {
      db_.transaction([&] {
        if (!use_factor(user.id, factor, now_seconds())) throw Refused{MfaOutcome::invalid_code};
        store::TotpFactorStore(db_).remove(user.id);
        store::RecoveryCodeStore(db_).remove_all(user.id);
        audit::write(audit_, events, "mfa.disabled", user.id);
      });
    } catch (const Refused& refused) {
      return outcome(refused.outcome);
    }
    audit::announce(audit_, events);
    return outcome(MfaOutcome::ok);
  });
}

MfaResult MfaService::verify(std::string_view mfa_token, const SecondFactor& factor, std::string_view client_address) {
  const std::string token_hash = store::hash_token(mfa_token);
  store::MfaChallengeStore challenges(db_);
  const auto challenge = challenges.find_live(token_hash, now_seconds());
  if (!challenge) return outcome(MfaOutcome::invalid_mfa_token);
  const auto user = store::UserStore(db_).find_by_id(challenge->user_id);
  if (!user) return outcome(MfaOutcome::invalid_mfa_token);
  return throttled(*user, client_address, "verify", [&] {
    if (!user->active) return outcome(MfaOutcome::account_disabled);
    const auto assertion = check_passkey(user->id, factor);
    if (assertion && assertion->outcome != webauthn::AssertionOutcome::ok) return outcome(refusal_of(*assertion));
    const MfaOutcome wrong = assertion ? MfaOutcome::invalid_credential : MfaOutcome::invalid_code;
    audit::Pending events;
    try {
      session::IssuedTokens tokens = db_.transaction([&] {
        const int64_t now = now_seconds();
        if (!use_checked_factor(user->id, factor, assertion, now)) throw Refused{wrong};
        // Used up with the code: one session per challenge, even for two right codes sent at once.
        if (!challenges.consume(token_hash, now)) throw Refused{MfaOutcome::invalid_mfa_token};
        return sessions_.start_session(*user, sign_in_event(challenge->first_factor),
                                       {challenge->first_factor, factor_amr(factor)}, events);
      });
      audit::announce(audit_, events);  // after the commit: the sign-in event of the session
      MfaResult result = outcome(MfaOutcome::ok);
      result.tokens = std::move(tokens);
      return result;
    } catch (const Refused& refused) {
      return outcome(refused.outcome);
    }
  });
}

MfaResult MfaService::step_up(const store::User& user, std::string_view session_id, const SecondFactor& factor,
                              std::string_view client_address) {
  if (factor.kind == SecondFactor::Kind::totp && !store::TotpFactorStore(db_).is_enabled(user.id)) {
    return outcome(MfaOutcome::not_enabled);
  }
  return throttled(user, client_address, "step_up", [&] {
    const auto assertion = check_passkey(user.id, factor);
    if (assertion && assertion->outcome != webauthn::AssertionOutcome::ok) return outcome(refusal_of(*assertion));
    const MfaOutcome wrong = assertion ? MfaOutcome::invalid_credential : MfaOutcome::invalid_code;
    audit::Pending events;
    try {
      session::IssuedTokens tokens = db_.transaction([&] {
        if (!use_checked_factor(user.id, factor, assertion, now_seconds())) throw Refused{wrong};
        auto stepped = sessions_.step_up(user, session_id, factor_amr(factor));
        if (!stepped) throw Refused{MfaOutcome::invalid_session};
        audit::write(audit_, events, "mfa.step_up", user.id, session_id,
                     audit::detail({{"method", factor_method(factor)}}));
        return std::move(*stepped);
      });
      audit::announce(audit_, events);
      MfaResult result = outcome(MfaOutcome::ok);
      result.tokens = std::move(tokens);
      return result;
    } catch (const Refused& refused) {
      return outcome(refused.outcome);
    }
  });
}

}  // namespace latchkey::mfa
