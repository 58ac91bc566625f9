// Thin: the caller comes from the filter, SessionService does the work, and another user's session
// id answers exactly as an unknown one (404 not_found), so ids cannot be probed.
#include "http/session_routes.h"

#include "http/route_support.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace latchkey::http {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// Empty means not recorded (a session from before migration 007): null rather than "".
void write_string_or_null(Writer& writer, std::string_view text) {
  if (text.empty()) writer.Null();
  else write_string(writer, text);
}

std::string sessions_body(const std::vector<session::ListedSession>& listed) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("sessions");
  writer.StartArray();
  for (const session::ListedSession& entry : listed) {
    const store::Session& s = entry.session;
    writer.StartObject();
    writer.Key("id");
    write_string(writer, s.id);
    writer.Key("current");
    writer.Bool(entry.current);
    writer.Key("createdAt");
    write_string(writer, iso8601(s.created_at));
    writer.Key("lastUsedAt");
    write_string(writer, iso8601(s.last_used_at));
    writer.Key("expiresAt");
    write_string(writer, iso8601(s.expires_at));
    writer.Key("ip");
    write_string_or_null(writer, s.client_address);
    writer.Key("userAgent");
    write_string_or_null(writer, s.user_agent);
    writer.Key("device");
    write_string(writer, entry.device);
    writer.Key("amr");
    writer.StartArray();
    for (const std::string& method : s.amr) write_string(writer, method);
    writer.EndArray();
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Session ids are ours (32 hex digits); anything else cannot name one and never reaches the
// database (MariaDB's ASCII id column would refuse other text with an error, not an empty match).
bool could_be_session_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

// LK_AUTH_REQUIRED routes always have one; answered like a bad token if ever not.
std::optional<Caller> caller_or_401(Exchange& exchange) {
  auto caller = exchange.caller();
  if (!caller) {
    exchange.respond_json(401, error_body("invalid_token", "sign in first"));
    exchange.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  }
  return caller;
}

void list_sessions(PluginState& state, Exchange& exchange) {
  const auto caller = caller_or_401(exchange);
  if (!caller) return;
  exchange.respond_json(200, sessions_body(state.sessions->list_sessions(caller->subject, caller->session_id)));
  exchange.set_header("Cache-Control", "no-store");
}

void revoke_session(PluginState& state, Exchange& exchange) {
  const auto caller = caller_or_401(exchange);
  if (!caller) return;
  const std::string id(exchange.param("id").value_or(""));
  if (!could_be_session_id(id) ||
      state.sessions->revoke_session(caller->subject, id) == session::RevokeSessionOutcome::not_found) {
    return exchange.respond_json(404, error_body("not_found", "no such session"));
  }
  exchange.respond_empty(204);
  // Ending the session this browser is signed in with is signing out here: its cookies go too.
  if (id == caller->session_id) clear_session_cookies(state, exchange);
}

void logout_others(PluginState& state, Exchange& exchange) {
  const auto caller = caller_or_401(exchange);
  if (!caller) return;
  state.sessions->logout_others(caller->subject, caller->session_id);
  exchange.respond_empty(204);
}

}  // namespace

int32_t register_session_routes(PluginState& state) {
  const std::string& prefix = state.config.routes.prefix;
  return add_routes(state, {
                               {"GET", prefix + "/sessions", LK_AUTH_REQUIRED, guarded<list_sessions>},
                               {"DELETE", prefix + "/sessions/:id", LK_AUTH_REQUIRED, guarded<revoke_session>},
                               {"POST", prefix + "/logout-others", LK_AUTH_REQUIRED, guarded<logout_others>},
                           });
}

}  // namespace latchkey::http
