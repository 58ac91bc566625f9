// Thin routes over webauthn::PasskeyService: strict bodies, one call, the outcome mapped to a
// status. Another user's passkey id answers exactly as an unknown one (404), so ids cannot be probed.
#include "http/passkey_routes.h"

#include "http/passkey_request.h"
#include "http/route_support.h"
#include "password/utf8.h"
#include "webauthn/passkey_options.h"

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace latchkey::http {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr size_t kMaxNameBytes = 4 * webauthn::kMaxPasskeyNameCharacters;

void write_string(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_time_or_null(Writer& writer, const std::optional<int64_t>& at) {
  if (at) write_string(writer, iso8601(*at));
  else writer.Null();
}

void invalid_credential(Exchange& exchange) {
  exchange.respond_json(401, error_body("invalid_credential", "the passkey response proves nothing; nothing was stored"));
}

void malformed_credential(Exchange& exchange) {
  bad_request(exchange, "the credential holds CBOR or JSON that does not parse", {{"credential", "malformed"}});
}

// The caller's user row; nullopt after answering 401 (deleted since the token was issued).
std::optional<store::User> caller_user(PluginState& state, Exchange& exchange) {
  const auto caller = exchange.caller();
  auto user = caller ? state.sessions->find_user(caller->subject) : std::nullopt;
  if (!user) {
    exchange.respond_json(401, error_body("invalid_token", "no such user"));
    exchange.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  }
  return user;
}

// When the caller's session last authenticated: its access token's auth_time (0 when absent, as
// in tokens from before second factors: never recent).
int64_t auth_time_of(const Caller& caller) {
  rapidjson::Document claims;
  claims.Parse(caller.claims_json.data(), caller.claims_json.size());
  if (!claims.IsObject()) return 0;
  const auto found = claims.FindMember("auth_time");
  return found != claims.MemberEnd() && found->value.IsInt64() ? found->value.GetInt64() : 0;
}

// A challenge is a row kept 5 minutes: each address may ask for so many a minute.
bool options_allowed(PluginState& state, Exchange& exchange) {
  const std::string_view address = exchange.remote_address();
  if (auto wait = state.throttles.passkey_options->count(address, address)) {
    rate_limited(exchange, "too many passkey challenges for this address; try again later", *wait);
    return false;
  }
  return true;
}

void respond_options(Exchange& exchange, const std::string& json) {
  exchange.respond_json(200, json);
  exchange.set_header("Cache-Control", "no-store");
}

// True for a code point that is not shown as itself: C0 and C1 controls (U+009B starts a terminal
// escape in some terminals, and `latchkey-auth passkeys list` prints names), and the invisible
// format characters that can hide or reorder text: zero-width ones, bidi marks, embeddings,
// overrides and isolates, the word joiner, the BOM, interlinear annotation.
bool is_hidden_code_point(unsigned code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F) ||
         (code_point >= 0x200B && code_point <= 0x200F) || (code_point >= 0x202A && code_point <= 0x202E) ||
         (code_point >= 0x2060 && code_point <= 0x2069) || code_point == 0xFEFF ||
         (code_point >= 0xFFF9 && code_point <= 0xFFFB);
}

// True when text (well-formed UTF-8, checked before) holds a hidden code point.
bool has_hidden_code_point(std::string_view text) {
  rapidjson::MemoryStream in(text.data(), text.size());
  while (in.Tell() < text.size()) {
    unsigned code_point = 0;
    if (!rapidjson::UTF8<>::Decode(in, &code_point) || is_hidden_code_point(code_point)) return true;
  }
  return false;
}

// The optional name: trimmed of spaces; nullopt (the device's name) when absent or blank. False
// after answering 400: not a string, not UTF-8, a control character, or over the limit.
bool name_field(Exchange& exchange, const rapidjson::Document& body, std::optional<std::string>& name) {
  const auto found = body.FindMember("name");
  if (found == body.MemberEnd() || found->value.IsNull()) return true;
  FieldErrors fields;
  auto text = string_field(body, "name", kMaxNameBytes, fields);
  if (!text) {
    bad_request(exchange, "name must be a string of at most 64 characters", fields);
    return false;
  }
  const size_t first = text->find_first_not_of(' ');
  if (first == std::string::npos) return true;
  *text = text->substr(first, text->find_last_not_of(' ') - first + 1);
  const auto characters = password::count_code_points(*text);
  if (!characters || *characters > webauthn::kMaxPasskeyNameCharacters || has_hidden_code_point(*text)) {
    bad_request(exchange, "name must be UTF-8 text of at most 64 characters without control or invisible characters",
                {{"name", "invalid"}});
    return false;
  }
  name = std::move(*text);
  return true;
}

void registration_options(PluginState& state, Exchange& exchange) {
  const auto user = caller_user(state, exchange);
  if (!user || !options_allowed(state, exchange)) return;
  if (!state.passkeys->recently_authenticated(auth_time_of(*exchange.caller()))) {
    return exchange.respond_json(
        403, error_body("reauthentication_required",
                        "adding a passkey needs a sign-in or step-up within the last 10 minutes"));
  }
  respond_options(exchange, webauthn::creation_options_json(
                                state.passkeys->registration_options(*user, relying_party(state, exchange))));
}

void register_passkey(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange, kCredentialBodyDepth);
  if (!body) return;
  std::optional<std::string> name;
  if (!name_field(exchange, *body, name)) return;
  const auto response = registration_field(exchange, *body);
  if (!response) return;
  const auto user = caller_user(state, exchange);
  if (!user) return;
  const webauthn::PasskeyResult result =
      state.passkeys->register_passkey(*user, *response, std::move(name), relying_party(state, exchange));
  switch (result.outcome) {
    case webauthn::PasskeyOutcome::ok: break;
    case webauthn::PasskeyOutcome::malformed: return malformed_credential(exchange);
    default: return invalid_credential(exchange);
  }
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("id");
  write_string(writer, result.passkey->id);
  writer.Key("name");
  write_string(writer, result.passkey->name);
  writer.Key("createdAt");
  write_string(writer, iso8601(result.passkey->created_at));
  writer.EndObject();
  exchange.respond_json(201, std::string_view(buffer.GetString(), buffer.GetSize()));
  exchange.set_header("Cache-Control", "no-store");
}

void sign_in_options(PluginState& state, Exchange& exchange) {
  if (!options_allowed(state, exchange)) return;
  respond_options(exchange, webauthn::request_options_json(state.passkeys->sign_in_options(relying_party(state, exchange))));
}

void sign_in(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange, kCredentialBodyDepth);
  if (!body) return;
  const auto response = assertion_field(exchange, *body);
  if (!response) return;
  const webauthn::PasskeyResult result =
      state.passkeys->sign_in(*response, relying_party(state, exchange), exchange.remote_address());
  switch (result.outcome) {
    case webauthn::PasskeyOutcome::ok: return respond_tokens(state, exchange, *result.tokens);
    case webauthn::PasskeyOutcome::malformed: return malformed_credential(exchange);
    case webauthn::PasskeyOutcome::rate_limited:
      return rate_limited(exchange, "too many refused passkeys from this address; try again later", result.retry_after);
    case webauthn::PasskeyOutcome::account_disabled:
      return exchange.respond_json(403, error_body("account_disabled", "this account is disabled"));
    default: return invalid_credential(exchange);
  }
}

void list_passkeys(PluginState& state, Exchange& exchange) {
  const auto caller = exchange.caller();
  if (!caller) return exchange.respond_json(401, error_body("invalid_token", "sign in first"));
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("passkeys");
  writer.StartArray();
  for (const store::Passkey& passkey : state.passkeys->list(caller->subject)) {
    writer.StartObject();
    writer.Key("id");
    write_string(writer, passkey.id);
    writer.Key("name");
    write_string(writer, passkey.name);
    writer.Key("createdAt");
    write_string(writer, iso8601(passkey.created_at));
    writer.Key("lastUsedAt");
    write_time_or_null(writer, passkey.last_used_at);
    writer.Key("flagged");  // its counter went backwards: it signs nothing in; remove it
    writer.Bool(passkey.flagged_at.has_value());
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  exchange.respond_json(200, std::string_view(buffer.GetString(), buffer.GetSize()));
  exchange.set_header("Cache-Control", "no-store");
}

// Passkey ids are ours (32 hex digits); anything else cannot name one and never reaches the database.
bool could_be_passkey_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void remove_passkey(PluginState& state, Exchange& exchange) {
  const auto caller = exchange.caller();
  if (!caller) return exchange.respond_json(401, error_body("invalid_token", "sign in first"));
  const std::string id(exchange.param("id").value_or(""));
  const webauthn::PasskeyOutcome outcome =
      could_be_passkey_id(id) ? state.passkeys->remove(caller->subject, id, auth_time_of(*caller))
                              : webauthn::PasskeyOutcome::not_found;
  switch (outcome) {
    case webauthn::PasskeyOutcome::ok: return exchange.respond_empty(204);
    case webauthn::PasskeyOutcome::reauthentication_required:
      return exchange.respond_json(
          403, error_body("reauthentication_required",
                          "removing a passkey needs a sign-in or step-up within the last 10 minutes"));
    default: return exchange.respond_json(404, error_body("not_found", "no such passkey"));
  }
}

}  // namespace

int32_t register_passkey_routes(PluginState& state) {
  const std::string& prefix = state.config.routes.prefix;
  return add_routes(state, {
                               {"POST", prefix + "/passkeys/register/options", LK_AUTH_REQUIRED, guarded<registration_options>},
                               {"POST", prefix + "/passkeys/register", LK_AUTH_REQUIRED, guarded<register_passkey>},
                               {"POST", prefix + "/passkeys/login/options", LK_AUTH_PUBLIC, guarded<sign_in_options>},
                               {"POST", prefix + "/passkeys/login", LK_AUTH_PUBLIC, guarded<sign_in>},
                               {"GET", prefix + "/passkeys", LK_AUTH_REQUIRED, guarded<list_passkeys>},
                               {"DELETE", prefix + "/passkeys/:id", LK_AUTH_REQUIRED, guarded<remove_passkey>},
                           });
}

}  // namespace latchkey::http
