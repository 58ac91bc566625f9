// The routes are thin: read the request, call the session service, map its outcome to HTTP.
// Each runs inside `guarded` (route_support.h), or, when it hashes a password, `hash_queued`
// (hash_queue_route.h).
#include "http/auth_routes.h"

#include "http/access_check.h"
#include "http/exchange.h"
#include "http/hash_queue_route.h"
#include "http/json_io.h"
#include "http/route_support.h"
#include "password/policy.h"

#include <chrono>

namespace latchkey::http {
namespace {

// The result labels of CONTRACT §9's latchkey_auth_logins_total and latchkey_auth_refreshes_total.
std::string_view login_result_label(session::LoginOutcome outcome) {
  switch (outcome) {
    case session::LoginOutcome::ok: return "success";
    case session::LoginOutcome::invalid_credentials: return "invalid_credentials";
    case session::LoginOutcome::email_not_confirmed: return "email_not_confirmed";
    case session::LoginOutcome::account_disabled: return "account_disabled";
    case session::LoginOutcome::rate_limited: return "rate_limited";
    case session::LoginOutcome::mfa_required: return "mfa_required";
  }
  return "invalid_credentials";
}

std::string_view refresh_result_label(session::RefreshOutcome outcome) {
  switch (outcome) {
    case session::RefreshOutcome::rotated: return "rotated";
    case session::RefreshOutcome::grace: return "grace";
    case session::RefreshOutcome::reused: return "reuse_revoked";
    case session::RefreshOutcome::invalid: return "invalid";
  }
  return "invalid";
}

// The refresh token from its cookie, else from Authorization: Bearer (when it is not a JWT).
std::optional<std::string> presented_refresh_token(const PluginState& state, const Exchange& exchange,
                                                   bool& from_cookie) {
  from_cookie = false;
  if (auto cookie = exchange.cookie(state.config.cookies.refresh_name); cookie && !cookie->empty()) {
    from_cookie = true;
    return std::string(*cookie);
  }
  const PresentedToken bearer = find_access_token(state, exchange);
  if (bearer.source == TokenSource::bearer && !bearer.token.empty() &&
      bearer.token.find('.') == std::string_view::npos) {
    return std::string(bearer.token);
  }
  return std::nullopt;
}

void login(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange);
  if (!body) return;
  FieldErrors fields;
  const auto email = string_field(*body, "email", 320, fields);
  const auto submitted = string_field(*body, "password", 8 * state.config.password.max_length, fields);
  if (!fields.empty()) return bad_request(exchange, "email and password are required strings", fields);

  const std::optional<std::string> password = decode_password_field(state, exchange, *submitted, "password");
  if (!password) return;
  // Lengths beyond any stored password are refused before hashing; this says nothing of the account.
  const auto policy = password::check_password(
      *password, {state.config.password.min_length, state.config.password.max_length});
  if (policy == password::PolicyResult::too_long || policy == password::PolicyResult::invalid_utf8) {
    return bad_request(exchange, "the password is too long or not UTF-8", {{"password", "invalid"}});
  }

  const session::LoginResult result =
      state.sessions->login(*email, *password, exchange.remote_address());
  state.metrics.login(login_result_label(result.outcome));
  switch (result.outcome) {
    case session::LoginOutcome::ok:
      return respond_tokens(state, exchange, *result.tokens);
    case session::LoginOutcome::mfa_required:
      return respond_second_factor(exchange, *result.second_factor);
    case session::LoginOutcome::invalid_credentials:
      return exchange.respond_json(401, error_body("invalid_credentials", "wrong email or password"));
    case session::LoginOutcome::email_not_confirmed:
      return exchange.respond_json(403, error_body("email_not_confirmed", "confirm your email address first"));
    case session::LoginOutcome::account_disabled:
      return exchange.respond_json(403, error_body("account_disabled", "this account is disabled"));
    case session::LoginOutcome::rate_limited:
      return rate_limited(exchange, "too many failed logins; try again later", result.retry_after);
  }
}

void refresh(PluginState& state, Exchange& exchange) {
  bool from_cookie = false;
  const auto token = presented_refresh_token(state, exchange, from_cookie);
  if (from_cookie && !origin_allowed(state, exchange)) {
    return exchange.respond_json(403, error_body("origin_not_allowed", "this origin may not use the session"));
  }
  const session::RefreshResult result =
      token ? state.sessions->refresh(*token) : session::RefreshResult{session::RefreshOutcome::invalid, {}};
  state.metrics.refresh(refresh_result_label(result.outcome));
  if (result.tokens) return respond_tokens(state, exchange, *result.tokens);
  exchange.respond_json(401, error_body("invalid_refresh_token", "sign in again"));
  clear_session_cookies(state, exchange);
}

void me(PluginState& state, Exchange& exchange) {
  const auto caller = exchange.caller();
  const auto user = caller ? state.sessions->find_user(caller->subject) : std::nullopt;
  if (!user) {
    exchange.respond_json(401, error_body("invalid_token", "no such user"));
    exchange.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return;
  }
  exchange.respond_json(200, user_body(*user, state.sessions->user_mfa(user->id)));
  exchange.set_header("Cache-Control", "no-store");
}

void logout(PluginState& state, Exchange& exchange) {
  std::optional<session::AccessTokenRef> access;
  const PresentedToken presented = find_access_token(state, exchange);
  if (presented.source != TokenSource::none && !presented.token.empty() &&
      presented.token.find('.') != std::string_view::npos) {
    const jwt::VerifiedAccessToken verified = verify_access(state, presented.token);
    if (verified.error == jwt::AccessTokenError::none) {
      access = session::AccessTokenRef{verified.claims.sid, verified.claims.jti, verified.claims.exp, verified.claims.sub};
    }
  }
  bool refresh_from_cookie = false;
  const auto refresh_token = presented_refresh_token(state, exchange, refresh_from_cookie);
  const bool cookie_authenticated = refresh_from_cookie || presented.source == TokenSource::cookie;
  if (cookie_authenticated && !origin_allowed(state, exchange)) {
    return exchange.respond_json(403, error_body("origin_not_allowed", "this origin may not use the session"));
  }
  if (access || refresh_token) state.sessions->logout(access, refresh_token);
  exchange.respond_empty(204);
  clear_session_cookies(state, exchange);
}

void logout_all(PluginState& state, Exchange& exchange) {
  state.sessions->logout_all(exchange.caller()->subject);
  exchange.respond_empty(204);
  clear_session_cookies(state, exchange);
}

void jwks(PluginState& state, Exchange& exchange) {
  exchange.respond_json(200, state.keys->current()->jwks_json);
  exchange.set_header("Cache-Control", "public, max-age=300");
}

}  // namespace

int32_t register_auth_routes(PluginState& state) {
  const std::string& prefix = state.config.routes.prefix;
  std::vector<RouteSpec> routes = {
      {"POST", prefix + "/login", LK_AUTH_PUBLIC, hash_queued<login>},
      {"POST", prefix + "/refresh", LK_AUTH_PUBLIC, guarded<refresh>},
      {"GET", prefix + "/me", LK_AUTH_REQUIRED, guarded<me>},
      {"POST", prefix + "/logout", LK_AUTH_PUBLIC, guarded<logout>},
      {"POST", prefix + "/logout-all", LK_AUTH_REQUIRED, guarded<logout_all>},
      {"GET", "/.well-known/jwks.json", LK_AUTH_PUBLIC, guarded<jwks>},
  };
  if (!state.config.routes.me_alias.empty()) {
    routes.push_back({"GET", state.config.routes.me_alias, LK_AUTH_REQUIRED, guarded<me>});
  }
  return add_routes(state, routes);
}

}  // namespace latchkey::http
