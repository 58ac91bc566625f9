// Google sign-in over HTTP: verify the credential, check the nonce, find or create the account,
// then answer exactly as a password login does (route_support.h).
#include "http/google_route.h"

#include "google/google_accounts.h"
#include "google/google_verifier.h"
#include "http/route_support.h"
#include "store/sign_in_nonce_store.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>


namespace latchkey::http {
namespace {

constexpr std::size_t kMaxCredentialBytes = 8192;  // the JWS layer's own cap
constexpr std::size_t kMaxNonceBytes = 128;
constexpr int64_t kNonceTtlSeconds = 600;

void invalid_credential(Exchange& exchange) {
  exchange.respond_json(401, error_body("invalid_credential", "the Google credential is not valid"));
}

void sign_in(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange);
  if (!body) return;
  FieldErrors fields;
  const auto credential = string_field(*body, "credential", kMaxCredentialBytes, fields);
  std::optional<std::string> nonce;
  if (body->HasMember("nonce")) nonce = string_field(*body, "nonce", kMaxNonceBytes, fields);
  if (!fields.empty()) return bad_request(exchange, "credential must be a string", fields);

  const google::VerifyResult verified = state.google->verify(*credential);
  if (verified.outcome == google::VerifyOutcome::jwks_unavailable) {
    exchange.respond_json(503, error_body("service_unavailable", "Google's signing keys cannot be fetched; try again shortly"));
    exchange.set_header("Retry-After", "5");
    return;
  }
  if (verified.outcome != google::VerifyOutcome::ok) return invalid_credential(exchange);

  const int64_t now = now_ms() / 1000;
  if (nonce) {
    // The token must carry this very nonce, and the nonce must be ours and unused (consumed here).
    if (verified.identity.nonce != nonce) return invalid_credential(exchange);
    if (!store::SignInNonceStore(*state.db).consume(*nonce, now)) return invalid_credential(exchange);
  }

  google::GoogleAccounts accounts(*state.db);
  accounts.set_audit(state.audit.get());
  const google::SignInResult account = accounts.sign_in(verified.identity);
  switch (account.outcome) {
    case google::SignInOutcome::ok:
      return respond_sign_in(state, exchange, state.sessions->sign_in(*account.user, {"ext"}, "google.signed_in"));
    case google::SignInOutcome::invalid_credential:
      return invalid_credential(exchange);
    case google::SignInOutcome::account_disabled:
      return exchange.respond_json(403, error_body("account_disabled", "this account is disabled"));
  }
}

void issue_nonce(PluginState& state, Exchange& exchange) {
  const std::string_view address = exchange.remote_address();
  if (auto wait = state.throttles.nonce->count(address, address)) {
    return rate_limited(exchange, "too many sign-in nonces for this address; try again later", *wait);
  }
  const int64_t now = now_ms() / 1000;
  const std::string nonce = store::SignInNonceStore(*state.db).issue(now, now + kNonceTtlSeconds);
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  writer.StartObject();
  writer.Key("nonce");
  writer.String(nonce.c_str(), static_cast<rapidjson::SizeType>(nonce.size()));
  writer.Key("expiresIn");
  writer.Int64(kNonceTtlSeconds * 1000);
  writer.EndObject();
  exchange.respond_json(200, std::string_view(out.GetString(), out.GetSize()));
  exchange.set_header("Cache-Control", "no-store");
}

}  // namespace

int32_t register_google_routes(PluginState& state) {
  if (!state.google) return LK_OK;
  const std::string& prefix = state.config.routes.prefix;
  if (const int32_t status = add_route(state, "POST", prefix + "/google", LK_AUTH_PUBLIC, guarded<sign_in>); status != LK_OK) {
    return status;
  }
  return add_route(state, "GET", prefix + "/google/nonce", LK_AUTH_PUBLIC, guarded<issue_nonce>);
}

}  // namespace latchkey::http
