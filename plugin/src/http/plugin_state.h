// Everything the auth plugin holds while loaded, built once in init and shared by its callbacks.
#pragma once

#include "config/auth_config.h"
#include "jwt/key_set.h"
#include "password/hasher.h"
#include "session/login_throttle.h"
#include "session/revocation_cache.h"
#include "session/session_service.h"
#include "store/database.h"

#include <latchkey/plugin.h>

#include <memory>
#include <string>

namespace latchkey::http {

struct PluginState {
  const lk_host_api* api = nullptr;
  lk_host* host = nullptr;
  config::AuthConfig config;
  std::optional<jwt::KeySet> keys;
  std::string jwks_json;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<password::Hasher> hasher;
  std::unique_ptr<session::RevocationCache> revocations;
  std::unique_ptr<session::LoginThrottle> throttle;
  std::unique_ptr<session::SessionService> sessions;

  void log(int32_t level, std::string_view message) const {
    api->log(host, level, lk_str{message.data(), message.size()});
  }
};

}  // namespace latchkey::http
