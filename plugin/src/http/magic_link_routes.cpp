// Thin magic-link routes: read the body, call MagicLinkService, map the outcome. Asking for a link
// answers 202 whatever the address (or 429, for known and unknown addresses alike).
#include "http/magic_link_routes.h"

#include "account/magic_link_service.h"
#include "http/account_routes.h"
#include "http/route_support.h"

namespace latchkey::http {
namespace {

constexpr size_t kMaxTokenBytes = 128;  // a link's token is 43 characters

void request_link(PluginState& state, Exchange& exchange) {
  answer_mail_request(exchange, [&](std::string_view email, std::string_view client_address) {
    return state.magic_links->request(email, client_address);
  });
}

void verify_link(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange);
  if (!body) return;
  FieldErrors fields;
  const auto token = string_field(*body, "token", kMaxTokenBytes, fields);
  if (!fields.empty()) return bad_request(exchange, "token is a required string", fields);
  const account::MagicLinkResult result = state.magic_links->verify(*token);
  switch (result.outcome) {
    case account::MagicLinkOutcome::signed_in:
      return respond_sign_in(state, exchange, result.sign_in);
    case account::MagicLinkOutcome::invalid_token:
      return exchange.respond_json(401, error_body("invalid_token", "this sign-in link is unknown, expired or already used"));
    case account::MagicLinkOutcome::account_disabled:
      return exchange.respond_json(403, error_body("account_disabled", "this account is disabled"));
  }
}

}  // namespace

int32_t register_magic_link_routes(PluginState& state) {
  const std::string& prefix = state.config.routes.prefix;
  return add_routes(state, {
                               {"POST", prefix + "/magic-link", LK_AUTH_PUBLIC, guarded<request_link>},
                               {"POST", prefix + "/magic-link/verify", LK_AUTH_PUBLIC, guarded<verify_link>},
                           });
}

}  // namespace latchkey::http
