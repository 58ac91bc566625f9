// The ABI golden test: the layout of every struct in latchkey/plugin.h (sizeof, and offsetof and
// sizeof of every member) and the ABI's constants, for x86_64, compared with
// tests/data/host/abi_golden.txt. A layout change without an ABI version bump fails; after a bump,
// regenerate the file:
//   LATCHKEY_ABI_GOLDEN_REGENERATE=1 build/tests/unit/host/host_unit_tests --gtest_filter='AbiGolden.*'
#include <latchkey/plugin.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Each struct's members, in order: one list feeds the golden lines and the padding checks, and a
// member missing here shows up as padding (sizeof > sum of listed members).
#define LK_STR_MEMBERS(X) X(lk_str, ptr) X(lk_str, len)
#define LK_PLUGIN_INFO_MEMBERS(X)                                                                        \
  X(lk_plugin_info, struct_size) X(lk_plugin_info, abi_major) X(lk_plugin_info, abi_minor)             \
  X(lk_plugin_info, pointer_size) X(lk_plugin_info, name) X(lk_plugin_info, version)
#define LK_PLUGIN_INSTANCE_MEMBERS(X)                                                                    \
  X(lk_plugin_instance, struct_size) X(lk_plugin_instance, reserved) X(lk_plugin_instance, state)       \
  X(lk_plugin_instance, destroy)
#define LK_ROUTE_MEMBERS(X)                                                                              \
  X(lk_route, struct_size) X(lk_route, auth) X(lk_route, roles_count) X(lk_route, reserved)             \
  X(lk_route, method) X(lk_route, path) X(lk_route, roles) X(lk_route, handler) X(lk_route, user_data)
#define LK_FILTER_MEMBERS(X)                                                                             \
  X(lk_filter, struct_size) X(lk_filter, stage) X(lk_filter, name) X(lk_filter, filter)                 \
  X(lk_filter, user_data)
#define LK_PRINCIPAL_MEMBERS(X)                                                                          \
  X(lk_principal, struct_size) X(lk_principal, roles_count) X(lk_principal, subject)                    \
  X(lk_principal, session_id) X(lk_principal, roles) X(lk_principal, claims_json)
#define LK_HOST_API_MEMBERS(X)                                                                           \
  X(lk_host_api, struct_size) X(lk_host_api, abi_minor) X(lk_host_api, register_route)                  \
  X(lk_host_api, register_filter) X(lk_host_api, report_config_error) X(lk_host_api, config_dir)        \
  X(lk_host_api, log) X(lk_host_api, request_method) X(lk_host_api, request_path)                       \
  X(lk_host_api, request_param) X(lk_host_api, request_query) X(lk_host_api, request_header)            \
  X(lk_host_api, request_cookie) X(lk_host_api, request_body) X(lk_host_api, request_remote_address)    \
  X(lk_host_api, request_local_origin) X(lk_host_api, request_route_auth)                               \
  X(lk_host_api, request_set_principal) X(lk_host_api, request_get_principal)                           \
  X(lk_host_api, response_set_status) X(lk_host_api, response_set_header)                               \
  X(lk_host_api, response_add_set_cookie) X(lk_host_api, response_set_body)                             \
  X(lk_host_api, request_suspend) X(lk_host_api, response_complete)                                     \
  X(lk_host_api, metric_counter_add) X(lk_host_api, metric_gauge_set)                                   \
  X(lk_host_api, metric_histogram_observe) X(lk_host_api, register_readiness)                           \
  X(lk_host_api, publish_event) X(lk_host_api, subscribe_event)

#define MEMBER_SIZE(type, member) sizeof(static_cast<type*>(nullptr)->member)
#define SUM_SIZE(type, member) +MEMBER_SIZE(type, member)

// No implicit padding: the members' sizes add up to the struct's size.
static_assert(0 LK_STR_MEMBERS(SUM_SIZE) == sizeof(lk_str), "lk_str has padding");
static_assert(0 LK_PLUGIN_INFO_MEMBERS(SUM_SIZE) == sizeof(lk_plugin_info), "lk_plugin_info has padding");
static_assert(0 LK_PLUGIN_INSTANCE_MEMBERS(SUM_SIZE) == sizeof(lk_plugin_instance),
              "lk_plugin_instance has padding");
static_assert(0 LK_ROUTE_MEMBERS(SUM_SIZE) == sizeof(lk_route), "lk_route has padding");
static_assert(0 LK_FILTER_MEMBERS(SUM_SIZE) == sizeof(lk_filter), "lk_filter has padding");
static_assert(0 LK_PRINCIPAL_MEMBERS(SUM_SIZE) == sizeof(lk_principal), "lk_principal has padding");
static_assert(0 LK_HOST_API_MEMBERS(SUM_SIZE) == sizeof(lk_host_api), "lk_host_api has padding");

struct Member {
  const char* name;
  size_t offset;
  size_t size;
};
struct Layout {
  const char* name;
  size_t size;
  std::vector<Member> members;
};

#define MEMBER_ENTRY(type, member) Member{#member, offsetof(type, member), MEMBER_SIZE(type, member)},
#define LAYOUT(type, LIST) Layout{#type, sizeof(type), {LIST(MEMBER_ENTRY)}}

std::vector<Layout> layouts() {
  return {LAYOUT(lk_str, LK_STR_MEMBERS),
          LAYOUT(lk_plugin_info, LK_PLUGIN_INFO_MEMBERS),
          LAYOUT(lk_plugin_instance, LK_PLUGIN_INSTANCE_MEMBERS),
          LAYOUT(lk_route, LK_ROUTE_MEMBERS),
          LAYOUT(lk_filter, LK_FILTER_MEMBERS),
          LAYOUT(lk_principal, LK_PRINCIPAL_MEMBERS),
          LAYOUT(lk_host_api, LK_HOST_API_MEMBERS)};
}

std::string version_line() {
  return "abi " + std::to_string(LK_ABI_MAJOR) + "." + std::to_string(LK_ABI_MINOR);
}

// The golden lines: the version first, then constants and layouts.
std::vector<std::string> current_lines() {
  std::vector<std::string> lines = {version_line(), "pointer_size " + std::to_string(sizeof(void*))};
#define CONSTANT(name) lines.push_back(std::string("const " #name " ") + std::to_string(static_cast<long long>(name)));
  CONSTANT(LK_OK) CONSTANT(LK_ERR_INVALID_ARGUMENT) CONSTANT(LK_ERR_NOT_FOUND) CONSTANT(LK_ERR_WRONG_STAGE)
  CONSTANT(LK_ERR_CONFIG) CONSTANT(LK_ERR_INTERNAL) CONSTANT(LK_AUTH_REQUIRED) CONSTANT(LK_AUTH_PUBLIC)
  CONSTANT(LK_FILTER_CONTINUE) CONSTANT(LK_FILTER_RESPOND) CONSTANT(LK_STAGE_DEFAULT) CONSTANT(LK_STAGE_AUTHENTICATE)
  CONSTANT(LK_LOG_DEBUG) CONSTANT(LK_LOG_INFO) CONSTANT(LK_LOG_WARN) CONSTANT(LK_LOG_ERROR)
  CONSTANT(LK_EVENT_MAX_BYTES)
#undef CONSTANT
  for (const Layout& layout : layouts()) {
    lines.push_back("struct " + std::string(layout.name) + " size " + std::to_string(layout.size));
    for (const Member& member : layout.members) {
      lines.push_back("  " + std::string(layout.name) + "." + member.name + " offset " +
                      std::to_string(member.offset) + " size " + std::to_string(member.size));
    }
  }
  return lines;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

void write_golden(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::trunc);
  out << "# The ABI of host/include/latchkey/plugin.h on x86_64, checked by tests/unit/host/abi_golden_test.cpp.\n"
         "# Regenerate only after bumping LK_ABI_MAJOR/LK_ABI_MINOR (see the test's header comment).\n";
  for (const std::string& line : lines) out << line << "\n";
}

std::string differences(const std::vector<std::string>& golden, const std::vector<std::string>& now) {
  std::ostringstream out;
  for (size_t i = 0; i < std::max(golden.size(), now.size()); ++i) {
    const std::string was = i < golden.size() ? golden[i] : "<none>";
    const std::string is = i < now.size() ? now[i] : "<none>";
    if (was != is) out << "\n  golden: " << was << "\n  header: " << is;
  }
  return out.str();
}

TEST(AbiGolden, LayoutMatchesGoldenFileUnlessVersionBumped) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "the golden file records the x86_64 layout";
#endif
  const std::string path = LATCHKEY_ABI_GOLDEN_FILE;
  const std::vector<std::string> now = current_lines();
  if (std::getenv("LATCHKEY_ABI_GOLDEN_REGENERATE")) {
    write_golden(path, now);
    GTEST_SKIP() << "regenerated " << path;
  }
  const std::vector<std::string> golden = read_lines(path);
  ASSERT_FALSE(golden.empty()) << "cannot read " << path;
  if (golden == now) return;
  if (golden.front() == now.front()) {
    FAIL() << "plugin.h changed without an ABI version bump (still " << now.front()
           << "): bump LK_ABI_MINOR for an append at the end of a struct, LK_ABI_MAJOR for anything else, "
              "then regenerate "
           << path << ". Differences:" << differences(golden, now);
  }
  FAIL() << "the ABI version changed (" << golden.front() << " -> " << now.front()
         << "): regenerate the golden file with LATCHKEY_ABI_GOLDEN_REGENERATE=1 "
            "host_unit_tests --gtest_filter='AbiGolden.*' and review its diff. Differences:"
         << differences(golden, now);
}

TEST(AbiGolden, EveryStructHasNoImplicitPadding) {
  for (const Layout& layout : layouts()) {
    size_t sum = 0;
    size_t expected_offset = 0;
    for (const Member& member : layout.members) {
      EXPECT_EQ(member.offset, expected_offset) << layout.name << "." << member.name << " follows a gap";
      expected_offset = member.offset + member.size;
      sum += member.size;
    }
    EXPECT_EQ(sum, layout.size) << layout.name << " has padding or an unlisted member";
  }
}

TEST(AbiGolden, EveryStructStartsWithStructSize) {
  for (const Layout& layout : layouts()) {
    if (std::string(layout.name) == "lk_str") continue;  // a plain view, not a versioned struct
    ASSERT_FALSE(layout.members.empty());
    EXPECT_STREQ(layout.members.front().name, "struct_size") << layout.name;
    EXPECT_EQ(layout.members.front().size, sizeof(uint32_t)) << layout.name;
  }
}

}  // namespace
