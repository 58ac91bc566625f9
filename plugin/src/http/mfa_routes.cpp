// Thin routes over mfa::MfaService: strict bodies (a code is six digits, a recovery code
// "xxxxx-xxxxx", a credential a passkey assertion as JSON), one call, the outcome mapped to a
// status. enable and disable check a password, so they run on the hash queue (hash_queue_route.h).
#include "http/mfa_routes.h"

#include "http/exchange.h"
#include "http/hash_queue_route.h"
#include "http/json_io.h"
#include "http/passkey_request.h"
#include "http/route_support.h"
#include "mfa/recovery_codes.h"
#include "mfa/totp.h"
#include "password/policy.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace latchkey::http {
namespace {

constexpr size_t kMaxCodeBytes = 32;       // longer than any code with spaces; more is refused unread
constexpr size_t kMaxMfaTokenBytes = 128;  // base64url of 32 bytes is 43

void answer(Exchange& exchange, const mfa::MfaResult& result) {
  switch (result.outcome) {
    case mfa::MfaOutcome::ok: return;  // the route answers success itself
    case mfa::MfaOutcome::invalid_code:
      return exchange.respond_json(401, error_body("invalid_code", "the code is wrong or was used already"));
    case mfa::MfaOutcome::invalid_credentials:
      return exchange.respond_json(401, error_body("invalid_credentials", "the password is wrong"));
    case mfa::MfaOutcome::invalid_mfa_token:
      return exchange.respond_json(401, error_body("invalid_mfa_token", "the sign-in expired or was finished; sign in again"));
    case mfa::MfaOutcome::invalid_session:
      return exchange.respond_json(401, error_body("invalid_token", "the session has ended"));
    case mfa::MfaOutcome::rate_limited:
      return rate_limited(exchange, "too many wrong codes; try again later", result.retry_after);
    case mfa::MfaOutcome::already_enabled:
      return exchange.respond_json(409, error_body("mfa_already_enabled", "TOTP is on; disable it first"));
    case mfa::MfaOutcome::not_set_up:
      return exchange.respond_json(409, error_body("mfa_not_set_up", "set TOTP up first (mfa/totp/setup)"));
    case mfa::MfaOutcome::not_enabled:
      return exchange.respond_json(409, error_body("mfa_not_enabled", "TOTP is not on for this account"));
    case mfa::MfaOutcome::not_configured:
      return exchange.respond_json(
          503, error_body("mfa_not_configured", "TOTP needs mfa.encryption_key (or tokens.key_encryption_key) in the config"));
    case mfa::MfaOutcome::account_disabled:
      return exchange.respond_json(403, error_body("account_disabled", "this account is disabled"));
    case mfa::MfaOutcome::invalid_credential:
      return exchange.respond_json(401, error_body("invalid_credential", "the passkey response proves nothing"));
    case mfa::MfaOutcome::malformed_credential:
      return bad_request(exchange, "the credential holds CBOR or JSON that does not parse", {{"credential", "malformed"}});
  }
}

// The caller's user row; nullopt after answering 401 (deleted since the token was issued).
std::optional<store::User> caller_user(PluginState& state, Exchange& exchange) {
  const auto caller = exchange.caller();
  auto user = caller ? state.sessions->find_user(caller->subject) : std::nullopt;
  if (!user) exchange.respond_json(401, error_body("invalid_token", "no such user"));
  return user;
}

// A six-digit code from `name`; nullopt (and a field error) for anything else.
std::optional<std::string> totp_code_field(const rapidjson::Document& body, const char* name, FieldErrors& fields) {
  auto code = string_field(body, name, kMaxCodeBytes, fields);
  if (code && !mfa::is_totp_code(*code)) {
    fields.emplace_back(name, "must be six digits");
    return std::nullopt;
  }
  return code;
}

// Which second factors a route takes besides a TOTP code.
struct FactorKinds {
  bool recovery_code = false;
  bool passkey = false;
};

// Exactly one of the factors the route takes (code, recoveryCode, credential); nullopt after 400.
std::optional<mfa::SecondFactor> second_factor(const PluginState& state, Exchange& exchange,
                                               const rapidjson::Document& body, FactorKinds kinds) {
  const bool has_code = body.HasMember("code");
  const bool has_recovery = body.HasMember("recoveryCode");
  const bool has_credential = body.HasMember("credential");
  if ((has_recovery && !kinds.recovery_code) || (has_credential && !kinds.passkey) ||
      has_code + has_recovery + has_credential != 1) {
    const char* message = kinds.recovery_code && kinds.passkey ? "send exactly one of code, recoveryCode and credential"
                          : kinds.recovery_code                ? "send exactly one of code and recoveryCode"
                          : kinds.passkey                      ? "send exactly one of code and credential"
                                                               : "code is required";
    bad_request(exchange, message, {{"code", "required"}});
    return std::nullopt;
  }
  if (has_credential) {
    auto response = assertion_field(exchange, body);
    if (!response) return std::nullopt;
    mfa::SecondFactor factor{mfa::SecondFactor::Kind::passkey, {}, std::nullopt};
    factor.passkey = mfa::PasskeyProof{std::move(*response), relying_party(state, exchange).rp};
    return factor;
  }
  FieldErrors fields;
  if (has_code) {
    auto code = totp_code_field(body, "code", fields);
    if (!code) {
      bad_request(exchange, "code must be six digits", fields);
      return std::nullopt;
    }
    return mfa::SecondFactor{mfa::SecondFactor::Kind::totp, std::move(*code), std::nullopt};
  }
  const auto typed = string_field(body, "recoveryCode", kMaxCodeBytes, fields);
  const auto canonical = typed ? mfa::canonical_recovery_code(*typed) : std::nullopt;
  if (!canonical) {
    if (fields.empty()) fields.emplace_back("recoveryCode", "must look like xxxxx-xxxxx");
    bad_request(exchange, "recoveryCode is not a recovery code", fields);
    return std::nullopt;
  }
  return mfa::SecondFactor{mfa::SecondFactor::Kind::recovery_code, *canonical, std::nullopt};
}

// The password field as login reads it; nullopt after answering 400.
std::optional<std::string> password_field(PluginState& state, Exchange& exchange, const rapidjson::Document& body) {
  FieldErrors fields;
  const auto submitted = string_field(body, "password", 8 * state.config.password.max_length, fields);
  if (!submitted) {
    bad_request(exchange, "password is a required string", fields);
    return std::nullopt;
  }
  auto password = decode_password_field(state, exchange, *submitted, "password");
  if (!password) return std::nullopt;
  const auto policy = password::check_password(*password, {state.config.password.min_length, state.config.password.max_length});
  if (policy == password::PolicyResult::too_long || policy == password::PolicyResult::invalid_utf8) {
    bad_request(exchange, "the password is too long or not UTF-8", {{"password", "invalid"}});
    return std::nullopt;
  }
  return password;
}

void setup(PluginState& state, Exchange& exchange) {
  const auto user = caller_user(state, exchange);
  if (!user) return;
  const mfa::MfaResult result = state.mfa->setup(*user);
  if (result.outcome != mfa::MfaOutcome::ok) return answer(exchange, result);
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  writer.StartObject();
  writer.Key("secret");
  writer.String(result.setup->secret.c_str());
  writer.Key("otpauthUri");
  writer.String(result.setup->otpauth_uri.c_str());
  writer.Key("qrSvg");
  writer.String(result.setup->qr_svg.c_str());
  writer.EndObject();
  exchange.respond_json(200, std::string_view(out.GetString(), out.GetSize()));
  exchange.set_header("Cache-Control", "no-store");
}

void enable(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange);
  if (!body) return;
  FieldErrors fields;
  const auto code = totp_code_field(*body, "code", fields);
  if (!code) return bad_request(exchange, "code must be six digits", fields);
  const auto password = password_field(state, exchange, *body);
  if (!password) return;
  const auto user = caller_user(state, exchange);
  if (!user) return;
  const mfa::MfaResult result = state.mfa->enable(*user, *code, *password, exchange.remote_address());
  if (result.outcome == mfa::MfaOutcome::invalid_code) {
    // CONTRACT §10: a wrong first code is a bad request (nothing was on yet), not an authentication failure.
    return exchange.respond_json(400, error_body("invalid_code", "the code does not match the secret"));
  }
  if (result.outcome != mfa::MfaOutcome::ok) return answer(exchange, result);
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  writer.StartObject();
  writer.Key("recoveryCodes");
  writer.StartArray();
  for (const std::string& one : result.recovery_codes) writer.String(one.c_str());
  writer.EndArray();
  writer.EndObject();
  exchange.respond_json(200, std::string_view(out.GetString(), out.GetSize()));
  exchange.set_header("Cache-Control", "no-store");
}

void disable(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange);
  if (!body) return;
  const auto factor = second_factor(state, exchange, *body, {.recovery_code = true});
  if (!factor) return;
  const auto password = password_field(state, exchange, *body);
  if (!password) return;
  const auto user = caller_user(state, exchange);
  if (!user) return;
  const mfa::MfaResult result = state.mfa->disable(*user, *password, *factor, exchange.remote_address());
  if (result.outcome != mfa::MfaOutcome::ok) return answer(exchange, result);
  exchange.respond_empty(204);
}

void verify(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange, kCredentialBodyDepth);
  if (!body) return;
  FieldErrors fields;
  const auto token = string_field(*body, "mfaToken", kMaxMfaTokenBytes, fields);
  if (!token) return bad_request(exchange, "mfaToken is a required string", fields);
  const auto factor = second_factor(state, exchange, *body, {.recovery_code = true, .passkey = true});
  if (!factor) return;
  const mfa::MfaResult result = state.mfa->verify(*token, *factor, exchange.remote_address());
  if (result.outcome != mfa::MfaOutcome::ok) return answer(exchange, result);
  // The sign-in's first step counted "mfa_required"; this one completes it.
  state.metrics.login("success");
  respond_tokens(state, exchange, *result.tokens);
}

void step_up(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange, kCredentialBodyDepth);
  if (!body) return;
  const auto factor = second_factor(state, exchange, *body, {.passkey = true});
  if (!factor) return;
  const auto user = caller_user(state, exchange);
  if (!user) return;
  const mfa::MfaResult result =
      state.mfa->step_up(*user, exchange.caller()->session_id, *factor, exchange.remote_address());
  if (result.outcome != mfa::MfaOutcome::ok) return answer(exchange, result);
  respond_tokens(state, exchange, *result.tokens);
}

}  // namespace

int32_t register_mfa_routes(PluginState& state) {
  const std::string& prefix = state.config.routes.prefix;
  return add_routes(state, {
                                {"POST", prefix + "/mfa/totp/setup", LK_AUTH_REQUIRED, guarded<setup>},
                                {"POST", prefix + "/mfa/totp/enable", LK_AUTH_REQUIRED, hash_queued<enable>},
                                {"POST", prefix + "/mfa/totp/disable", LK_AUTH_REQUIRED, hash_queued<disable>},
                                {"POST", prefix + "/mfa/verify", LK_AUTH_PUBLIC, guarded<verify>},
                                {"POST", prefix + "/mfa/step-up", LK_AUTH_REQUIRED, guarded<step_up>},
                            });
}

}  // namespace latchkey::http
