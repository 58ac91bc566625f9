/* A plugin built against a copy of the ABI 1.1 header (tests/data/abi/1.1), claiming minor 1 and
** using the 1.1 members (request_suspend, response_complete) through a newer host's table.
** GET /abi11/async suspends its request and completes it before returning:
**   {"host_minor":M,"table_has_1_1":true} (M: the host table's abi_minor). */
#include <latchkey/plugin.h>

#include <stdio.h>
#include <string.h>

#if LK_ABI_MAJOR != 1 || LK_ABI_MINOR != 1
#error "abi_1_1_plugin must be built against tests/data/abi/1.1/latchkey/plugin.h"
#endif

static const lk_host_api* host_api;

static int32_t suspended_answer(void* user_data, lk_request* req, lk_response* res) {
  (void)user_data;
  /* A table shorter than the 1.1 one would not hold the members below. */
  const int has_1_1 = host_api->struct_size >= sizeof(lk_host_api);
  if (!has_1_1 || host_api->request_suspend(req) != LK_OK) return LK_ERR_INTERNAL;
  char text[96];
  const int length = snprintf(text, sizeof text, "{\"host_minor\":%u,\"table_has_1_1\":%s}",
                              (unsigned)host_api->abi_minor, has_1_1 ? "true" : "false");
  host_api->response_set_header(res, LK_STR_LIT("Content-Type"), LK_STR_LIT("application/json"));
  lk_str body = {text, (size_t)length};
  host_api->response_set_body(res, body);
  host_api->response_complete(res, LK_OK);
  return LK_ERR_INTERNAL; /* ignored: the request was completed with LK_OK */
}

LK_PLUGIN_EXPORT const lk_plugin_info* lk_plugin_magic(void) {
  static const lk_plugin_info info = LK_PLUGIN_INFO("abi_1_1", "1.1.0");
  return &info;
}

LK_PLUGIN_EXPORT int32_t lk_plugin_init(const lk_host_api* api, lk_host* host, lk_str config,
                                        lk_plugin_instance* out) {
  (void)config;
  (void)out;
  host_api = api;
  lk_route route;
  memset(&route, 0, sizeof route);
  route.struct_size = sizeof route;
  route.method = LK_STR_LIT("GET");
  route.path = LK_STR_LIT("/abi11/async");
  route.handler = suspended_answer;
  route.auth = LK_AUTH_PUBLIC;
  return api->register_route(host, &route);
}
