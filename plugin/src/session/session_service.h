// Logins and sessions: password login, refresh-token rotation within a session, logout. Knows
// nothing of HTTP; the routes map its outcomes to status codes.
#pragma once

#include "audit/audit_log.h"
#include "config/auth_config.h"
#include "jwt/access_token.h"
#include "jwt/key_set.h"
#include "keys/live_keys.h"
#include "password/hasher.h"
#include "session/revocation_cache.h"
#include "store/database.h"
#include "store/session_store.h"
#include "store/user_store.h"
#include "throttle/throttle.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::session {

// The second factors a user has on: the token body's user.mfa (CONTRACT §10).
struct UserMfa {
  bool totp = false;
  int64_t passkeys = 0;  // how many passkeys the user has (a flagged one too: it still asks for one)
};

// What a successful login or refresh hands out.
struct IssuedTokens {
  store::User user;
  std::string session_id;
  jwt::IssuedAccessToken access;
  std::optional<std::string> refresh_token;  // absent when a refresh inside the grace window did not rotate
  int64_t refresh_expires_at = 0;            // epoch seconds; meaningful with refresh_token
  UserMfa mfa = {};
};

// A first factor passed and a second one is due (CONTRACT §10 "mfaRequired"): no session yet.
struct SecondFactorChallenge {
  std::string mfa_token;             // opaque, single use; stored hashed
  std::vector<std::string> methods;  // what the user has: "totp", "recovery_code", "passkey"
};

// Where every first factor (password, Google, magic link) leads: a session, or a challenge.
struct SignIn {
  std::optional<IssuedTokens> tokens;
  std::optional<SecondFactorChallenge> second_factor;
};

enum class LoginOutcome { ok, invalid_credentials, email_not_confirmed, account_disabled, rate_limited, mfa_required };

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::invalid_credentials;
  std::optional<IssuedTokens> tokens;                  // with ok
  std::optional<SecondFactorChallenge> second_factor;  // with mfa_required
  std::chrono::seconds retry_after{0};                 // with rate_limited
};

enum class RefreshOutcome { rotated, grace, invalid, reused };

struct RefreshResult {
  RefreshOutcome outcome = RefreshOutcome::invalid;
  std::optional<IssuedTokens> tokens;  // with rotated and grace
};

// The parts of a verified access token that logout needs.
struct AccessTokenRef {
  std::string session_id;
  std::string jti;
  int64_t expires_at = 0;
  std::string user_id = {};  // the token's sub, for the audit log
};

// A live session as its owner's list shows it (CONTRACT §10).
struct ListedSession {
  store::Session session;
  std::string device;    // readable, from the login's User-Agent (device_name.h)
  bool current = false;  // the session of the access token that asked
};

enum class RevokeSessionOutcome { revoked, not_found };

using WallClock = std::function<std::chrono::system_clock::time_point()>;

class SessionService {
 public:
  SessionService(const config::AuthConfig& config, store::Database& db, const password::Hasher& hasher,
                 const keys::LiveKeys& keys, RevocationCache& revocations, throttle::Throttle& throttle,
                 WallClock clock = std::chrono::system_clock::now);

  // Every store call may throw store::StoreUnavailable (the caller answers 503).
  LoginResult login(std::string_view email, std::string_view password, std::string_view client_address);
  RefreshResult refresh(std::string_view refresh_token);
  // Ends the session named by either token (both may be given); the access token is denied.
  void logout(const std::optional<AccessTokenRef>& access, const std::optional<std::string>& refresh_token);
  // Ends every session of the user.
  void logout_all(std::string_view user_id);
  // The gate every first factor passes through: a user with a second factor (TOTP on, or a
  // passkey) gets a challenge, anyone else a new session. amr names the first factor ({"pwd"}, {"ext"}, {"email"}); event
  // names the sign-in in the audit log when the session starts.
  SignIn sign_in(const store::User& user, std::vector<std::string> amr, std::string_view event);
  // A new session for a user already fully authenticated, recording the client address and
  // User-Agent of the request (audit::current_client()), amr, and auth_time = now; event names it
  // in the audit log ("login.succeeded", "google.signed_in").
  IssuedTokens start_session(const store::User& user, std::string_view event = "login.succeeded",
                             std::vector<std::string> amr = {"pwd"});
  // The same two inside a caller's transaction: the audit events go to `events`, which the caller
  // announces after its own commit (an event announced earlier could name a change rolled back).
  SignIn sign_in(const store::User& user, std::vector<std::string> amr, std::string_view event,
                 audit::Pending& events);
  IssuedTokens start_session(const store::User& user, std::string_view event, std::vector<std::string> amr,
                             audit::Pending& events);
  // Step-up: the live session's amr gains `factor` and auth_time becomes now; a new access token
  // (no refresh token) says so. nullopt when the session is not the user's or no longer live.
  std::optional<IssuedTokens> step_up(const store::User& user, std::string_view session_id, std::string_view factor);
  UserMfa user_mfa(std::string_view user_id);

  // The sessions a user sees and ends (owned_sessions.cpp). Only the user's own: another user's
  // session id is not_found and ends nothing. Each session ended is a `session.revoked` event
  // {"by":"user"} and leaves the revocation cache after the commit.
  std::vector<ListedSession> list_sessions(std::string_view user_id, std::string_view current_session_id);
  RevokeSessionOutcome revoke_session(std::string_view user_id, std::string_view session_id);
  // Every live session of the user but current_session_id; returns how many ended.
  int64_t logout_others(std::string_view user_id, std::string_view current_session_id);

  // Where the security events go (CONTRACT §9); none when never set.
  void set_audit(audit::AuditLog* log) { audit_ = log; }

  std::optional<store::User> find_user(std::string_view user_id);

 private:
  std::chrono::milliseconds now_ms() const;  // since the epoch
  int64_t now_seconds() const;
  jwt::IssuedAccessToken sign_access(const store::User& user, std::string_view session_id,
                                     std::vector<std::string> amr, int64_t auth_time) const;
  // start_session's work; factors: the user's second factors when the caller has just read them
  // (sign_in), so a login reads them once.
  IssuedTokens open_session(const store::User& user, std::string_view event, std::vector<std::string> amr,
                            audit::Pending& events, std::optional<UserMfa> factors);
  std::string issue_refresh_token(std::string_view session_id, std::optional<std::string> parent_hash,
                                  int64_t session_expires_at, int64_t& expires_at);

  const config::AuthConfig& config_;
  store::Database& db_;
  const password::Hasher& hasher_;
  const keys::LiveKeys& keys_;  // signs with the active key of the moment
  RevocationCache& revocations_;
  throttle::Throttle& throttle_;
  WallClock clock_;
  audit::AuditLog* audit_ = nullptr;
};

}  // namespace latchkey::session
