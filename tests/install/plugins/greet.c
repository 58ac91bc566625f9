/* A C plugin built out of tree: GREET_PREFIX/public answers anyone, GREET_PREFIX/private only an
** authenticated caller, whose subject it answers. Built by CMake and by pkg-config alone. */
#include <latchkey/plugin.h>

#include <stdio.h>
#include <string.h>

static const lk_host_api* host_api;

static int32_t greet(void* user_data, lk_request* req, lk_response* res) {
  (void)user_data;
  lk_principal principal;
  memset(&principal, 0, sizeof principal);
  principal.struct_size = sizeof principal;
  char text[512];
  int length;
  if (host_api->request_get_principal(req, &principal) == LK_OK) {
    int shown = principal.subject.len > 400 ? 400 : (int)principal.subject.len;
    length = snprintf(text, sizeof text, "%s private %.*s", GREET_NAME, shown, principal.subject.ptr);
  } else {
    length = snprintf(text, sizeof text, "%s public", GREET_NAME);
  }
  lk_str body = {text, (size_t)length};
  return host_api->response_set_body(res, body);
}

LK_PLUGIN_EXPORT const lk_plugin_info* lk_plugin_magic(void) {
  static const lk_plugin_info info = {sizeof(lk_plugin_info), LK_ABI_MAJOR, 0, sizeof(void*), GREET_NAME, "1.0.0"};
  return &info;
}

LK_PLUGIN_EXPORT int32_t lk_plugin_init(const lk_host_api* api, lk_host* host, lk_str config, lk_plugin_instance* out) {
  (void)config;
  (void)out;
  host_api = api;
  lk_route route;
  memset(&route, 0, sizeof route);
  route.struct_size = sizeof route;
  route.method = LK_STR_LIT("GET");
  route.handler = greet;
  route.path = LK_STR_LIT(GREET_PREFIX "/public");
  route.auth = LK_AUTH_PUBLIC;
  int32_t status = api->register_route(host, &route);
  if (status != LK_OK) return status;
  route.path = LK_STR_LIT(GREET_PREFIX "/private");
  route.auth = LK_AUTH_REQUIRED;
  return api->register_route(host, &route);
}
