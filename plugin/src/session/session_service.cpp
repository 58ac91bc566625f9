// Session logic per DESIGN "Tokens and sessions": refresh tokens are 256 random bits stored as
// SHA-256; each refresh consumes its token atomically and issues a successor in one transaction;
// a token used again within the grace window gets an access token only; later, it revokes the session.
#include "session/session_service.h"

#include "audit/client_context.h"
#include "jwt/base64url.h"
#include "store/denylist_store.h"
#include "store/email.h"
#include "store/mfa_challenge_store.h"
#include "store/passkey_store.h"
#include "store/refresh_token_store.h"
#include "store/session_store.h"
#include "store/token_hash.h"
#include "store/totp_factor_store.h"
#include "throttle/counted_attempt.h"

#include <botan/system_rng.h>

#include <algorithm>

namespace latchkey::session {
namespace {

// 256 random bits, base64url: refresh tokens and mfaTokens. From the kernel's generator, as every
// other secret here: a fresh AutoSeeded_RNG per token seeded an HMAC_DRBG for 32 bytes.
std::string random_refresh_token() {
  const auto bytes = Botan::system_rng().random_vec(32);
  return jwt::base64url_encode(std::span<const uint8_t>(bytes.data(), bytes.size()));
}

constexpr int64_t kMfaChallengeSeconds = 300;  // CONTRACT §10: the mfaToken lives 5 minutes

}  // namespace

SessionService::SessionService(const config::AuthConfig& config, store::Database& db, const password::Hasher& hasher,
                               const keys::LiveKeys& keys, RevocationCache& revocations, throttle::Throttle& throttle,
                               WallClock clock)
    : config_(config),
      db_(db),
      hasher_(hasher),
      keys_(keys),
      revocations_(revocations),
      throttle_(throttle),
      clock_(std::move(clock)) {}

std::chrono::milliseconds SessionService::now_ms() const {
  return std::chrono::floor<std::chrono::milliseconds>(clock_().time_since_epoch());
}

int64_t SessionService::now_seconds() const { return std::chrono::floor<std::chrono::seconds>(now_ms()).count(); }

jwt::IssuedAccessToken SessionService::sign_access(const store::User& user, std::string_view session_id,
                                                   std::vector<std::string> amr, int64_t auth_time) const {
  const jwt::AccessTokenSubject subject{user.id, user.email, user.roles, std::string(session_id), std::move(amr),
                                        auth_time};
  const jwt::AccessTokenSettings settings{config_.tokens.issuer, config_.tokens.audience,
                                          std::chrono::seconds(config_.tokens.access_ttl_seconds)};
  return jwt::sign_access_token(keys_.current()->keys, subject, settings,
                                std::chrono::time_point_cast<std::chrono::seconds>(clock_()));
}

std::string SessionService::issue_refresh_token(std::string_view session_id, std::optional<std::string> parent_hash,
                                                int64_t session_expires_at, int64_t& expires_at) {
  const int64_t now = now_seconds();
  expires_at = std::min<int64_t>(now + config_.tokens.refresh_ttl_seconds, session_expires_at);
  std::string token = random_refresh_token();
  store::RefreshTokenStore(db_).insert(
      {store::hash_token(token), std::string(session_id), std::move(parent_hash), now, expires_at});
  return token;
}

SignIn SessionService::sign_in(const store::User& user, std::vector<std::string> amr, std::string_view event) {
  audit::Pending events;
  SignIn signed_in = sign_in(user, std::move(amr), event, events);
  audit::announce(audit_, events);
  return signed_in;
}

SignIn SessionService::sign_in(const store::User& user, std::vector<std::string> amr, std::string_view event,
                               audit::Pending& events) {
  // A user with a second factor gets a challenge: no session, no audit event yet; the sign-in
  // event is written when mfa/verify starts the session (MfaService::verify). Methods name only
  // what the user has: recovery codes come with TOTP.
  const UserMfa factors = user_mfa(user.id);
  if (!factors.totp && factors.passkeys == 0) {
    return {open_session(user, event, std::move(amr), events, factors), std::nullopt};
  }
  std::vector<std::string> methods;
  if (factors.totp) methods = {"totp", "recovery_code"};
  if (factors.passkeys > 0) methods.emplace_back("passkey");
  const int64_t now = now_seconds();
  std::string token = random_refresh_token();
  const std::string first_factor = amr.empty() ? "pwd" : amr.front();
  store::MfaChallengeStore challenges(db_);
  challenges.create({store::hash_token(token), user.id, first_factor, now, now + kMfaChallengeSeconds});
  challenges.purge_expired(now);
  return {std::nullopt, SecondFactorChallenge{std::move(token), std::move(methods)}};
}

std::optional<IssuedTokens> SessionService::step_up(const store::User& user, std::string_view session_id,
                                                    std::string_view factor) {
  return db_.transaction([&]() -> std::optional<IssuedTokens> {
    store::SessionStore sessions(db_);
    const int64_t now = now_seconds();
    const auto session = sessions.find(session_id);
    if (!session || session->user_id != user.id || session->revoked_at || session->expires_at <= now) return std::nullopt;
    std::vector<std::string> amr = session->amr;
    if (std::find(amr.begin(), amr.end(), factor) == amr.end()) amr.emplace_back(factor);
    if (!sessions.set_authentication(session_id, amr, now)) return std::nullopt;
    IssuedTokens tokens{user, session->id, sign_access(user, session->id, amr, now), std::nullopt, 0};
    tokens.mfa = user_mfa(user.id);
    return tokens;
  });
}

UserMfa SessionService::user_mfa(std::string_view user_id) {
  return {store::TotpFactorStore(db_).is_enabled(user_id), store::PasskeyStore(db_).count_for_user(user_id)};
}

IssuedTokens SessionService::start_session(const store::User& user, std::string_view event,
                                           std::vector<std::string> amr) {
  audit::Pending events;
  IssuedTokens issued = start_session(user, event, std::move(amr), events);
  audit::announce(audit_, events);
  return issued;
}

IssuedTokens SessionService::start_session(const store::User& user, std::string_view event,
                                           std::vector<std::string> amr, audit::Pending& events) {
  return open_session(user, event, std::move(amr), events, std::nullopt);
}

IssuedTokens SessionService::open_session(const store::User& user, std::string_view event, std::vector<std::string> amr,
                                          audit::Pending& events, std::optional<UserMfa> factors) {
  return db_.transaction([&] {
    const int64_t now = now_seconds();
    const audit::Client& client = audit::current_client();
    const store::Session session = store::SessionStore(db_).create(
        user.id, now, now + config_.tokens.session_max_seconds,
        store::SessionLogin{client.address, client.user_agent, amr, now});
    IssuedTokens tokens{user, session.id, sign_access(user, session.id, std::move(amr), now), std::nullopt, 0};
    tokens.mfa = factors ? *factors : user_mfa(user.id);
    tokens.refresh_token = issue_refresh_token(session.id, std::nullopt, session.expires_at, tokens.refresh_expires_at);
    audit::write(audit_, events, event, user.id, session.id);
    return tokens;
  });
}

LoginResult SessionService::login(std::string_view email, std::string_view password, std::string_view client_address) {
  const std::string account = store::normalise_email(email);
  // Counted before the hash, forgiven on success: guesses sent at once cannot all pass a check.
  if (auto wait = throttle_.count(account, client_address)) {
    audit::record(audit_, "login.rate_limited", {}, {}, audit::detail({{"retry_after_seconds", std::to_string(wait->count())}}));
    return {LoginOutcome::rate_limited, std::nullopt, std::nullopt, *wait};
  }
  throttle::CountedAttempt attempt(throttle_, account, client_address);
  const std::optional<store::User> user = store::UserStore(db_).find_by_email(account);
  // Unknown accounts (and accounts without a password) pay one hash too, so timing tells nothing.
  const bool matches = user && user->password_hash ? hasher_.verify(password, *user->password_hash)
                                                   : hasher_.verify_dummy(password);
  attempt.decided();
  if (!matches) {
    // The user when the account exists; never the address typed (it may be a password pasted there).
    audit::record(audit_, "login.failed", user ? user->id : "", {}, audit::detail({{"reason", "invalid_credentials"}}));
    return {LoginOutcome::invalid_credentials, std::nullopt, std::nullopt, {}};
  }
  throttle_.succeeded(account, client_address);
  // Only after a correct password may the answer tell more about the account.
  if (!user->active) {
    audit::record(audit_, "login.failed", user->id, {}, audit::detail({{"reason", "account_disabled"}}));
    return {LoginOutcome::account_disabled, std::nullopt, std::nullopt, {}};
  }
  if (!user->confirmed_at) {
    audit::record(audit_, "login.failed", user->id, {}, audit::detail({{"reason", "email_not_confirmed"}}));
    return {LoginOutcome::email_not_confirmed, std::nullopt, std::nullopt, {}};
  }
  if (hasher_.needs_rehash(*user->password_hash)) {
    store::UserStore(db_).set_password_hash(user->id, hasher_.hash(password));
  }
  SignIn signed_in = sign_in(*user, {"pwd"}, "login.succeeded");
  if (signed_in.second_factor) {
    return {LoginOutcome::mfa_required, std::nullopt, std::move(signed_in.second_factor), {}};
  }
  return {LoginOutcome::ok, std::move(signed_in.tokens), std::nullopt, {}};
}

RefreshResult SessionService::refresh(std::string_view refresh_token) {
  const std::string token_hash = store::hash_token(refresh_token);
  std::string revoked_session;
  audit::Pending events;
  RefreshResult result = db_.transaction([&]() -> RefreshResult {
    const std::chrono::milliseconds now_precise = now_ms();
    const int64_t now = std::chrono::floor<std::chrono::seconds>(now_precise).count();
    const store::ConsumeResult consumed = store::RefreshTokenStore(db_).consume(token_hash, now_precise);
    switch (consumed.outcome) {
      case store::ConsumeOutcome::consumed:
      case store::ConsumeOutcome::already_used:
        break;
      default:
        return {RefreshOutcome::invalid, std::nullopt};
    }
    const std::optional<store::User> user = store::UserStore(db_).find_by_id(consumed.user_id);
    if (!user || !user->active) return {RefreshOutcome::invalid, std::nullopt};
    // A refreshed access token says how the session authenticated, as its first one did.
    auto session_access = [&] {
      return sign_access(*user, consumed.session_id, store::split_amr(consumed.session_amr), consumed.session_auth_time);
    };

    if (consumed.outcome == store::ConsumeOutcome::already_used) {
      // No used_at means another transaction used it a moment ago (MySQL's snapshot cannot see when).
      // In milliseconds: counted in whole seconds, a 1 s window would let a token through at 1.9 s.
      const std::chrono::seconds grace(config_.tokens.refresh_reuse_grace_seconds);
      const bool within_grace = !consumed.used_at || now_precise - *consumed.used_at <= grace;
      if (!within_grace) {
        // A rotated token seen again after the grace window: assume theft, end the whole session.
        store::SessionStore(db_).revoke(consumed.session_id, now);
        revoked_session = consumed.session_id;
        audit::write(audit_, events, "refresh.reuse_detected", user->id, consumed.session_id);
        return {RefreshOutcome::reused, std::nullopt};
      }
      if (now >= consumed.session_expires_at) return {RefreshOutcome::invalid, std::nullopt};
      // Two tabs refreshed at once: the loser gets an access token for the same session, no fork.
      return {RefreshOutcome::grace,
              IssuedTokens{*user, consumed.session_id, session_access(), std::nullopt, 0, user_mfa(user->id)}};
    }
    IssuedTokens tokens{*user, consumed.session_id, session_access(), std::nullopt, 0, user_mfa(user->id)};
    tokens.refresh_token =
        issue_refresh_token(consumed.session_id, token_hash, consumed.session_expires_at, tokens.refresh_expires_at);
    store::SessionStore(db_).touch(consumed.session_id, now);
    return {RefreshOutcome::rotated, std::move(tokens)};
  });
  // Forgotten after the commit, so no other request can cache the state from before it.
  if (!revoked_session.empty()) revocations_.forget_session(revoked_session);
  audit::announce(audit_, events);
  return result;
}

void SessionService::logout(const std::optional<AccessTokenRef>& access, const std::optional<std::string>& refresh_token) {
  const std::chrono::milliseconds now_precise = now_ms();
  const int64_t now = std::chrono::floor<std::chrono::seconds>(now_precise).count();
  std::string refresh_session;
  audit::Pending events;
  db_.transaction([&] {
    store::SessionStore sessions(db_);
    bool ended = false;
    if (access) {
      store::DenylistStore(db_).add(access->jti, access->expires_at);
      ended = sessions.revoke(access->session_id, now);
    }
    std::string user_id = access ? access->user_id : "";
    if (refresh_token) {
      const store::ConsumeResult consumed =
          store::RefreshTokenStore(db_).consume(store::hash_token(*refresh_token), now_precise);
      if (consumed.outcome != store::ConsumeOutcome::unknown) {
        ended = sessions.revoke(consumed.session_id, now) || ended;
        if (user_id.empty()) user_id = consumed.user_id;
      }
      refresh_session = consumed.session_id;
    }
    // One event per logout that ended a session (a second logout of the same session is silent).
    if (ended) audit::write(audit_, events, "logout", user_id, access ? access->session_id : refresh_session);
  });
  audit::announce(audit_, events);
  // Forgotten after the commit, so no other request can cache the state from before it.
  if (access) revocations_.forget_session(access->session_id);
  if (!refresh_session.empty()) revocations_.forget_session(refresh_session);
  store::DenylistStore(db_).purge_expired(now);
}

void SessionService::logout_all(std::string_view user_id) {
  store::SessionStore sessions(db_);
  audit::Pending events;
  db_.transaction([&] {
    const int64_t ended = sessions.revoke_all_for_user(user_id, now_seconds());
    audit::write(audit_, events, "logout_all", user_id, {}, audit::detail({{"sessions", std::to_string(ended)}}));
  });
  audit::announce(audit_, events);
  for (const store::Session& session : sessions.list_for_user(user_id)) revocations_.forget_session(session.id);
}

std::optional<store::User> SessionService::find_user(std::string_view user_id) {
  return store::UserStore(db_).find_by_id(user_id);
}

}  // namespace latchkey::session
