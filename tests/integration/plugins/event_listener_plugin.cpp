// A second plugin for the host's event tests (host_events_test): it subscribes to events another
// plugin publishes and shows what reached it. The same library may be loaded several times (each
// entry with its own name and config); every instance keeps its own state through user_data.
//
// Config: {"prefix": "/listener", "event": "test.published" (or "*"), "behaviour": "record" |
//          "throw" (record, then throw) | "sleep" (record, then sleep 2 s)}
// Routes (public):
//   GET <prefix>/events   {"main_tid":P,"events":[{"name":N,"json":J,"tid":T}, ...]}: what arrived,
//                         on which thread (T), and the host's main thread (P, which ran init)
// Its destroy logs "listener destroyed after N event(s)", so a test can see what arrived before it.
#include <latchkey/plugin.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

const lk_host_api* api = nullptr;

struct Received {
  std::string name;
  std::string json;
  long tid;
};

struct Listener {
  lk_host* host = nullptr;
  std::string prefix;
  std::string event;
  std::string behaviour;
  long main_tid = 0;
  std::mutex mutex;
  std::vector<Received> received;
};

lk_str lit(const char* s) { return lk_str{s, std::char_traits<char>::length(s)}; }
lk_str view(const std::string& s) { return lk_str{s.data(), s.size()}; }
long thread_id() { return static_cast<long>(syscall(SYS_gettid)); }

void on_event(void* user_data, lk_str name, lk_str json) {
  auto* listener = static_cast<Listener*>(user_data);
  {
    std::lock_guard lock(listener->mutex);
    listener->received.push_back({std::string(name.ptr, name.len), std::string(json.ptr, json.len), thread_id()});
  }
  if (listener->behaviour == "throw") throw std::runtime_error("the event listener throws");
  if (listener->behaviour == "sleep") std::this_thread::sleep_for(std::chrono::seconds(2));
}

int32_t events(void* user_data, lk_request*, lk_response* res) {
  auto* listener = static_cast<Listener*>(user_data);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("main_tid");
  w.Int64(listener->main_tid);
  w.Key("events");
  w.StartArray();
  {
    std::lock_guard lock(listener->mutex);
    for (const Received& one : listener->received) {
      w.StartObject();
      w.Key("name");
      w.String(one.name.c_str(), static_cast<rapidjson::SizeType>(one.name.size()));
      w.Key("json");
      w.String(one.json.c_str(), static_cast<rapidjson::SizeType>(one.json.size()));
      w.Key("tid");
      w.Int64(one.tid);
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  api->response_set_header(res, lit("Content-Type"), lit("application/json"));
  return api->response_set_body(res, lk_str{buffer.GetString(), buffer.GetSize()});
}

std::string member(const rapidjson::Document& config, const char* name, const char* fallback) {
  return config.IsObject() && config.HasMember(name) && config[name].IsString() ? config[name].GetString() : fallback;
}

void destroy(void* state) {
  auto* listener = static_cast<Listener*>(state);
  const std::string line = "listener destroyed after " + std::to_string(listener->received.size()) + " event(s)";
  api->log(listener->host, LK_LOG_INFO, view(line));
  delete listener;
}

}  // namespace

extern "C" {

LK_PLUGIN_EXPORT const lk_plugin_info* lk_plugin_magic(void) {
  static const lk_plugin_info info = LK_PLUGIN_INFO("event_listener", "0.0.1");
  return &info;
}

LK_PLUGIN_EXPORT int32_t lk_plugin_init(const lk_host_api* host_api, lk_host* host, lk_str config,
                                        lk_plugin_instance* out) {
  api = host_api;
  rapidjson::Document document;
  document.Parse(config.ptr ? config.ptr : "{}", config.ptr ? config.len : 2);
  auto listener = new Listener;
  listener->host = host;
  listener->prefix = member(document, "prefix", "/listener");
  listener->event = member(document, "event", "test.published");
  listener->behaviour = member(document, "behaviour", "record");
  listener->main_tid = thread_id();

  const std::string path = listener->prefix + "/events";
  lk_route route{};
  route.struct_size = sizeof route;
  route.method = lit("GET");
  route.path = view(path);
  route.handler = events;
  route.user_data = listener;
  route.auth = LK_AUTH_PUBLIC;
  int32_t status = api->register_route(host, &route);
  if (status == LK_OK) status = api->subscribe_event(host, view(listener->event), on_event, listener);
  if (status != LK_OK) {
    delete listener;  // the host exits without calling destroy
    return status;
  }
  out->state = listener;
  out->destroy = destroy;
  return LK_OK;
}

}  // extern "C"
