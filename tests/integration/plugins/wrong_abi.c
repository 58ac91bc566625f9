/* A plugin built for another ABI: LK_TEST_MAJOR_DELTA / LK_TEST_MINOR_DELTA are added to this
** header's version. The host must refuse it after calling lk_plugin_magic and before init. */
#include <latchkey/plugin.h>

#include <stdio.h>

#ifndef LK_TEST_MAJOR_DELTA
#define LK_TEST_MAJOR_DELTA 0
#endif
#ifndef LK_TEST_MINOR_DELTA
#define LK_TEST_MINOR_DELTA 0
#endif

LK_PLUGIN_EXPORT const lk_plugin_info* lk_plugin_magic(void) {
  static const lk_plugin_info info = {sizeof(lk_plugin_info), LK_ABI_MAJOR + LK_TEST_MAJOR_DELTA,
                                      LK_ABI_MINOR + LK_TEST_MINOR_DELTA, sizeof(void*), "wrong_abi", "0.0.1"};
  return &info;
}

LK_PLUGIN_EXPORT int32_t lk_plugin_init(const lk_host_api* api, lk_host* host, lk_str config,
                                        lk_plugin_instance* out) {
  (void)api;
  (void)host;
  (void)config;
  (void)out;
  /* Never reached when the host checks the magic first; say so loudly if it is. */
  fprintf(stderr, "WRONG_ABI_INIT_CALLED\n");
  return LK_OK;
}
