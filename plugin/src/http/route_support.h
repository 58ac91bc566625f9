// What every auth route shares: the guard that maps outages to 503, the JSON body reader, and
// the token answer with its cookies.
#pragma once

#include "http/exchange.h"
#include "http/json_io.h"
#include "http/plugin_state.h"
#include "session/session_service.h"
#include "store/store_unavailable.h"

#include <chrono>
#include <latchkey/plugin.h>
#include <rapidjson/document.h>

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::http {

using RouteHandler = void (*)(PluginState&, Exchange&);

// Runs handler, answering 503 (cookies untouched) when the database is out, and returning
// LK_ERR_INTERNAL (the host answers 500) for anything else, logged.
int32_t answer_guarded(PluginState& state, Exchange& exchange, RouteHandler handler);

// The C handler for a route: runs handler on the host's worker (see answer_guarded).
template <RouteHandler handler>
int32_t guarded(void* user_data, lk_request* req, lk_response* res) {
  PluginState& state = *static_cast<PluginState*>(user_data);
  Exchange exchange(state.api, req, res);
  return answer_guarded(state, exchange, handler);
}

int32_t add_route(PluginState& state, const char* method, const std::string& path, uint32_t auth,
                  lk_handler_fn handler);

struct RouteSpec {
  const char* method;
  std::string path;
  uint32_t auth;  // LK_AUTH_PUBLIC or LK_AUTH_REQUIRED
  lk_handler_fn handler;
};

// Registers each route in order; returns the first failing status, or LK_OK.
int32_t add_routes(PluginState& state, const std::vector<RouteSpec>& routes);

int64_t now_ms();

// 429 rate_limited with Retry-After (at least 1 s).
void rate_limited(Exchange& exchange, std::string_view message, std::chrono::seconds retry_after);

// 400 invalid_request.
void bad_request(Exchange& exchange, std::string_view message, const FieldErrors& fields = {});

// The JSON object body, or nullopt after answering 400. max_depth: how deeply it may nest (a
// passkey credential's response.transports is 4 levels down).
std::optional<rapidjson::Document> json_body(Exchange& exchange, size_t max_depth = 4);

// 200 with the token body and both cookies (the refresh cookie only when a refresh token was issued).
void respond_tokens(const PluginState& state, Exchange& exchange, const session::IssuedTokens& tokens);
void clear_session_cookies(const PluginState& state, Exchange& exchange);

// The answer to a first factor (CONTRACT §10): the tokens as respond_tokens does, or, when a second
// factor is due, 200 {"mfaRequired":true,"mfaToken":…,"methods":[…]} without any cookie.
void respond_sign_in(const PluginState& state, Exchange& exchange, const session::SignIn& signed_in);
void respond_second_factor(Exchange& exchange, const session::SecondFactorChallenge& challenge);

// A submitted password decoded per password.encoding; nullopt after answering 400.
std::optional<std::string> decode_password_field(const PluginState& state, Exchange& exchange,
                                                 const std::string& submitted, const char* field);

}  // namespace latchkey::http
