/*
** The hello example: a plugin in plain C, built against latchkey/plugin.h alone.
** GET /hello is public, GET /hello/private is protected; one handler serves both, so the two
** differ only by authentication. The private one answers the caller's subject.
*/
#include <latchkey/plugin.h>

#include <stdio.h>
#include <string.h>

static const lk_host_api* host_api;

static int32_t say_hello(void* user_data, lk_request* req, lk_response* res) {
  (void)user_data;
  lk_principal principal;
  memset(&principal, 0, sizeof principal);
  principal.struct_size = sizeof principal;

  char text[512];
  int length;
  if (host_api->request_get_principal(req, &principal) == LK_OK) {
    /* The subject is the user id the auth filter verified; cap what we echo. */
    int shown = principal.subject.len > 400 ? 400 : (int)principal.subject.len;
    length = snprintf(text, sizeof text, "hello, %.*s\n", shown, principal.subject.ptr);
  } else {
    length = snprintf(text, sizeof text, "hello, world\n");
  }
  host_api->response_set_header(res, LK_STR_LIT("Content-Type"), LK_STR_LIT("text/plain; charset=utf-8"));
  lk_str body = {text, (size_t)length};
  return host_api->response_set_body(res, body);
}

LK_PLUGIN_EXPORT const lk_plugin_info* lk_plugin_magic(void) {
  /* ABI 1.0, not this header's minor: hello uses only 1.0 members, so it loads into every 1.x host. */
  static const lk_plugin_info info = {sizeof(lk_plugin_info), LK_ABI_MAJOR, 0, sizeof(void*), "hello", "1.0.0"};
  return &info;
}

LK_PLUGIN_EXPORT int32_t lk_plugin_init(const lk_host_api* api, lk_host* host, lk_str config,
                                        lk_plugin_instance* out) {
  (void)config;
  (void)out; /* no state, no destroy */
  host_api = api;

  lk_route route;
  memset(&route, 0, sizeof route);
  route.struct_size = sizeof route;
  route.method = LK_STR_LIT("GET");
  route.handler = say_hello;

  route.path = LK_STR_LIT("/hello");
  route.auth = LK_AUTH_PUBLIC;
  int32_t status = api->register_route(host, &route);
  if (status != LK_OK) return status;

  route.path = LK_STR_LIT("/hello/private");
  route.auth = LK_AUTH_REQUIRED; /* also what a zero-filled route means */
  return api->register_route(host, &route);
}
