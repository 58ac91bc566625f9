// The auth plugin's config (CONTRACT §4): every key with its default, read and checked in one place.
#pragma once

#include "config/json_reader.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::config {

struct DatabaseConfig {
  std::string url = "sqlite3://data/auth.db";
  uint32_t pool_size = 4;
  bool auto_migrate = true;
  uint32_t query_timeout_ms = 10000;  // a server that hangs (does not answer) fails a call after this
};

struct RoutesConfig {
  std::string prefix = "/api/auth";
  std::string me_alias = "/api/me";  // "" turns the alias off
  uint32_t unauthorized_status = 401;
};

// An extra verification key, so keys rotate without logging everyone out.
struct VerifyKeyConfig {
  std::string kid;                    // required for secrets; derived from a PEM when empty
  std::optional<std::string> file;    // a public (or private) PEM, relative to the config folder
  std::optional<std::string> secret;  // an old HS256 secret
};

struct TokensConfig {
  std::string issuer = "latchkey";
  std::string audience = "latchkey";
  std::string algorithm = "HS256";
  std::optional<std::string> secret;
  std::optional<std::string> private_key_file;
  std::vector<VerifyKeyConfig> verify_keys;
  uint32_t access_ttl_seconds = 900;
  uint32_t refresh_ttl_seconds = 604800;   // a refresh token unused this long is dead (idle expiry)
  uint32_t session_max_seconds = 2592000;  // no session outlives this since its login (absolute)
  uint32_t refresh_reuse_grace_seconds = 10;
  uint32_t leeway_seconds = 30;
  uint32_t revocation_cache_ms = 1000;  // how stale revocation and disabled-user checks may be
  bool refresh_in_body = false;
  // "config": the keys above; "database": the signing_keys table (plugin/src/keys/), whose private
  // parts are encrypted under key_encryption_key and reloaded every key_refresh_seconds.
  std::string keys = "config";
  std::optional<std::string> key_encryption_key;
  uint32_t key_refresh_seconds = 30;
};

struct CookiesConfig {
  std::string access_name = "accessToken";
  std::string refresh_name = "refreshToken";
  bool secure = true;
  std::string same_site = "Strict";
  std::optional<std::string> domain;
};

struct PasswordConfig {
  uint32_t min_length = 8;
  uint32_t max_length = 256;
  std::string encoding = "plain";
  uint32_t argon2_memory_kib = 19456;
  uint32_t argon2_iterations = 2;
  uint32_t argon2_parallelism = 1;
  uint32_t max_concurrent_hashes = 0;  // 0: the number of cores
  uint32_t max_queue_wait_ms = 2000;   // a hash waiting longer for a thread is answered 503
  std::string hash_priority = "idle";  // "idle": Argon2 yields to every other thread; "normal": shares fairly
};

// Where limits are counted: in this host's memory, or in the database every host shares.
enum class ThrottleScope { host, database };

struct LoginThrottleConfig {
  uint32_t window_seconds = 900;
  uint32_t max_failures_per_account = 20;  // ASVS 2.2.1 allows at most 100 an hour
  uint32_t max_failures_per_address = 100;
  ThrottleScope scope = ThrottleScope::host;  // when not given: host on SQLite, database otherwise
};

struct EmailConfig {
  std::string transport = "file";
  std::string file_dir = "data/mail";
  std::string smtp_url = "smtp://127.0.0.1:2525";
  std::optional<std::string> smtp_username;
  std::optional<std::string> smtp_password;
  std::string from = "Latchkey <no-reply@localhost>";
  std::string confirm_url = "http://127.0.0.1:8080/confirm.html?token={token}";
  std::string reset_url = "http://127.0.0.1:8080/reset.html?token={token}";
  std::string magic_link_url = "http://127.0.0.1:8080/magic.html?token={token}";  // the sign-in link's page
  std::optional<std::string> confirm_redirect;
  std::optional<std::string> templates_dir;  // replaces built-in templates by name (see docs/AUTH.md)
  uint32_t confirm_token_ttl_seconds = 86400;
  uint32_t reset_token_ttl_seconds = 3600;
  uint32_t magic_link_ttl_seconds = 900;
  uint32_t smtp_timeout_seconds = 10;
  uint32_t resend_interval_seconds = 60;  // at most one confirmation mail per address this often
};

struct GoogleConfig {
  std::optional<std::string> client_id;
  std::string jwks = "https://www.googleapis.com/oauth2/v3/certs";
};

// Where Google's keys may come from: an https:// URL, http:// only on a loopback host (tests), or a
// file path (no scheme). Checked when the config is read, so --check-config refuses what init would.
bool is_allowed_jwks_location(std::string_view location);

struct AuditConfig {
  bool enabled = true;           // false: no events are written, logged or published
  uint32_t retention_days = 90;  // auth_events older than this are pruned (at most hourly)
};

// Second factors (CONTRACT §10). TOTP secrets are encrypted under tokens.key_encryption_key when
// it is set, else under encryption_key; without either, TOTP cannot be set up.
struct MfaConfig {
  std::optional<std::string> encryption_key;  // at least 32 bytes, from the environment
  std::string issuer = "Latchkey";            // what authenticator apps show the codes under
};

// Passkeys (CONTRACT §10). Unset, the relying party is the host the request came to: rp_id its
// host name, origins its origin (request_local_origin, so also behind a trusted proxy).
struct WebAuthnConfig {
  std::optional<std::string> rp_id;  // a host name, e.g. "localhost" or "example.com"
  std::string rp_name = "Latchkey";   // what the browser shows when a passkey is made
  std::vector<std::string> origins;   // e.g. "http://localhost:8080"; empty: the request's origin
};

struct ProtectRule {
  std::string prefix;
  std::vector<std::string> roles;
  bool mfa = false;  // true: the access token's amr must name a second factor ("otp", "hwk")
};

struct AuthConfig {
  std::string config_dir;  // the host config's folder: relative paths resolve against it
  DatabaseConfig database;
  RoutesConfig routes;
  TokensConfig tokens;
  CookiesConfig cookies;
  PasswordConfig password;
  LoginThrottleConfig login_throttle;
  EmailConfig email;
  GoogleConfig google;
  AuditConfig audit;
  MfaConfig mfa;
  WebAuthnConfig webauthn;
  std::vector<ProtectRule> protect;
  std::vector<std::string> csrf_allowed_origins;

  // A path from the config, resolved against config_dir.
  std::string resolve(const std::string& path) const;
};

struct AuthConfigResult {
  std::optional<AuthConfig> config;  // set when errors is empty
  std::vector<ConfigError> errors;
};

// Parses and checks the plugin's config JSON (already ${NAME}-substituted by the host). Key files
// are checked to exist and load; nothing is written and no connection is made.
AuthConfigResult parse_auth_config(std::string_view json, const std::string& config_dir);

}  // namespace latchkey::config
