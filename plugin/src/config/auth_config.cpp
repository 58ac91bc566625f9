// Parses the auth config section by section; the checks here are the ones --check-config reports.
#include "config/auth_config.h"

#include "jwt/algorithm.h"
#include "config/key_loading.h"
#include "jwt/json_strict.h"
#include "password/encoding.h"
#include "password/parameters.h"
#include "password/policy.h"
#include "store/database_url.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace latchkey::config {
namespace {

bool is_path_prefix(const std::string& prefix) {
  return !prefix.empty() && prefix.front() == '/' && (prefix.size() == 1 || prefix.back() != '/') &&
         prefix.find("//") == std::string::npos && prefix.find_first_of("?#: ") == std::string::npos;
}

void read_database(JsonReader reader, DatabaseConfig& db, const std::string& config_dir) {
  reader.read("url", db.url);
  reader.read("pool_size", db.pool_size, 1, 256);
  reader.read("auto_migrate", db.auto_migrate);
  reader.read("query_timeout_ms", db.query_timeout_ms, 500, 600000);
  const auto parsed = store::parse_database_url(db.url, config_dir);
  if (!parsed.url) reader.error("url", parsed.error);
}

void read_routes(JsonReader reader, RoutesConfig& routes) {
  reader.read("prefix", routes.prefix);
  reader.read("me_alias", routes.me_alias);
  reader.read("unauthorized_status", routes.unauthorized_status, 400, 499);
  if (!is_path_prefix(routes.prefix) || routes.prefix == "/")
    reader.error("prefix", "must be a path like /api/auth (no trailing slash)");
  if (!routes.me_alias.empty() && !is_path_prefix(routes.me_alias))
    reader.error("me_alias", "must be a path like /api/me, or \"\" for none");
}

void read_verify_keys(JsonReader& reader, TokensConfig& tokens) {
  const std::string base = reader.pointer_to("verify_keys");
  size_t index = 0;
  for (const rapidjson::Value* item : reader.array("verify_keys")) {
    VerifyKeyConfig key;
    JsonReader entry(item, base + "/" + std::to_string(index++), reader.errors());
    entry.read("kid", key.kid);
    entry.read("file", key.file);
    entry.read("secret", key.secret);
    if (key.file.has_value() == key.secret.has_value()) entry.error("file", "give exactly one of file or secret");
    else if (key.secret && key.kid.empty()) entry.error("kid", "a secret verify key needs its kid");
    tokens.verify_keys.push_back(std::move(key));
  }
}

// Loads every key exactly as init will (key_loading.h), reporting each failure where it was
// configured, and a kid used twice (e.g. the signing PEM listed again as a verify key).
void check_keys(JsonReader& reader, const AuthConfig& config) {
  const TokensConfig& tokens = config.tokens;
  std::set<std::string> kids;
  const auto algorithm = jwt::parse_algorithm(tokens.algorithm);
  if (!algorithm) {
    reader.error("algorithm", "must be HS256, EdDSA or ES256 (\"" + tokens.algorithm + "\" is not allowed)");
  } else {
    const char* where = *algorithm == jwt::Algorithm::HS256 ? "secret" : "private_key_file";
    const jwt::KeyResult signing = load_signing_key(config);
    if (!signing.key) reader.error(where, signing.error);
    else if (signing.key->algorithm() != *algorithm) reader.error(where, "the key is not a " + tokens.algorithm + " key");
    else kids.insert(signing.key->kid());
  }
  for (size_t i = 0; i < tokens.verify_keys.size(); ++i) {
    const VerifyKeyConfig& entry = tokens.verify_keys[i];
    if (entry.file.has_value() == entry.secret.has_value()) continue;  // reported already
    const std::string pointer = reader.pointer_to("verify_keys") + "/" + std::to_string(i) + "/";
    const jwt::KeyResult key = load_verify_key(config, entry);
    if (!key.key) {
      reader.errors().push_back({pointer + (entry.secret ? "secret" : "file"), key.error});
    } else if (!kids.insert(key.key->kid()).second) {
      reader.errors().push_back({pointer + (entry.kid.empty() ? "file" : "kid"),
                                 "the kid " + key.key->kid() + " is already used by another key"});
    }
  }
}

// tokens.keys and what goes with it; true when the keys come from the config (check_keys applies).
bool check_key_source(JsonReader& reader, const TokensConfig& tokens) {
  if (tokens.keys == "config") {
    if (tokens.key_encryption_key) reader.error("key_encryption_key", "is used only with tokens.keys \"database\"");
    return true;
  }
  if (tokens.keys != "database") {
    reader.error("keys", "must be config or database");
    return false;
  }
  if (!tokens.key_encryption_key) {
    reader.error("key_encryption_key", "tokens.keys \"database\" needs a key_encryption_key of at least 32 bytes, "
                                       "from the environment (\"${LATCHKEY_KEY_ENCRYPTION_KEY}\")");
  } else if (tokens.key_encryption_key->size() < 32) {
    reader.error("key_encryption_key", "is " + std::to_string(tokens.key_encryption_key->size()) +
                                           " bytes; at least 32 bytes are required");
  }
  // Unused here (each stored key has its own), but still one of ours: "none" is never accepted.
  if (!jwt::parse_algorithm(tokens.algorithm)) reader.error("algorithm", "must be HS256, EdDSA or ES256");
  const char* unused = "is not used with tokens.keys \"database\" (the signing keys live in the database)";
  if (tokens.secret) reader.error("secret", unused);
  if (tokens.private_key_file) reader.error("private_key_file", unused);
  if (!tokens.verify_keys.empty()) reader.error("verify_keys", unused);
  return false;
}

void read_tokens(JsonReader reader, AuthConfig& config) {
  TokensConfig& tokens = config.tokens;
  reader.read("issuer", tokens.issuer);
  reader.read("audience", tokens.audience);
  reader.read("algorithm", tokens.algorithm);
  reader.read("secret", tokens.secret);
  reader.read("private_key_file", tokens.private_key_file);
  reader.read("access_ttl_seconds", tokens.access_ttl_seconds, 10, 86400);
  reader.read("refresh_ttl_seconds", tokens.refresh_ttl_seconds, 60, 31536000);
  reader.read("session_max_seconds", tokens.session_max_seconds, 60, 31536000);
  reader.read("refresh_reuse_grace_seconds", tokens.refresh_reuse_grace_seconds, 0, 300);
  reader.read("leeway_seconds", tokens.leeway_seconds, 0, 300);
  reader.read("revocation_cache_ms", tokens.revocation_cache_ms, 0, 60000);
  reader.read("refresh_in_body", tokens.refresh_in_body);
  reader.read("keys", tokens.keys);
  reader.read("key_encryption_key", tokens.key_encryption_key);
  reader.read("key_refresh_seconds", tokens.key_refresh_seconds, 1, 3600);
  read_verify_keys(reader, tokens);
  if (tokens.issuer.empty()) reader.error("issuer", "must not be empty");
  if (tokens.audience.empty()) reader.error("audience", "must not be empty");
  if (check_key_source(reader, tokens)) check_keys(reader, config);
}

void read_cookies(JsonReader reader, CookiesConfig& cookies) {
  reader.read("access_name", cookies.access_name);
  reader.read("refresh_name", cookies.refresh_name);
  reader.read("secure", cookies.secure);
  reader.read("same_site", cookies.same_site);
  reader.read("domain", cookies.domain);
  auto is_token = [](const std::string& name) {
    return !name.empty() && name.find_first_of("()<>@,;:\\\"/[]?={} \t") == std::string::npos;
  };
  if (!is_token(cookies.access_name)) reader.error("access_name", "must be a cookie name");
  if (!is_token(cookies.refresh_name) || cookies.refresh_name == cookies.access_name)
    reader.error("refresh_name", "must be a cookie name other than access_name");
  if (cookies.same_site != "Strict" && cookies.same_site != "Lax" && cookies.same_site != "None")
    reader.error("same_site", "must be Strict, Lax or None");
  if (cookies.same_site == "None" && !cookies.secure) reader.error("same_site", "None needs secure: true");
}

void read_password(JsonReader reader, PasswordConfig& password) {
  reader.read("min_length", password.min_length, 1, 1024);
  reader.read("max_length", password.max_length, 64, 4096);
  reader.read("encoding", password.encoding);
  reader.read("argon2_memory_kib", password.argon2_memory_kib, 8, 4u << 20);
  reader.read("argon2_iterations", password.argon2_iterations, 1, 1024);
  reader.read("argon2_parallelism", password.argon2_parallelism, 1, 255);
  reader.read("max_concurrent_hashes", password.max_concurrent_hashes, 0, 256);
  reader.read("max_queue_wait_ms", password.max_queue_wait_ms, 1, 60000);
  reader.read("hash_priority", password.hash_priority);
  if (password.hash_priority != "idle" && password.hash_priority != "normal")
    reader.error("hash_priority", "must be idle or normal");
  if (!password::parse_encoding(password.encoding)) reader.error("encoding", "must be plain or base64");
  if (password.min_length > password.max_length) reader.error("min_length", "must not exceed max_length");
  const password::Parameters parameters{password.argon2_memory_kib, password.argon2_iterations,
                                        password.argon2_parallelism};
  if (!password::is_supported(parameters)) reader.error("argon2_memory_kib", "must be at least 8 × parallelism");
}

void read_login_throttle(JsonReader reader, LoginThrottleConfig& throttle, const DatabaseConfig& db,
                         const std::string& config_dir) {
  reader.read("window_seconds", throttle.window_seconds, 1, 86400);
  reader.read("max_failures_per_account", throttle.max_failures_per_account, 1, 100000);
  reader.read("max_failures_per_address", throttle.max_failures_per_address, 1, 1000000);
  std::optional<std::string> scope;
  reader.read("scope", scope);
  if (!scope) {
    // Several hosts share a PostgreSQL or MySQL database; a SQLite file usually has one host.
    const auto parsed = store::parse_database_url(db.url, config_dir);
    const bool sqlite = !parsed.url || parsed.url->backend == store::Backend::sqlite;
    throttle.scope = sqlite ? ThrottleScope::host : ThrottleScope::database;
  } else if (*scope == "host") {
    throttle.scope = ThrottleScope::host;
  } else if (*scope == "database") {
    throttle.scope = ThrottleScope::database;
  } else {
    reader.error("scope", "must be database or host (\"" + *scope + "\" is not allowed)");
  }
}

void read_email(JsonReader reader, EmailConfig& email) {
  reader.read("transport", email.transport);
  reader.read("file_dir", email.file_dir);
  reader.read("smtp_url", email.smtp_url);
  reader.read("smtp_username", email.smtp_username);
  reader.read("smtp_password", email.smtp_password);
  reader.read("from", email.from);
  reader.read("confirm_url", email.confirm_url);
  reader.read("reset_url", email.reset_url);
  reader.read("magic_link_url", email.magic_link_url);
  reader.read("confirm_redirect", email.confirm_redirect);
  reader.read("templates_dir", email.templates_dir);
  reader.read("confirm_token_ttl_seconds", email.confirm_token_ttl_seconds, 60, 2592000);
  reader.read("reset_token_ttl_seconds", email.reset_token_ttl_seconds, 60, 604800);
  reader.read("magic_link_ttl_seconds", email.magic_link_ttl_seconds, 60, 86400);
  reader.read("smtp_timeout_seconds", email.smtp_timeout_seconds, 1, 300);
  reader.read("resend_interval_seconds", email.resend_interval_seconds, 0, 86400);
  if (email.confirm_url.find("{token}") == std::string::npos) reader.error("confirm_url", "must contain {token}");
  if (email.reset_url.find("{token}") == std::string::npos) reader.error("reset_url", "must contain {token}");
  if (email.magic_link_url.find("{token}") == std::string::npos) reader.error("magic_link_url", "must contain {token}");
  if (email.transport != "file" && email.transport != "log" && email.transport != "smtp")
    reader.error("transport", "must be file, log or smtp");
}

void read_google(JsonReader reader, GoogleConfig& google) {
  reader.read("client_id", google.client_id);
  reader.read("jwks", google.jwks);
  if (google.client_id && google.client_id->empty()) {
    reader.error("client_id", "must not be empty (null turns Google sign-in off)");
  }
  if (google.client_id && !is_allowed_jwks_location(google.jwks)) {
    reader.error("jwks", "must be an https:// URL (http:// only on a loopback host) or a file path");
  }
}

void read_mfa(JsonReader reader, AuthConfig& config) {
  MfaConfig& mfa = config.mfa;
  reader.read("encryption_key", mfa.encryption_key);
  reader.read("issuer", mfa.issuer);
  if (mfa.issuer.empty()) reader.error("issuer", "must not be empty");
  if (!mfa.encryption_key) return;
  if (config.tokens.key_encryption_key) {
    reader.error("encryption_key", "is not used: TOTP secrets are encrypted under tokens.key_encryption_key");
  } else if (mfa.encryption_key->size() < 32) {
    reader.error("encryption_key", "is " + std::to_string(mfa.encryption_key->size()) +
                                       " bytes; at least 32 bytes are required");
  }
}

// An origin as browsers write it: scheme://host[:port], nothing after.
bool is_web_origin(std::string_view origin) {
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const std::string_view scheme = origin.substr(0, scheme_end);
  const std::string_view rest = origin.substr(scheme_end + 3);
  if (scheme != "https" && scheme != "http") return false;
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) return false;
  // Browsers send origins in lower case: an upper-case one would never match.
  return std::none_of(rest.begin(), rest.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The origin's host is the RP id or one of its subdomains, as browsers require of rp.id (WebAuthn
// §5.1.3 "registrable domain suffix"): otherwise every ceremony from that origin fails.
bool origin_within_rp_id(std::string_view origin, std::string_view rp_id) {
  std::string_view host = origin.substr(origin.find("://") + 3);
  host = host.substr(0, host.front() == '[' ? host.find(']') + 1 : host.find(':'));
  return host == rp_id || (host.size() > rp_id.size() && host.ends_with(rp_id) &&
                           host[host.size() - rp_id.size() - 1] == '.');
}

// A registrable host name: lower-case letters, digits, '-' and '.', no port, not an IP address
// (browsers refuse WebAuthn on those).
bool is_rp_id(std::string_view id) {
  if (id.empty() || id.size() > 253 || id.front() == '.' || id.back() == '.') return false;
  bool has_letter = false;
  for (const char c : id) {
    const bool letter = c >= 'a' && c <= 'z';
    if (!letter && !(c >= '0' && c <= '9') && c != '-' && c != '.') return false;
    has_letter = has_letter || letter;
  }
  return has_letter;
}

void read_webauthn(JsonReader reader, WebAuthnConfig& webauthn) {
  reader.read("rp_id", webauthn.rp_id);
  reader.read("rp_name", webauthn.rp_name);
  reader.read("origins", webauthn.origins);
  if (webauthn.rp_id && !is_rp_id(*webauthn.rp_id)) {
    reader.error("rp_id", "must be a lower-case host name such as \"localhost\" or \"example.com\" (not an IP address)");
  }
  if (webauthn.rp_name.empty()) reader.error("rp_name", "must not be empty");
  for (const std::string& origin : webauthn.origins) {
    if (!is_web_origin(origin)) {
      reader.error("origins", "\"" + origin + "\" is not an origin like https://example.com or http://localhost:8080");
    } else if (webauthn.rp_id && is_rp_id(*webauthn.rp_id) && !origin_within_rp_id(origin, *webauthn.rp_id)) {
      reader.error("origins", "\"" + origin + "\" is not on rp_id \"" + *webauthn.rp_id + "\" or a subdomain of it");
    }
  }
}

void read_protect(JsonReader& root, std::vector<ProtectRule>& rules) {
  size_t index = 0;
  for (const rapidjson::Value* item : root.array("protect")) {
    ProtectRule rule;
    JsonReader entry(item, "/protect/" + std::to_string(index++), root.errors());
    entry.read("prefix", rule.prefix);
    entry.read("roles", rule.roles);
    entry.read("mfa", rule.mfa);
    if (!is_path_prefix(rule.prefix)) entry.error("prefix", "must be a path like /api/notes");
    rules.push_back(std::move(rule));
  }
}

}  // namespace

bool is_allowed_jwks_location(std::string_view location) {
  if (location.substr(0, 8) == "https://") return true;
  for (const std::string_view host : {"http://127.0.0.1", "http://[::1]", "http://localhost"}) {
    if (location.substr(0, host.size()) == host &&
        (location.size() == host.size() || location[host.size()] == ':' || location[host.size()] == '/')) {
      return true;
    }
  }
  return location.find("://") == std::string_view::npos;  // a file path
}

std::string AuthConfig::resolve(const std::string& path) const {
  const std::filesystem::path p(path);
  return (p.is_absolute() ? p : std::filesystem::path(config_dir) / p).lexically_normal().string();
}

AuthConfigResult parse_auth_config(std::string_view json, const std::string& config_dir) {
  AuthConfigResult result;
  // Strict: a name given twice (one parser takes the first, another the last) is an error.
  std::optional<rapidjson::Document> parsed = jwt::parse_json_object(json, 16);
  if (!parsed) {
    result.errors.push_back({"", "must be one JSON object, without duplicate member names"});
    return result;
  }
  rapidjson::Document& document = *parsed;
  AuthConfig config;
  config.config_dir = config_dir;
  {
    JsonReader root(&document, "", result.errors);
    read_database(root.object("database"), config.database, config_dir);
    read_routes(root.object("routes"), config.routes);
    read_tokens(root.object("tokens"), config);
    read_cookies(root.object("cookies"), config.cookies);
    read_password(root.object("password"), config.password);
    read_login_throttle(root.object("login_throttle"), config.login_throttle, config.database, config_dir);
    read_email(root.object("email"), config.email);
    read_google(root.object("google"), config.google);
    JsonReader audit = root.object("audit");
    audit.read("enabled", config.audit.enabled);
    audit.read("retention_days", config.audit.retention_days, 1, 36500);
    read_mfa(root.object("mfa"), config);
    read_webauthn(root.object("webauthn"), config.webauthn);
    read_protect(root, config.protect);
    JsonReader csrf = root.object("csrf");
    csrf.read("allowed_origins", config.csrf_allowed_origins);
  }
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

}  // namespace latchkey::config
