// Second factors (CONTRACT §10 "TOTP"): setting TOTP up, turning it on and off, the second step of
// a sign-in (an mfaToken from SessionService::sign_in plus a code), and step-up within a session.
// Knows nothing of HTTP; the routes (http/mfa_routes.cpp) map its outcomes to status codes.
#pragma once

#include "audit/audit_log.h"
#include "config/auth_config.h"
#include "mfa/recovery_codes.h"
#include "mfa/totp_secret_box.h"
#include "password/hasher.h"
#include "session/session_service.h"
#include "store/database.h"
#include "store/user_store.h"
#include "throttle/throttle.h"
#include "webauthn/ceremony.h"
#include "webauthn/passkey_assertions.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::mfa {

enum class MfaOutcome {
  ok,
  invalid_code,         // a wrong, replayed or used code
  invalid_credentials,  // a wrong password (enable, disable)
  invalid_mfa_token,    // an unknown, used or expired mfaToken
  invalid_session,      // step-up: the caller's session ended meanwhile
  rate_limited,         // too many wrong codes for the account or the address
  already_enabled,      // setup or enable while TOTP is on
  not_set_up,           // enable before setup
  not_enabled,          // disable or step-up without TOTP on
  not_configured,       // no encryption key in the config: TOTP cannot be set up
  account_disabled,     // verify: the account was disabled since the first factor
  invalid_credential,   // a passkey assertion that proves nothing (or not this user's passkey)
  malformed_credential,  // a passkey assertion whose CBOR or JSON does not parse
};

// A passkey assertion offered as a second factor, with the relying party of the request it came in.
struct PasskeyProof {
  webauthn::AssertionResponse response;
  webauthn::RelyingParty rp;
};

// What a request offers as its second factor: a TOTP code (six digits), a recovery code in its
// canonical form (mfa/recovery_codes.h), or a passkey assertion (its challenge from
// passkeys/login/options); the route has checked the form.
struct SecondFactor {
  enum class Kind { totp, recovery_code, passkey };
  Kind kind = Kind::totp;
  std::string value;                    // totp, recovery_code
  std::optional<PasskeyProof> passkey;  // passkey
};

struct TotpSetup {
  std::string secret;  // base32, for typing into an app
  std::string otpauth_uri;
  std::string qr_svg;
};

struct MfaResult {
  MfaOutcome outcome = MfaOutcome::invalid_code;
  std::optional<TotpSetup> setup;                // setup
  std::vector<std::string> recovery_codes;       // enable: shown once
  std::optional<session::IssuedTokens> tokens;   // verify, step-up
  std::chrono::seconds retry_after{0};           // with rate_limited
};

class MfaService {
 public:
  // code_throttle counts wrong codes (and wrong passwords of enable and disable) per user and address.
  MfaService(const config::AuthConfig& config, store::Database& db, const password::Hasher& hasher,
             session::SessionService& sessions, throttle::Throttle& code_throttle,
             session::WallClock clock = std::chrono::system_clock::now);

  // Every call may throw store::StoreUnavailable (the caller answers 503).
  MfaResult setup(const store::User& user);
  MfaResult enable(const store::User& user, std::string_view code, std::string_view password,
                   std::string_view client_address);
  MfaResult disable(const store::User& user, std::string_view password, const SecondFactor& factor,
                    std::string_view client_address);
  MfaResult verify(std::string_view mfa_token, const SecondFactor& factor, std::string_view client_address);
  // A TOTP code or a passkey within the session: the session's amr gains "otp" or "hwk", auth_time
  // is now; the new access token says so (no refresh token: the session's stays).
  MfaResult step_up(const store::User& user, std::string_view session_id, const SecondFactor& factor,
                    std::string_view client_address);

  void set_audit(audit::AuditLog* log) { audit_ = log; }
  // Where passkey assertions are checked; without it a passkey is never a right factor.
  void set_passkeys(webauthn::PasskeyAssertions* passkeys) { passkeys_ = passkeys; }

 private:
  int64_t now_seconds() const;
  // Counts the attempt for the user and the address, runs check, forgives it when it succeeded;
  // records mfa.failed for a wrong code or password.
  template <class Check>
  MfaResult throttled(const store::User& user, std::string_view client_address, std::string_view action, Check check);
  bool password_matches(const store::User& user, std::string_view password) const;
  // True when the factor is right and now used up (the TOTP step recorded, the recovery code spent).
  bool use_factor(const std::string& user_id, const SecondFactor& factor, int64_t now);
  std::optional<int64_t> pending_step(const store::User& user, std::string_view code, int64_t now);
  // A passkey factor, checked before the transaction that uses it (a counter that went backwards
  // flags the passkey for good, whatever happens next); nullopt for the other kinds. Its outcome
  // other than ok is the answer.
  std::optional<webauthn::CheckedAssertion> check_passkey(const std::string& user_id, const SecondFactor& factor);
  // Inside the transaction: the factor used up (a code, or the passkey's challenge and counter).
  bool use_checked_factor(const std::string& user_id, const SecondFactor& factor,
                          const std::optional<webauthn::CheckedAssertion>& assertion, int64_t now);

  const config::AuthConfig& config_;
  store::Database& db_;
  const password::Hasher& hasher_;
  session::SessionService& sessions_;
  throttle::Throttle& throttle_;
  session::WallClock clock_;
  std::optional<TotpSecretBox> box_;  // none without an encryption key
  std::optional<RecoveryCodeKey> recovery_key_;  // from the same secret; none without it
  audit::AuditLog* audit_ = nullptr;
  webauthn::PasskeyAssertions* passkeys_ = nullptr;
};

}  // namespace latchkey::mfa
