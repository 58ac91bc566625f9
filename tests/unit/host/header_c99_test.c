/* plugin.h compiles as strict C99 (-std=c99 -pedantic -Werror -Wall -Wextra): building this file is
** the test. Running it checks that LK_STR_LIT and LK_PLUGIN_INFO give what they promise. */
#include <latchkey/plugin.h>

#include <stdio.h>
#include <string.h>

static int32_t handler(void* user_data, lk_request* req, lk_response* res) {
  (void)user_data;
  (void)req;
  (void)res;
  return LK_OK;
}

int main(void) {
  static const lk_plugin_info info = LK_PLUGIN_INFO("c99", "0.0.1");
  lk_str hello = LK_STR_LIT("hello");
  lk_route route;
  memset(&route, 0, sizeof route);
  route.struct_size = sizeof route;
  route.method = LK_STR_LIT("GET");
  route.path = LK_STR_LIT("/c99");
  route.handler = handler;

  int failures = 0;
  if (hello.len != 5 || memcmp(hello.ptr, "hello", 5) != 0) {
    fprintf(stderr, "LK_STR_LIT gave a wrong view\n");
    ++failures;
  }
  if (info.struct_size != sizeof(lk_plugin_info) || info.abi_major != LK_ABI_MAJOR ||
      info.abi_minor != LK_ABI_MINOR || info.pointer_size != sizeof(void*) || strcmp(info.name, "c99") != 0 ||
      strcmp(info.version, "0.0.1") != 0) {
    fprintf(stderr, "LK_PLUGIN_INFO filled the wrong fields\n");
    ++failures;
  }
  if (route.auth != LK_AUTH_REQUIRED) {
    fprintf(stderr, "a zero-filled route is not protected\n");
    ++failures;
  }
  return failures == 0 ? 0 : 1;
}
