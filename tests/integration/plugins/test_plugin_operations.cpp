// The test plugin's ABI 1.2 routes, for the host's integration tests (host_operations_test,
// host_events_test). All public:
//   GET /test/metrics/record?value=V   counter test_plugin_calls_total{kind="handler"} += 1, gauge
//                                      test_plugin_level = V, histogram test_plugin_work_seconds
//                                      observes V; answers each call's status
//   GET /test/metrics/misuse           calls the host refuses (bad names, labels, types, values),
//                                      and one it accepts (made_counter); each call's status by name
//   GET /test/ready?ready=0|1          makes the readiness check fail ("switched off by a test
//                                      route") or pass
//   GET /test/publish?id=X             publishes test.published {"id":X,"tid":T} (T: this thread's
//                                      id); answers {"status":S,"tid":T}
//   GET /test/init-calls               what publish_event and metric_counter_add returned in init
#include "test_plugin_operations.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace latchkey::test_plugin {
namespace {

const lk_host_api* api = nullptr;
lk_host* the_host = nullptr;
std::atomic<bool> is_ready{true};
int32_t publish_in_init = 1;  // 1: init has not run
int32_t metric_in_init = 1;

lk_str lit(const char* s) { return lk_str{s, std::char_traits<char>::length(s)}; }
lk_str view(const std::string& s) { return lk_str{s.data(), s.size()}; }

std::string query(lk_request* req, const char* name) {
  lk_str value{};
  return api->request_query(req, lit(name), &value) == LK_OK ? std::string(value.ptr, value.len) : std::string();
}

int32_t answer(lk_response* res, const std::string& json) {
  api->response_set_header(res, lit("Content-Type"), lit("application/json"));
  return api->response_set_body(res, view(json));
}

long thread_id() { return static_cast<long>(syscall(SYS_gettid)); }

int32_t record(void*, lk_request* req, lk_response* res) {
  const double value = std::atof(query(req, "value").c_str());
  const lk_str kind[] = {lit("kind"), lit("handler")};
  const int32_t counter = api->metric_counter_add(the_host, lit("test_plugin_calls_total"), lit("Calls of a test route"),
                                                  kind, 1, 1);
  const int32_t gauge = api->metric_gauge_set(the_host, lit("test_plugin_level"), lit("The last value given"),
                                              nullptr, 0, value);
  const int32_t histogram = api->metric_histogram_observe(the_host, lit("test_plugin_work_seconds"),
                                                          lit("Values given, as seconds"), nullptr, 0, value);
  return answer(res, R"({"counter":)" + std::to_string(counter) + R"(,"gauge":)" + std::to_string(gauge) +
                         R"(,"histogram":)" + std::to_string(histogram) + "}");
}

int32_t misuse(void*, lk_request*, lk_response* res) {
  const lk_str help = lit("help");
  const lk_str reserved[] = {lit("__reserved"), lit("v")};
  const lk_str nine[] = {lit("a"), lit("1"), lit("b"), lit("1"), lit("c"), lit("1"), lit("d"), lit("1"), lit("e"),
                         lit("1"), lit("f"), lit("1"), lit("g"), lit("1"), lit("h"), lit("1"), lit("i"), lit("1")};
  const lk_str bad_utf8[] = {lit("v"), lit("\xff")};
  const std::pair<const char*, int32_t> calls[] = {
      {"bad_metric_name", api->metric_counter_add(the_host, lit("test-plugin-bad"), help, nullptr, 0, 1)},
      {"empty_metric_name", api->metric_gauge_set(the_host, lit(""), help, nullptr, 0, 1)},
      {"reserved_label_name", api->metric_counter_add(the_host, lit("test_plugin_misuse_total"), help, reserved, 1, 1)},
      {"nine_labels", api->metric_counter_add(the_host, lit("test_plugin_nine_total"), help, nine, 9, 1)},
      {"invalid_utf8_label_value",
       api->metric_counter_add(the_host, lit("test_plugin_utf8_total"), help, bad_utf8, 1, 1)},
      {"negative_counter", api->metric_counter_add(the_host, lit("test_plugin_negative_total"), help, nullptr, 0, -1)},
      {"made_counter", api->metric_counter_add(the_host, lit("test_plugin_typed_total"), help, nullptr, 0, 1)},
      {"other_type", api->metric_gauge_set(the_host, lit("test_plugin_typed_total"), help, nullptr, 0, 1)},
      {"labels_null", api->metric_histogram_observe(the_host, lit("test_plugin_null_seconds"), help, nullptr, 1, 1)},
  };
  std::string json = "{";
  for (const auto& [name, status] : calls) {
    if (json.size() > 1) json += ",";
    json += "\"" + std::string(name) + "\":" + std::to_string(status);
  }
  return answer(res, json + "}");
}

int32_t set_ready(void*, lk_request* req, lk_response* res) {
  is_ready = query(req, "ready") != "0";
  return answer(res, is_ready ? R"({"ready":true})" : R"({"ready":false})");
}

int32_t readiness(void*, char* reason, size_t size) {
  if (is_ready) return LK_OK;
  std::snprintf(reason, size, "switched off by a test route");
  return LK_ERR_INTERNAL;
}

int32_t publish(void*, lk_request* req, lk_response* res) {
  // The id is echoed inside a JSON string: keep it to characters that need no escaping.
  std::string id = query(req, "id");
  for (char& c : id)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  const long tid = thread_id();
  const std::string event = R"({"id":")" + id + R"(","tid":)" + std::to_string(tid) + "}";
  const int32_t status = api->publish_event(the_host, lit("test.published"), view(event));
  return answer(res, R"({"status":)" + std::to_string(status) + R"(,"tid":)" + std::to_string(tid) + "}");
}

void ignore_event(void*, lk_str, lk_str) {}

int32_t init_calls(void*, lk_request*, lk_response* res) {
  return answer(res, R"({"publish_in_init":)" + std::to_string(publish_in_init) + R"(,"metric_in_init":)" +
                         std::to_string(metric_in_init) + "}");
}

}  // namespace

std::string operations_in_check_config(const lk_host_api* host_api, lk_host* host) {
  const int32_t metric = host_api->metric_counter_add(host, lit("test_plugin_checks_total"), lit("Checks"), nullptr, 0, 1);
  const int32_t ready = host_api->register_readiness(host, readiness, nullptr);
  const int32_t published = host_api->publish_event(host, lit("test.published"), lit("{}"));
  const int32_t subscribed = host_api->subscribe_event(host, lit("test.published"), ignore_event, nullptr);
  return "metric=" + std::to_string(metric) + " readiness=" + std::to_string(ready) +
         " publish=" + std::to_string(published) + " subscribe=" + std::to_string(subscribed);
}

int32_t register_operations(const lk_host_api* host_api, lk_host* host) {
  api = host_api;
  the_host = host;
  publish_in_init = api->publish_event(host, lit("test.published"), lit(R"({"from":"init"})"));
  metric_in_init = api->metric_counter_add(host, lit("test_plugin_inits_total"), lit("Inits of the test plugin"),
                                           nullptr, 0, 1);
  if (int32_t status = api->register_readiness(host, readiness, nullptr); status != LK_OK) return status;
  const struct {
    const char* path;
    lk_handler_fn handler;
  } routes[] = {{"/test/metrics/record", record}, {"/test/metrics/misuse", misuse}, {"/test/ready", set_ready},
                {"/test/publish", publish},       {"/test/init-calls", init_calls}};
  for (const auto& r : routes) {
    lk_route route{};
    route.struct_size = sizeof route;
    route.method = lit("GET");
    route.path = lit(r.path);
    route.handler = r.handler;
    route.auth = LK_AUTH_PUBLIC;
    if (int32_t status = api->register_route(host, &route); status != LK_OK) return status;
  }
  return LK_OK;
}

}  // namespace latchkey::test_plugin
