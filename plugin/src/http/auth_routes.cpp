// The routes are thin: read the request, call the session service, map its outcome to HTTP.
// Each runs inside `guarded`, which turns a database outage into 503 (cookies untouched) and any
// other exception into a logged 500.
#include "http/auth_routes.h"

#include "http/access_check.h"
#include "http/cookies.h"
#include "http/exchange.h"
#include "http/json_io.h"
#include "password/encoding.h"
#include "password/policy.h"
#include "store/store_unavailable.h"

#include <chrono>

namespace latchkey::http {
namespace {

using Handler = void (*)(PluginState&, Exchange&);

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

template <Handler handler>
int32_t guarded(void* user_data, lk_request* req, lk_response* res) {
  PluginState& state = *static_cast<PluginState*>(user_data);
  Exchange exchange(state.api, req, res);
  try {
    handler(state, exchange);
  } catch (const store::StoreUnavailable& error) {
    state.log(LK_LOG_ERROR, std::string("database unavailable: ") + error.what());
    exchange.respond_json(503, error_body("service_unavailable", "the database is not reachable; try again shortly"));
    exchange.set_header("Retry-After", "5");
  } catch (const std::exception& error) {
    state.log(LK_LOG_ERROR, std::string("request failed: ") + error.what());
    return LK_ERR_INTERNAL;
  }
  return LK_OK;
}

void set_session_cookies(const PluginState& state, Exchange& exchange, const session::IssuedTokens& tokens) {
  const auto& cookies = state.config.cookies;
  const int64_t now = now_ms() / 1000;
  exchange.add_set_cookie(
      set_cookie(cookies, cookies.access_name, tokens.access.token, "/", std::max<int64_t>(0, tokens.access.exp - now)));
  if (tokens.refresh_token) {
    exchange.add_set_cookie(set_cookie(cookies, cookies.refresh_name, *tokens.refresh_token, state.config.routes.prefix,
                                       std::max<int64_t>(0, tokens.refresh_expires_at - now)));
  }
}

void clear_session_cookies(const PluginState& state, Exchange& exchange) {
  const auto& cookies = state.config.cookies;
  exchange.add_set_cookie(clear_cookie(cookies, cookies.access_name, "/"));
  exchange.add_set_cookie(clear_cookie(cookies, cookies.refresh_name, state.config.routes.prefix));
}

void respond_tokens(const PluginState& state, Exchange& exchange, const session::IssuedTokens& tokens) {
  exchange.respond_json(200, token_body(tokens, state.config.tokens.refresh_in_body, now_ms()));
  exchange.set_header("Cache-Control", "no-store");
  set_session_cookies(state, exchange, tokens);
}

void bad_request(Exchange& exchange, std::string_view message, const FieldErrors& fields = {}) {
  exchange.respond_json(400, error_body("invalid_request", message, fields));
}

// The JSON object body, or nullopt after answering 400.
std::optional<rapidjson::Document> json_body(Exchange& exchange) {
  const auto content_type = exchange.header("Content-Type");
  if (!content_type || content_type->substr(0, 16) != "application/json") {
    bad_request(exchange, "the body must be JSON with Content-Type: application/json");
    return std::nullopt;
  }
  auto body = parse_body(exchange.body());
  if (!body) bad_request(exchange, "the body must be one JSON object (no duplicate names)");
  return body;
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

  const auto encoding = password::parse_encoding(state.config.password.encoding).value_or(password::Encoding::plain);
  const password::DecodedPassword decoded = password::decode_password(*submitted, encoding);
  if (decoded.status != password::DecodeStatus::ok) {
    return bad_request(exchange, "the password is not valid base64", {{"password", "invalid base64"}});
  }
  // Lengths beyond any stored password are refused before hashing; this says nothing of the account.
  const auto policy = password::check_password(
      decoded.password, {state.config.password.min_length, state.config.password.max_length});
  if (policy == password::PolicyResult::too_long || policy == password::PolicyResult::invalid_utf8) {
    return bad_request(exchange, "the password is too long or not UTF-8", {{"password", "invalid"}});
  }

  const session::LoginResult result =
      state.sessions->login(*email, decoded.password, exchange.remote_address());
  switch (result.outcome) {
    case session::LoginOutcome::ok:
      return respond_tokens(state, exchange, *result.tokens);
    case session::LoginOutcome::invalid_credentials:
      return exchange.respond_json(401, error_body("invalid_credentials", "wrong email or password"));
    case session::LoginOutcome::email_not_confirmed:
      return exchange.respond_json(403, error_body("email_not_confirmed", "confirm your email address first"));
    case session::LoginOutcome::account_disabled:
      return exchange.respond_json(403, error_body("account_disabled", "this account is disabled"));
    case session::LoginOutcome::rate_limited:
      exchange.respond_json(429, error_body("rate_limited", "too many failed logins; try again later"));
      exchange.set_header("Retry-After", std::to_string(std::max<int64_t>(1, result.retry_after.count())));
      return;
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
  exchange.respond_json(200, user_body(*user));
  exchange.set_header("Cache-Control", "no-store");
}

void logout(PluginState& state, Exchange& exchange) {
  std::optional<session::AccessTokenRef> access;
  const PresentedToken presented = find_access_token(state, exchange);
  if (presented.source != TokenSource::none && !presented.token.empty() &&
      presented.token.find('.') != std::string_view::npos) {
    const jwt::VerifiedAccessToken verified = verify_access(state, presented.token);
    if (verified.error == jwt::AccessTokenError::none) {
      access = session::AccessTokenRef{verified.claims.sid, verified.claims.jti, verified.claims.exp};
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
  exchange.respond_json(200, state.jwks_json);
  exchange.set_header("Cache-Control", "public, max-age=300");
}

int32_t add_route(PluginState& state, const char* method, const std::string& path, uint32_t auth,
                  lk_handler_fn handler) {
  lk_route route{};
  route.struct_size = sizeof route;
  route.method = lk_str{method, std::char_traits<char>::length(method)};
  route.path = lk_str{path.data(), path.size()};
  route.auth = auth;
  route.handler = handler;
  route.user_data = &state;
  return state.api->register_route(state.host, &route);
}

}  // namespace

int32_t register_auth_routes(PluginState& state) {
  const std::string& prefix = state.config.routes.prefix;
  struct Entry {
    const char* method;
    std::string path;
    uint32_t auth;
    lk_handler_fn handler;
  };
  std::vector<Entry> routes = {
      {"POST", prefix + "/login", LK_AUTH_PUBLIC, guarded<login>},
      {"POST", prefix + "/refresh", LK_AUTH_PUBLIC, guarded<refresh>},
      {"GET", prefix + "/me", LK_AUTH_REQUIRED, guarded<me>},
      {"POST", prefix + "/logout", LK_AUTH_PUBLIC, guarded<logout>},
      {"POST", prefix + "/logout-all", LK_AUTH_REQUIRED, guarded<logout_all>},
      {"GET", "/.well-known/jwks.json", LK_AUTH_PUBLIC, guarded<jwks>},
  };
  if (!state.config.routes.me_alias.empty()) {
    routes.push_back({"GET", state.config.routes.me_alias, LK_AUTH_REQUIRED, guarded<me>});
  }
  for (const Entry& entry : routes) {
    if (const int32_t status = add_route(state, entry.method, entry.path, entry.auth, entry.handler); status != LK_OK) {
      return status;
    }
  }
  return LK_OK;
}

}  // namespace latchkey::http
