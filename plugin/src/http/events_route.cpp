// The events of the audit log that name the caller, as {"events":[...]}: what a "recent security
// activity" page shows. Only the caller's own: the principal's subject selects them.
#include "http/events_route.h"

#include "audit/audit_store.h"
#include "http/route_support.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace latchkey::http {
namespace {

constexpr size_t kShown = 50;

std::string events_body(const std::vector<audit::AuditEvent>& events) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  auto string_or_null = [&](const std::string& value) {
    if (value.empty()) writer.Null();
    else writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  writer.StartObject();
  writer.Key("events");
  writer.StartArray();
  for (const audit::AuditEvent& event : events) {
    writer.StartObject();
    writer.Key("id");
    writer.String(event.id.c_str());
    writer.Key("at");
    writer.String(audit::format_time(event.at_ms).c_str());
    writer.Key("event");
    writer.String(event.event.c_str());
    writer.Key("sessionId");
    string_or_null(event.session_id);
    writer.Key("address");
    string_or_null(event.client_address);
    writer.Key("userAgent");
    string_or_null(event.user_agent);
    writer.Key("detail");
    rapidjson::Document detail;
    detail.Parse(event.detail.data(), event.detail.size());
    if (detail.HasParseError() || !detail.IsObject()) detail.SetObject();
    detail.Accept(writer);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return buffer.GetString();
}

void events(PluginState& state, Exchange& exchange) {
  const auto caller = exchange.caller();
  if (!caller) return exchange.respond_json(401, error_body("invalid_token", "sign in first"));
  audit::EventFilter filter;
  filter.user_id = std::string(caller->subject);
  filter.limit = kShown;
  exchange.respond_json(200, events_body(audit::AuditStore(*state.db).list(filter)));
  exchange.set_header("Cache-Control", "no-store");
}

}  // namespace

int32_t register_events_route(PluginState& state) {
  return add_route(state, "GET", state.config.routes.prefix + "/events", LK_AUTH_REQUIRED, guarded<events>);
}

}  // namespace latchkey::http
