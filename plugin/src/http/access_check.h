// Finding and verifying the caller's access token: the one place tokens are read from a request.
#pragma once

#include "http/exchange.h"
#include "http/plugin_state.h"
#include "jwt/access_token.h"

#include <optional>
#include <string_view>

namespace latchkey::http {

enum class TokenSource { none, bearer, cookie };

struct PresentedToken {
  TokenSource source = TokenSource::none;
  std::string_view token;
};

// Authorization: Bearer first, then the access cookie.
PresentedToken find_access_token(const PluginState& state, const Exchange& exchange);

// Signature, alg, typ, iss, aud, exp/nbf/iat with leeway (not revocation: see RevocationCache).
jwt::VerifiedAccessToken verify_access(const PluginState& state, std::string_view token);

// Whether a cookie-authenticated unsafe request comes from an allowed origin (CONTRACT §6: no
// Origin passes; the host's own origin is always allowed).
bool origin_allowed(const PluginState& state, const Exchange& exchange);

// Whether the method changes state (anything but GET, HEAD, OPTIONS).
bool is_unsafe_method(std::string_view method);

}  // namespace latchkey::http
