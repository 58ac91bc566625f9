#include "operator_routes.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace latchkey::host {
namespace {

HttpResponse json(uint32_t status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.set_header("Cache-Control", "no-store");
  response.body = std::move(body);
  return response;
}

// {"status":"not_ready","plugins":{"auth":"database: ..."}}
std::string not_ready_body(const Readiness::Report& report) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("status");
  writer.String("not_ready");
  writer.Key("plugins");
  writer.StartObject();
  for (const auto& [plugin, reason] : report.not_ready) {
    writer.Key(plugin.c_str(), static_cast<rapidjson::SizeType>(plugin.size()));
    writer.String(reason.c_str(), static_cast<rapidjson::SizeType>(reason.size()));
  }
  writer.EndObject();
  writer.EndObject();
  return buffer.GetString();
}

}  // namespace

OperatorRoutes::Kind OperatorRoutes::match(const HttpRequest& request) const {
  if (request.method != "GET") return Kind::none;
  if (request.path == config_.health.live) return Kind::live;
  if (request.path == config_.health.ready) return Kind::ready;
  if (config_.metrics && request.path == config_.metrics->path && in_any(config_.metrics->allow, request.remote_address))
    return Kind::metrics;
  return Kind::none;
}

HttpResponse OperatorRoutes::answer(Kind kind) const {
  switch (kind) {
    case Kind::live:
      return json(200, R"({"status":"ok"})");
    case Kind::ready: {
      const Readiness::Report report = services_.readiness.check();
      return report.ready ? json(200, R"({"status":"ready"})") : json(503, not_ready_body(report));
    }
    case Kind::metrics: {
      HttpResponse response;
      response.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      response.set_header("Cache-Control", "no-store");
      response.body = services_.metrics.render();
      return response;
    }
    case Kind::none:
      break;
  }
  return json_error(404, "not_found", "no such route");
}

}  // namespace latchkey::host
