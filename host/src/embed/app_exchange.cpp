// The few conversions between an application's Pistache objects and the pipeline's plain values.
#include "embed/app_exchange.h"

#include "front_door/client_address.h"
#include "front_door/plain_request.h"
#include "front_door/response_writing.h"

namespace latchkey::embed {

host::HttpRequest plain_request_of(const Pistache::Http::Request& request,
                                   const std::vector<host::AddressRange>& trusted_proxies) {
  return host::to_plain_request(request, request.address().host(), trusted_proxies);
}

std::string local_origin_of(const host::HttpRequest& request) {
  if (!request.forwarded_origin.empty()) return request.forwarded_origin;
  // Written as a browser writes Origin (host lower-cased, port 80 dropped), and only from a Host
  // that is host[:port]: the application's own server has not checked it as the host's front door would.
  const auto host = request.headers.find("host");
  return host ? host::forwarded_origin("http", *host).value_or("") : std::string();
}

std::optional<host::HttpResponse> refuse_large_body(const host::HttpRequest& request, uint64_t max_body_bytes) {
  if (request.body.size() <= max_body_bytes) return std::nullopt;
  return host::json_error(413, "body_too_large", "the body exceeds " + std::to_string(max_body_bytes) + " bytes");
}

void answer(Pistache::Http::ResponseWriter& writer, const host::HttpResponse& response) {
  host::send_response(writer, response);
}

host::Route application_route(uint32_t auth, std::vector<std::string> roles, lk_handler_fn handler, void* user_data) {
  host::Route route;
  route.method = "*";
  route.pattern = "(application route)";  // only ever named in log lines
  route.auth = auth;
  route.roles = std::move(roles);
  route.handler = handler;
  route.user_data = user_data;
  route.plugin_name = "application";
  return route;
}

}  // namespace latchkey::embed
