// Serves the embedded OpenAPI document as JSON with a short cache lifetime (see openapi_route.h).
#include "http/openapi_route.h"

#include "http/route_support.h"

namespace latchkey::http {
namespace {

const unsigned char kOpenApi[] = {
#include "openapi_json.inc"
};

void openapi(PluginState&, Exchange& exchange) {
  exchange.respond_json(200, std::string_view(reinterpret_cast<const char*>(kOpenApi), sizeof kOpenApi));
  exchange.set_header("Cache-Control", "public, max-age=300");
}

}  // namespace

int32_t register_openapi_route(PluginState& state) {
  return add_route(state, "GET", state.config.routes.prefix + "/openapi.json", LK_AUTH_PUBLIC, guarded<openapi>);
}

}  // namespace latchkey::http
