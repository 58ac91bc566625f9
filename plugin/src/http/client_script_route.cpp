// Serves the embedded browser client with a JavaScript content type and a short cache lifetime.
#include "http/client_script_route.h"

#include "http/route_support.h"

namespace latchkey::http {
namespace {

const unsigned char kClientScript[] = {
#include "client_js.inc"
};

void client_script(PluginState&, Exchange& exchange) {
  exchange.respond(200, "text/javascript; charset=utf-8",
                   std::string_view(reinterpret_cast<const char*>(kClientScript), sizeof kClientScript));
  exchange.set_header("Cache-Control", "public, max-age=300");
}

}  // namespace

int32_t register_client_script_route(PluginState& state) {
  return add_route(state, "GET", state.config.routes.prefix + "/client.js", LK_AUTH_PUBLIC, guarded<client_script>);
}

}  // namespace latchkey::http
