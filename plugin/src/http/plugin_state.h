// Everything the auth plugin holds while loaded, built once in init and shared by its callbacks.
#pragma once

#include "account/account_service.h"
#include "account/magic_link_service.h"
#include "audit/audit_log.h"
#include "config/auth_config.h"
#include "google/google_verifier.h"
#include "jwt/key_set.h"
#include "jwt/verified_token_cache.h"
#include "keys/key_refresher.h"
#include "keys/live_keys.h"
#include "mail/sender.h"
#include "mail/templates.h"
#include "metrics/auth_metrics.h"
#include "mfa/mfa_service.h"
#include "password/hash_executor.h"
#include "password/hasher.h"
#include "session/revocation_cache.h"
#include "session/session_service.h"
#include "store/database.h"
#include "store/database_probe.h"
#include "throttle/throttles.h"
#include "webauthn/passkey_assertions.h"
#include "webauthn/passkey_service.h"

#include <latchkey/plugin.h>

#include <memory>
#include <string>

namespace latchkey::http {

struct PluginState {
  const lk_host_api* api = nullptr;
  lk_host* host = nullptr;
  config::AuthConfig config;
  metrics::AuthMetrics metrics;  // the host's /metrics (ABI 1.2); counts nothing on an older host
  // The keys tokens are signed and verified with, and their JWKS: fixed (tokens.keys "config") or
  // reloaded from the database. Read keys->current() once per use: a reload swaps it whole.
  std::unique_ptr<latchkey::keys::LiveKeys> keys;
  // Tokens that verified, until they expire (only keys from this config can have signed them).
  mutable jwt::VerifiedTokenCache verified_tokens;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::DatabaseProbe> db_probe;  // the readiness check; after db: stopped first
  // Security events: rows of auth_events, then the JSON log line and the ABI event (CONTRACT §9).
  std::unique_ptr<audit::AuditLog> audit;
  // tokens.keys "database": reloads `keys`. Declared after db: its thread stops before db closes.
  std::unique_ptr<latchkey::keys::KeyRefresher> key_refresher;
  std::unique_ptr<password::Hasher> hasher;
  std::unique_ptr<session::RevocationCache> revocations;
  throttle::Throttles throttles;  // login, mail-request and nonce limits (login_throttle.scope)
  std::unique_ptr<session::SessionService> sessions;
  // Passkey assertions checked for a sign-in and for the second factor alike (before mfa: it uses them).
  std::unique_ptr<webauthn::PasskeyAssertions> passkey_assertions;
  std::unique_ptr<mfa::MfaService> mfa;  // TOTP, recovery codes, passkeys as a second factor, step-up
  std::unique_ptr<webauthn::PasskeyService> passkeys;  // options, registration, sign-in, list, removal
  std::unique_ptr<google::GoogleVerifier> google;  // null while google.client_id is unset
  // Declared after db: destroyed first, so the sender thread stops before the database closes.
  std::optional<mail::Templates> templates;
  std::unique_ptr<mail::Sender> mail_sender;
  std::unique_ptr<account::AccountService> accounts;
  std::unique_ptr<account::MagicLinkService> magic_links;  // sign-in links by mail (CONTRACT §10)
  // The Argon2 computations: password.max_concurrent_hashes threads at idle priority (the memory
  // bound), fed by the hasher.
  std::unique_ptr<password::HashExecutor> hash_threads;
  // The routes that hash a password (http/hash_queue_route.h) wait here, with a deadline, and run
  // on these threads at normal priority: their database work never waits behind an idle thread.
  // Declared last: destroyed first, so no route job outlives what it calls.
  std::unique_ptr<password::HashExecutor> hash_queue;

  void log(int32_t level, std::string_view message) const {
    api->log(host, level, lk_str{message.data(), message.size()});
  }
};

}  // namespace latchkey::http
