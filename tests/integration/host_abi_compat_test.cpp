// ABI compatibility through the real host: plugins built against copies of the 1.0 and 1.1 headers
// (tests/data/abi) load into this host and answer; one claiming a newer minor is refused
// (host_lifecycle_test's PluginOfANewerAbiMinorIsRefusedByName; here, that it claims exactly ours + 1).
#include "host_test_support.h"

#include <dlfcn.h>

namespace latchkey::test {
namespace {

class HostAbiCompat : public HostTest {};

TEST_F(HostAbiCompat, HelloBuiltAgainstTheAbi10HeaderLoadsAndAnswers) {
  start_host(R"("threads": 2)", {plugin_entry("hello", kHelloAbi10Plugin), plugin_entry("test", kTestPlugin)});
  const HttpResult open = http.get(url("/hello"));
  ASSERT_EQ(open.status, 200) << open.error;
  EXPECT_EQ(open.body, "hello, world\n");
  // A 1.0 member reading what a newer plugin (the test plugin's fake auth) set.
  const HttpResult signed_in = http.get(url("/hello/private"), {{"X-Test-User", "alice"}});
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  EXPECT_EQ(signed_in.body, "hello, alice\n");
}

TEST_F(HostAbiCompat, PluginBuiltAgainstTheAbi11HeaderUsesThe11MembersOfThisHostsTable) {
  start_host(R"("threads": 2)", {plugin_entry("abi_1_1", kAbi11Plugin)});
  const HttpResult result = http.get(url("/abi11/async"));
  ASSERT_EQ(result.status, 200) << result.error << result.body;
  EXPECT_EQ(result.body, R"({"host_minor":)" + std::to_string(LK_ABI_MINOR) + R"(,"table_has_1_1":true})");
}

TEST_F(HostAbiCompat, TheRefusedNewerMinorPluginClaimsOneMoreThanThisHost) {
  void* library = dlopen(kNewerMinorPlugin.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(library, nullptr) << dlerror();
  auto magic = reinterpret_cast<lk_plugin_magic_fn>(dlsym(library, LK_PLUGIN_MAGIC_SYMBOL));
  ASSERT_NE(magic, nullptr);
  EXPECT_EQ(magic()->abi_major, static_cast<uint32_t>(LK_ABI_MAJOR));
  EXPECT_EQ(magic()->abi_minor, static_cast<uint32_t>(LK_ABI_MINOR + 1));
  dlclose(library);

  host.write_config(host_config("", {plugin_entry("newer_minor_plugin", kNewerMinorPlugin)}));
  const ExitResult refused = host.run_to_exit({"--config", host.config_path().string(), "--listen", "127.0.0.1:0"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("newer than this host"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace latchkey::test
