// The auth plugin's exports: lk_plugin_magic, lk_plugin_check_config, lk_plugin_init. Init builds
// the whole PluginState (keys, database + migrations, hasher, services) before registering anything,
// so a plugin that cannot work refuses to load instead of serving errors.
#include "config/auth_config.h"
#include "config/key_loading.h"
#include "http/auth_filter.h"
#include "http/account_routes.h"
#include "http/auth_routes.h"
#include "http/client_script_route.h"
#include "http/google_route.h"
#include "http/magic_link_routes.h"
#include "http/mfa_routes.h"
#include "http/events_route.h"
#include "http/openapi_route.h"
#include "http/passkey_routes.h"
#include "http/plugin_state.h"
#include "http/session_routes.h"
#include "jwt/jwks.h"
#include "keys/database_keys.h"
#include "mail/templates.h"
#include "mail/transport.h"
#include "store/migrations.h"
#include "store/store_unavailable.h"

#include <latchkey/plugin.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <variant>

namespace latchkey::http {
namespace {

store::DatabaseOptions database_options(const config::DatabaseConfig& db) {
  store::DatabaseOptions options;
  options.pool_size = db.pool_size;
  options.query_timeout = std::chrono::milliseconds(db.query_timeout_ms);
  return options;
}

std::string_view view(lk_str s) { return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view(); }
lk_str to_lk(std::string_view s) { return lk_str{s.data(), s.size()}; }

void report(const lk_host_api* api, lk_host* host, std::string_view pointer, std::string_view reason) {
  api->report_config_error(host, to_lk(pointer), to_lk(reason));
}

std::optional<config::AuthConfig> read_config(const lk_host_api* api, lk_host* host, lk_str json) {
  lk_str dir{};
  api->config_dir(host, &dir);
  config::AuthConfigResult parsed = config::parse_auth_config(view(json), std::string(view(dir)));
  for (const config::ConfigError& error : parsed.errors) report(api, host, error.pointer, error.reason);
  if (parsed.config) {
    // Operator templates are read now, so a missing one is a config error, not a failed mail.
    auto templates = mail::Templates::load(parsed.config->email, parsed.config->config_dir);
    if (const std::string* error = std::get_if<std::string>(&templates)) {
      report(api, host, "/email/templates_dir", *error);
      return std::nullopt;
    }
  }
  return std::move(parsed.config);
}

// tokens.keys "database": the keys as they are now (start-up stops without an active key or when
// they do not decrypt), then a reload every key_refresh_seconds.
bool start_database_keys(PluginState& state) {
  const config::TokensConfig& tokens = state.config.tokens;
  auto encryption = keys::KeyEncryption::from_secret(tokens.key_encryption_key.value_or(""));
  if (!encryption) {  // parse_auth_config refuses this already
    report(state.api, state.host, "/tokens/key_encryption_key", "must be at least 32 bytes");
    return false;
  }
  auto loader = keys::database_key_loader(
      *state.db, std::move(*encryption),
      keys::retired_key_lifetime(tokens.access_ttl_seconds, tokens.leeway_seconds, tokens.key_refresh_seconds));
  keys::SnapshotResult first;
  try {
    first = loader();
  } catch (const std::exception& failure) {
    report(state.api, state.host, "/database/url", std::string("cannot read the signing keys: ") + failure.what());
    return false;
  }
  if (!first.snapshot) {
    const bool decryption = first.error == keys::SnapshotError::cannot_decrypt;
    report(state.api, state.host, decryption ? "/tokens/key_encryption_key" : "/tokens/keys", first.message);
    return false;
  }
  const PluginState* logger = &state;
  auto log = [logger](keys::LiveKeys::LogLevel level, std::string_view line) {
    logger->log(level == keys::LiveKeys::LogLevel::error ? LK_LOG_ERROR : LK_LOG_INFO, line);
  };
  state.keys = std::make_unique<keys::LiveKeys>(first.snapshot, std::move(loader), std::move(log));
  const jwt::Key* signing = first.snapshot->keys.signing_key();
  state.log(LK_LOG_INFO, "signing keys from the database: signing with " + signing->kid() + ", " +
                             std::to_string(first.snapshot->keys.keys().size()) + " keys verify, reloaded every " +
                             std::to_string(tokens.key_refresh_seconds) + " s");
  state.key_refresher =
      std::make_unique<keys::KeyRefresher>(*state.keys, std::chrono::seconds(tokens.key_refresh_seconds));
  return true;
}

// After an event's change committed: one JSON line in the host log and, on an ABI 1.2 host, an
// event for other plugins named like the audit event ("login.failed").
audit::Sink audit_sink(const PluginState& state) {
  const bool can_publish =
      state.api->struct_size >= offsetof(lk_host_api, publish_event) + sizeof state.api->publish_event;
  return [&state, can_publish](const audit::AuditEvent& event, const std::string& json) {
    state.log(LK_LOG_INFO, json);
    if (can_publish) {
      state.api->publish_event(state.host, lk_str{event.event.data(), event.event.size()},
                               lk_str{json.data(), json.size()});
    }
  };
}

std::unique_ptr<PluginState> build_state(const lk_host_api* api, lk_host* host, config::AuthConfig config) {
  auto state = std::make_unique<PluginState>();
  state->api = api;
  state->host = host;
  state->config = std::move(config);
  state->metrics = metrics::AuthMetrics(api, host);
  const config::AuthConfig& cfg = state->config;

  if (cfg.tokens.keys == "config") {
    jwt::KeySetResult keys = config::load_key_set(cfg);  // the same loader --check-config uses
    if (!keys.key_set) {
      report(api, host, "/tokens", keys.error);
      return nullptr;
    }
    state->keys = std::make_unique<keys::LiveKeys>(keys::make_snapshot(std::move(*keys.key_set)));
  }

  try {
    auto url = store::parse_database_url(cfg.database.url, cfg.config_dir);
    state->db = std::make_unique<store::Database>(std::move(*url.url), database_options(cfg.database));
    if (cfg.database.auto_migrate) {
      for (const std::string& applied : store::migrate(*state->db)) {
        state->log(LK_LOG_INFO, "applied migration " + applied);
      }
    }
  } catch (const std::exception& failure) {
    report(api, host, "/database/url", std::string("cannot use the database: ") + failure.what());
    return nullptr;
  }
  state->db_probe = std::make_unique<store::DatabaseProbe>(*state->db);
  if (cfg.audit.enabled) {
    state->audit = std::make_unique<audit::AuditLog>(*state->db, cfg.audit.retention_days, audit_sink(*state));
    try {
      state->audit->prune();
    } catch (const std::exception& failure) {  // not worth refusing to start over: pruned again within the hour
      state->log(LK_LOG_WARN, std::string("pruning the audit log failed: ") + failure.what());
    }
  }
  if (cfg.tokens.keys == "database" && !start_database_keys(*state)) return nullptr;

  const auto& pw = cfg.password;
  const unsigned max_hashes = pw.max_concurrent_hashes ? pw.max_concurrent_hashes : password::default_max_concurrent();
  // Constructing the hasher computes its dummy hash: the first estimate of a job's time in the queue.
  const auto hasher_started = std::chrono::steady_clock::now();
  state->hasher = std::make_unique<password::Hasher>(
      password::Parameters{pw.argon2_memory_kib, pw.argon2_iterations, pw.argon2_parallelism}, max_hashes);
  const auto one_hash = std::chrono::ceil<std::chrono::milliseconds>(std::chrono::steady_clock::now() - hasher_started);
  state->revocations = std::make_unique<session::RevocationCache>(
      *state->db, std::chrono::milliseconds(cfg.tokens.revocation_cache_ms),
      [metrics = &state->metrics](bool hit) { metrics->revocation_cache(hit); });
  const PluginState* throttle_logger = state.get();
  state->throttles = throttle::make_throttles(
      cfg, *state->db, [throttle_logger](std::string_view line) { throttle_logger->log(LK_LOG_WARN, line); });
  state->sessions = std::make_unique<session::SessionService>(cfg, *state->db, *state->hasher, *state->keys,
                                                              *state->revocations, *state->throttles.login);
  state->sessions->set_audit(state->audit.get());
  state->passkey_assertions = std::make_unique<webauthn::PasskeyAssertions>(*state->db);
  state->passkey_assertions->set_audit(state->audit.get());
  state->mfa = std::make_unique<mfa::MfaService>(cfg, *state->db, *state->hasher, *state->sessions,
                                                 *state->throttles.mfa);
  state->mfa->set_audit(state->audit.get());
  state->mfa->set_passkeys(state->passkey_assertions.get());
  state->passkeys = std::make_unique<webauthn::PasskeyService>(*state->db, *state->sessions, *state->passkey_assertions,
                                                               *state->throttles.passkey);
  state->passkeys->set_audit(state->audit.get());
  std::string origins;
  for (const std::string& origin : cfg.webauthn.origins) origins += (origins.empty() ? "" : " ") + origin;
  state->log(LK_LOG_INFO, "passkeys: RP id " + cfg.webauthn.rp_id.value_or("<the request's host name>") + ", origins " +
                              (origins.empty() ? "<the request's origin>" : origins));
  if (cfg.webauthn.rp_id && cfg.webauthn.origins.empty()) {
    // The request's origin is the host's listen address (or a trusted proxy's X-Forwarded-Host),
    // not the Host header: a page opened as http://localhost:8080 on a host listening on
    // 127.0.0.1:8080 would see every ceremony refused for its origin.
    state->log(LK_LOG_WARN, "passkeys: webauthn.rp_id is set but webauthn.origins is empty: a ceremony is accepted "
                            "only from the origin the host listens on (or a trusted proxy names), which must be on \"" +
                                *cfg.webauthn.rp_id + "\"; list the page's origin in webauthn.origins");
  }
  if (!mfa::totp_encryption_secret(cfg)) {
    state->log(LK_LOG_INFO, "TOTP cannot be set up: neither mfa.encryption_key nor tokens.key_encryption_key is set");
  }
  if (cfg.google.client_id) {
    const PluginState* google_logger = state.get();
    std::string google_error;
    state->google = google::GoogleVerifier::from_config(
        cfg, [google_logger](std::string_view line) { google_logger->log(LK_LOG_WARN, line); }, google_error);
    if (!state->google) {
      report(api, host, "/google/jwks", google_error);
      return nullptr;
    }
  }

  auto templates = mail::Templates::load(cfg.email, cfg.config_dir);
  if (const std::string* error = std::get_if<std::string>(&templates)) {
    report(api, host, "/email/templates_dir", *error);
    return nullptr;
  }
  state->templates.emplace(std::move(std::get<mail::Templates>(templates)));
  const PluginState* logger = state.get();
  auto log = [logger](std::string_view line) { logger->log(LK_LOG_INFO, line); };
  mail::SenderOptions mail_options;
  mail_options.attempted = [metrics = &state->metrics](bool sent) { metrics->mail(sent); };
  mail_options.pending = [metrics = &state->metrics](std::int64_t unsent) {
    metrics->mail_pending(static_cast<double>(unsent));
  };
  state->mail_sender = std::make_unique<mail::Sender>(*state->db, mail::make_transport(cfg.email, cfg.config_dir, log),
                                                      mail_options, log);
  mail::Sender* sender = state->mail_sender.get();
  // Argon2 on max_hashes idle-priority threads; the routes' jobs (their database work, then waiting
  // for their computation) on as many at normal priority, so a job that leaves the queue finds a
  // computation thread free: no answer comes later than the deadline plus one job. Admission and
  // the deadline are the queue's; the computations' own queue never refuses.
  state->hash_threads = std::make_unique<password::HashExecutor>(
      password::HashExecutorOptions{max_hashes, std::chrono::hours(1), one_hash, pw.hash_priority == "idle"});
  state->hasher->run_computations_with([threads = state->hash_threads.get(), metrics = &state->metrics](
                                           const std::function<void()>& work) {
    password::run_and_wait(*threads, [&] {
      const auto started = std::chrono::steady_clock::now();
      work();
      metrics->password_hash(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    });
  });
  state->hash_queue = std::make_unique<password::HashExecutor>(password::HashExecutorOptions{
      max_hashes, std::chrono::milliseconds(pw.max_queue_wait_ms), one_hash, false, one_hash / 2});
  state->log(LK_LOG_INFO, "password hashes: " + std::to_string(max_hashes) + " threads at " +
                              std::string(state->hash_threads->priority()) + ", queue wait at most " +
                              std::to_string(pw.max_queue_wait_ms) + " ms");
  state->accounts = std::make_unique<account::AccountService>(cfg, *state->db, *state->hasher, *state->templates,
                                                              *state->revocations, state->throttles,
                                                              [sender] { sender->wake(); });
  state->accounts->set_audit(state->audit.get());
  state->magic_links = std::make_unique<account::MagicLinkService>(
      cfg, *state->db, *state->templates, *state->throttles.magic_link, *state->sessions, [sender] { sender->wake(); });
  state->magic_links->set_audit(state->audit.get());
  return state;
}

// The host's readiness check (ABI 1.2): ready while the database answers within a second.
int32_t ready(void* user_data, char* reason, size_t reason_size) {
  const auto failure = static_cast<PluginState*>(user_data)->db_probe->check(std::chrono::milliseconds(1000));
  if (!failure) return LK_OK;
  std::snprintf(reason, reason_size, "%s", failure->c_str());
  return LK_ERR_INTERNAL;
}

void destroy(void* state) { std::unique_ptr<PluginState>(static_cast<PluginState*>(state)).reset(); }

}  // namespace
}  // namespace latchkey::http

extern "C" {

LK_PLUGIN_EXPORT const lk_plugin_info* lk_plugin_magic(void) {
  static const lk_plugin_info info = LK_PLUGIN_INFO("auth", "0.1.0");
  return &info;
}

LK_PLUGIN_EXPORT int32_t lk_plugin_check_config(const lk_host_api* api, lk_host* host, lk_str config) {
  try {
    return latchkey::http::read_config(api, host, config) ? LK_OK : LK_ERR_CONFIG;
  } catch (const std::exception& error) {
    latchkey::http::report(api, host, "", error.what());
    return LK_ERR_CONFIG;
  }
}

LK_PLUGIN_EXPORT int32_t lk_plugin_init(const lk_host_api* api, lk_host* host, lk_str config,
                                        lk_plugin_instance* out) {
  using namespace latchkey::http;
  try {
    auto parsed = read_config(api, host, config);
    if (!parsed) return LK_ERR_CONFIG;
    std::unique_ptr<PluginState> state = build_state(api, host, std::move(*parsed));
    if (!state) return LK_ERR_CONFIG;

    lk_filter filter{};
    filter.struct_size = sizeof filter;
    filter.stage = LK_STAGE_AUTHENTICATE;
    filter.name = to_lk("auth");
    filter.filter = authenticate;
    filter.user_data = state.get();
    if (int32_t status = api->register_filter(host, &filter); status != LK_OK) return status;
    if (int32_t status = register_auth_routes(*state); status != LK_OK) return status;
    if (int32_t status = register_google_routes(*state); status != LK_OK) return status;
    if (int32_t status = register_account_routes(*state); status != LK_OK) return status;
    if (int32_t status = register_mfa_routes(*state); status != LK_OK) return status;
    if (int32_t status = register_passkey_routes(*state); status != LK_OK) return status;
    if (int32_t status = register_magic_link_routes(*state); status != LK_OK) return status;
    if (int32_t status = register_client_script_route(*state); status != LK_OK) return status;
    if (int32_t status = register_openapi_route(*state); status != LK_OK) return status;
    if (int32_t status = register_events_route(*state); status != LK_OK) return status;
    if (int32_t status = register_session_routes(*state); status != LK_OK) return status;
    // A host older than ABI 1.2 has no readiness path to report to.
    if (api->struct_size >= offsetof(lk_host_api, register_readiness) + sizeof api->register_readiness) {
      if (int32_t status = api->register_readiness(host, ready, state.get()); status != LK_OK) return status;
    }

    out->state = state.release();
    out->destroy = destroy;
    return LK_OK;
  } catch (const std::exception& error) {
    report(api, host, "", std::string("init failed: ") + error.what());
    return LK_ERR_INTERNAL;
  }
}

}  // extern "C"
