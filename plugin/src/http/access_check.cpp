// Token lookup and verification shared by the filter and logout.
#include "http/access_check.h"

#include <algorithm>
#include <cctype>

namespace latchkey::http {

PresentedToken find_access_token(const PluginState& state, const Exchange& exchange) {
  // RFC 7235: the scheme is case-insensitive. Another scheme (Basic from a proxy) is not ours:
  // the access cookie may still authenticate the request.
  if (auto authorization = exchange.header("Authorization")) {
    constexpr std::string_view scheme = "bearer";
    const bool is_bearer =
        authorization->size() >= scheme.size() &&
        std::equal(scheme.begin(), scheme.end(), authorization->begin(),
                   [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }) &&
        (authorization->size() == scheme.size() || (*authorization)[scheme.size()] == ' ');
    if (is_bearer) {
      std::string_view token = authorization->substr(scheme.size());
      while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
      return {TokenSource::bearer, token};  // may be empty: an invalid token, not an absent one
    }
  }
  if (auto cookie = exchange.cookie(state.config.cookies.access_name); cookie && !cookie->empty()) {
    return {TokenSource::cookie, *cookie};
  }
  return {};
}

jwt::VerifiedAccessToken verify_access(const PluginState& state, std::string_view token) {
  jwt::AccessTokenCheck check;
  check.issuer = state.config.tokens.issuer;
  check.audience = state.config.tokens.audience;
  check.leeway = std::chrono::seconds(state.config.tokens.leeway_seconds);
  check.now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::shared_ptr<const keys::KeySnapshot> snapshot = state.keys->current();
  jwt::VerifiedAccessToken verified = state.verified_tokens.verify(token, snapshot->keys, check);
  // A kid this host does not know yet may be a key another host has just activated.
  if (verified.jws_error == jwt::JwsError::unknown_key) {
    if (auto newer = state.keys->after_unknown_kid(snapshot)) verified = state.verified_tokens.verify(token, newer->keys, check);
  }
  return verified;
}

bool origin_allowed(const PluginState& state, const Exchange& exchange) {
  const auto origin = exchange.header("Origin");
  if (!origin) return true;
  if (*origin == exchange.local_origin()) return true;
  const auto& allowed = state.config.csrf_allowed_origins;
  return std::find(allowed.begin(), allowed.end(), *origin) != allowed.end();
}

bool is_unsafe_method(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace latchkey::http
