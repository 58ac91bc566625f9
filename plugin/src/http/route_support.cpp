// Shared route helpers (see route_support.h).
#include "http/route_support.h"

#include "audit/client_context.h"
#include "http/cookies.h"
#include "password/encoding.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>

namespace latchkey::http {

int32_t answer_guarded(PluginState& state, Exchange& exchange, RouteHandler handler) {
  try {
    // The services' audit events name this client (audit/client_context.h).
    const audit::ClientScope client(exchange.remote_address(), exchange.header("User-Agent").value_or(""));
    handler(state, exchange);
  } catch (const store::StoreUnavailable& error) {
    state.log(LK_LOG_ERROR, std::string("database unavailable: ") + error.what());
    state.metrics.database_error();
    exchange.respond_json(503, error_body("service_unavailable", "the database is not reachable; try again shortly"));
    exchange.set_header("Retry-After", "5");
  } catch (const std::exception& error) {
    state.log(LK_LOG_ERROR, std::string("request failed: ") + error.what());
    return LK_ERR_INTERNAL;
  }
  return LK_OK;
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

int32_t add_routes(PluginState& state, const std::vector<RouteSpec>& routes) {
  for (const RouteSpec& route : routes) {
    if (const int32_t status = add_route(state, route.method, route.path, route.auth, route.handler); status != LK_OK) {
      return status;
    }
  }
  return LK_OK;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void rate_limited(Exchange& exchange, std::string_view message, std::chrono::seconds retry_after) {
  exchange.respond_json(429, error_body("rate_limited", message));
  exchange.set_header("Retry-After", std::to_string(std::max<int64_t>(1, retry_after.count())));
}

void bad_request(Exchange& exchange, std::string_view message, const FieldErrors& fields) {
  exchange.respond_json(400, error_body("invalid_request", message, fields));
}

std::optional<rapidjson::Document> json_body(Exchange& exchange, size_t max_depth) {
  const auto content_type = exchange.header("Content-Type");
  if (!content_type || content_type->substr(0, 16) != "application/json") {
    bad_request(exchange, "the body must be JSON with Content-Type: application/json");
    return std::nullopt;
  }
  auto body = parse_body(exchange.body(), max_depth);
  if (!body) bad_request(exchange, "the body must be one JSON object (no duplicate names)");
  return body;
}

void respond_tokens(const PluginState& state, Exchange& exchange, const session::IssuedTokens& tokens) {
  exchange.respond_json(200, token_body(tokens, state.config.tokens.refresh_in_body, now_ms()));
  exchange.set_header("Cache-Control", "no-store");
  const auto& cookies = state.config.cookies;
  const int64_t now = now_ms() / 1000;
  exchange.add_set_cookie(
      set_cookie(cookies, cookies.access_name, tokens.access.token, "/", std::max<int64_t>(0, tokens.access.exp - now)));
  if (tokens.refresh_token) {
    exchange.add_set_cookie(set_cookie(cookies, cookies.refresh_name, *tokens.refresh_token, state.config.routes.prefix,
                                       std::max<int64_t>(0, tokens.refresh_expires_at - now)));
  }
}

void respond_second_factor(Exchange& exchange, const session::SecondFactorChallenge& challenge) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  writer.StartObject();
  writer.Key("mfaRequired");
  writer.Bool(true);
  writer.Key("mfaToken");
  writer.String(challenge.mfa_token.data(), static_cast<rapidjson::SizeType>(challenge.mfa_token.size()));
  writer.Key("methods");
  writer.StartArray();
  for (const std::string& method : challenge.methods) {
    writer.String(method.data(), static_cast<rapidjson::SizeType>(method.size()));
  }
  writer.EndArray();
  writer.EndObject();
  exchange.respond_json(200, std::string_view(out.GetString(), out.GetSize()));
  exchange.set_header("Cache-Control", "no-store");
}

void respond_sign_in(const PluginState& state, Exchange& exchange, const session::SignIn& signed_in) {
  if (signed_in.second_factor) return respond_second_factor(exchange, *signed_in.second_factor);
  respond_tokens(state, exchange, *signed_in.tokens);
}

void clear_session_cookies(const PluginState& state, Exchange& exchange) {
  const auto& cookies = state.config.cookies;
  exchange.add_set_cookie(clear_cookie(cookies, cookies.access_name, "/"));
  exchange.add_set_cookie(clear_cookie(cookies, cookies.refresh_name, state.config.routes.prefix));
}

std::optional<std::string> decode_password_field(const PluginState& state, Exchange& exchange,
                                                 const std::string& submitted, const char* field) {
  const auto encoding = password::parse_encoding(state.config.password.encoding).value_or(password::Encoding::plain);
  password::DecodedPassword decoded = password::decode_password(submitted, encoding);
  if (decoded.status != password::DecodeStatus::ok) {
    bad_request(exchange, "the password is not valid base64", {{field, "invalid base64"}});
    return std::nullopt;
  }
  return std::move(decoded.password);
}

}  // namespace latchkey::http
