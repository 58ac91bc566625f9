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
#include "http/openapi_route.h"
#include "http/plugin_state.h"
#include "jwt/jwks.h"
#include "mail/templates.h"
#include "mail/transport.h"
#include "store/migrations.h"
#include "store/store_unavailable.h"

#include <latchkey/plugin.h>

#include <chrono>
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

std::unique_ptr<PluginState> build_state(const lk_host_api* api, lk_host* host, config::AuthConfig config) {
  auto state = std::make_unique<PluginState>();
  state->api = api;
  state->host = host;
  state->config = std::move(config);
  const config::AuthConfig& cfg = state->config;

  jwt::KeySetResult keys = config::load_key_set(cfg);  // the same loader --check-config uses
  if (!keys.key_set) {
    report(api, host, "/tokens", keys.error);
    return nullptr;
  }
  state->keys = std::move(keys.key_set);
  state->jwks_json = jwt::jwks_json(*state->keys);

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

  const auto& pw = cfg.password;
  const unsigned max_hashes = pw.max_concurrent_hashes ? pw.max_concurrent_hashes : password::default_max_concurrent();
  // Constructing the hasher computes its dummy hash: the first estimate of a job's time in the queue.
  const auto hasher_started = std::chrono::steady_clock::now();
  state->hasher = std::make_unique<password::Hasher>(
      password::Parameters{pw.argon2_memory_kib, pw.argon2_iterations, pw.argon2_parallelism}, max_hashes);
  const auto one_hash = std::chrono::ceil<std::chrono::milliseconds>(std::chrono::steady_clock::now() - hasher_started);
  state->revocations = std::make_unique<session::RevocationCache>(
      *state->db, std::chrono::milliseconds(cfg.tokens.revocation_cache_ms));
  const PluginState* throttle_logger = state.get();
  state->throttles = throttle::make_throttles(
      cfg, *state->db, [throttle_logger](std::string_view line) { throttle_logger->log(LK_LOG_WARN, line); });
  state->sessions = std::make_unique<session::SessionService>(cfg, *state->db, *state->hasher, *state->keys,
                                                              *state->revocations, *state->throttles.login);
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
  state->mail_sender = std::make_unique<mail::Sender>(*state->db, mail::make_transport(cfg.email, cfg.config_dir, log),
                                                      mail::SenderOptions{}, log);
  mail::Sender* sender = state->mail_sender.get();
  // Argon2 on max_hashes idle-priority threads; the routes' jobs (their database work, then waiting
  // for their computation) on as many at normal priority, so a job that leaves the queue finds a
  // computation thread free: no answer comes later than the deadline plus one job. Admission and
  // the deadline are the queue's; the computations' own queue never refuses.
  state->hash_threads = std::make_unique<password::HashExecutor>(
      password::HashExecutorOptions{max_hashes, std::chrono::hours(1), one_hash, pw.hash_priority == "idle"});
  state->hasher->run_computations_with(
      [threads = state->hash_threads.get()](const std::function<void()>& work) { password::run_and_wait(*threads, work); });
  state->hash_queue = std::make_unique<password::HashExecutor>(password::HashExecutorOptions{
      max_hashes, std::chrono::milliseconds(pw.max_queue_wait_ms), one_hash, false, one_hash / 2});
  state->log(LK_LOG_INFO, "password hashes: " + std::to_string(max_hashes) + " threads at " +
                              std::string(state->hash_threads->priority()) + ", queue wait at most " +
                              std::to_string(pw.max_queue_wait_ms) + " ms");
  state->accounts = std::make_unique<account::AccountService>(cfg, *state->db, *state->hasher, *state->templates,
                                                              *state->revocations, state->throttles,
                                                              [sender] { sender->wake(); });
  return state;
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
    if (int32_t status = register_client_script_route(*state); status != LK_OK) return status;
    if (int32_t status = register_openapi_route(*state); status != LK_OK) return status;

    out->state = state.release();
    out->destroy = destroy;
    return LK_OK;
  } catch (const std::exception& error) {
    report(api, host, "", std::string("init failed: ") + error.what());
    return LK_ERR_INTERNAL;
  }
}

}  // extern "C"
