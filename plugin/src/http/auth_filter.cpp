// The filter's order: token → verify → Origin (cookie + unsafe method) → revocation and active
// user (cached) → `protect` roles → principal. On a public route nothing is refused: a bad or
// missing token just leaves the caller anonymous. A principal never comes from anything but a
// verified token.
#include "http/auth_filter.h"

#include "http/access_check.h"
#include "http/exchange.h"
#include "http/json_io.h"
#include "store/store_unavailable.h"

#include <algorithm>

namespace latchkey::http {
namespace {

const config::ProtectRule* protect_rule_for(const PluginState& state, std::string_view path) {
  const config::ProtectRule* best = nullptr;
  for (const config::ProtectRule& rule : state.config.protect) {
    const bool covers = path == rule.prefix ||
                        (path.size() > rule.prefix.size() && path.substr(0, rule.prefix.size()) == rule.prefix &&
                         (rule.prefix == "/" || path[rule.prefix.size()] == '/'));
    if (covers && (!best || rule.prefix.size() > best->prefix.size())) best = &rule;
  }
  return best;
}

// RFC 8176 values that are a second factor: a one-time code, or a hardware key (passkey).
bool has_second_factor(const std::vector<std::string>& amr) {
  return std::any_of(amr.begin(), amr.end(), [](const std::string& value) { return value == "otp" || value == "hwk"; });
}

int32_t unauthorized(const PluginState& state, Exchange& exchange, bool token_was_sent, std::string_view code) {
  exchange.respond_json(state.config.routes.unauthorized_status,
                        error_body(code, token_was_sent ? "the access token is not valid" : "authentication required"));
  exchange.set_header("WWW-Authenticate", token_was_sent ? "Bearer error=\"invalid_token\"" : "Bearer");
  return LK_FILTER_RESPOND;
}

int32_t refuse(Exchange& exchange, uint32_t status, std::string_view code, std::string_view message) {
  exchange.respond_json(status, error_body(code, message));
  return LK_FILTER_RESPOND;
}

}  // namespace

int32_t authenticate(void* user_data, lk_request* req, lk_response* res) {
  const PluginState& state = *static_cast<const PluginState*>(user_data);
  Exchange exchange(state.api, req, res);
  const config::ProtectRule* rule = protect_rule_for(state, exchange.path());
  const bool required = !exchange.route_is_public() || rule;
  auto pass_or = [&](auto refusal) { return required ? refusal() : LK_FILTER_CONTINUE; };

  const PresentedToken presented = find_access_token(state, exchange);
  if (presented.source == TokenSource::none) {
    return pass_or([&] { return unauthorized(state, exchange, false, "invalid_token"); });
  }
  jwt::VerifiedAccessToken verified = verify_access(state, presented.token);
  if (verified.error != jwt::AccessTokenError::none) {
    const bool expired = verified.error == jwt::AccessTokenError::expired;
    return pass_or([&] { return unauthorized(state, exchange, true, expired ? "token_expired" : "invalid_token"); });
  }
  if (presented.source == TokenSource::cookie && is_unsafe_method(exchange.method()) &&
      !origin_allowed(state, exchange)) {
    return pass_or([&] { return refuse(exchange, 403, "origin_not_allowed", "this origin may not use the session"); });
  }

  jwt::AccessTokenClaims& claims = verified.claims;
  bool allowed = false;
  try {
    allowed = state.revocations->allows(claims.sid, claims.jti, claims.sub);
  } catch (const store::StoreUnavailable& error) {
    // Fail closed: without the revocation state, nobody is authenticated.
    state.log(LK_LOG_ERROR, std::string("revocation check failed: ") + error.what());
    state.metrics.database_error();
    return pass_or([&] {
      exchange.set_header("Retry-After", "5");  // as every other 503 of the database (docs/AUTH.md)
      return refuse(exchange, 503, "service_unavailable", "the database is not reachable");
    });
  }
  if (!allowed) {
    return pass_or([&] { return unauthorized(state, exchange, true, "invalid_token"); });
  }
  if (rule && !rule->roles.empty() &&
      std::none_of(rule->roles.begin(), rule->roles.end(), [&](const std::string& role) {
        return std::find(claims.roles.begin(), claims.roles.end(), role) != claims.roles.end();
      })) {
    return refuse(exchange, 403, "insufficient_role", "this route needs another role");
  }
  if (rule && rule->mfa && !has_second_factor(claims.amr)) {
    return refuse(exchange, 403, "mfa_required", "this route needs a second factor: step up first");
  }
  // Moved, not copied: the host takes its own copy (the ABI's rule), which is the only one needed.
  exchange.set_caller(Caller{std::move(claims.sub), std::move(claims.sid), std::move(claims.roles),
                             std::move(verified.claims_json)});
  return LK_FILTER_CONTINUE;
}

}  // namespace latchkey::http
