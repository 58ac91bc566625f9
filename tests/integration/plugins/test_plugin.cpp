// The host's test plugin (C++): routes and filters that let the integration tests observe every
// part of a request's way through the host. NOT for production: its authenticate-stage filter takes
// the principal from a request header, which a real auth plugin must never do.
//
// Routes (all public unless said otherwise):
//   GET  /test/fast              {"ok":true}
//   GET  /test/sleep?ms=N        sleeps N ms (at most 2000), then {"slept_ms":N}
//   GET  /test/sleeping          {"sleeping":K}: how many requests sit in /test/sleep right now
//   GET  /test/throw             throws std::runtime_error out of the handler
//   GET  /test/fail              writes a body, then returns LK_ERR_INTERNAL
//   POST /test/echo, GET /test/items/:id   the request as JSON (see echo)
//   GET  /test/cookies           two Set-Cookie headers and a custom header
//   POST /test/set-cookies       one Set-Cookie header per line of the body, byte for byte
//   GET  /test/stage             {"default_stage_set_principal": status} seen by the default filter
//   GET  /test/protected         protected: the principal as JSON
//   GET  /test/admin             protected, roles ["admin"]: the principal as JSON
// ABI 1.1 (request_suspend, response_complete), completed from the plugin's own threads:
//   GET  /test/async?ms=N&hold=1&status=S&id=X   suspends; its thread waits (for /test/async-release
//                                when hold=1, then N ms, at most 2000), writes
//                                {"async":true,"thread_differs":B,"id":X} and completes with S (default 0)
//   GET  /test/async-inline      suspends and completes on the worker before returning: {"inline":true}
//   GET  /test/async-misuse      what complete-unsuspended, suspend-twice and complete-with-1 returned
//   GET  /test/async-filter/handler   {"handler":true,"on_plugin_thread":B}, behind the async filter
//   GET  /test/async-release     opens the gate that hold=1 requests wait at (it stays open)
//   GET  /test/async-stats       {"suspended","pending","completed","wrong_stage","invalid_argument",
//                                "other","misuse_complete","misuse_complete_again","async_principal"}
// ABI 1.2 (metrics, readiness, events): the routes of test_plugin_operations.cpp.
// Filters, in this order: test-fake-auth (authenticate stage, X-Test-User), test-default-stage
// (tries to set a principal), test-async-auth (authenticate stage: "X-Test-Async-User: subject"
// becomes the principal, set from its own thread), test-async-filter (paths under
// /test/async-filter/: its thread completes with ?then=continue, respond (202 {"filter":"respond"})
// or fail; ms and hold as above).
// Config: {"fail_init": true} makes init fail at /fail_init; lk_plugin_check_config reports /bad
// when {"bad": true}, and at /abi12_stages what the ABI 1.2 members returned there when
// {"abi12_stages": true}.
#include "test_plugin_operations.h"

#include <latchkey/plugin.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

const lk_host_api* api = nullptr;
std::atomic<int> sleeping{0};
std::atomic<int32_t> default_stage_status{1};  // 1: the default filter has not run yet

struct State {
  lk_host* host;
};

lk_str view(const std::string& s) { return lk_str{s.data(), s.size()}; }
lk_str lit(const char* s) { return lk_str{s, std::char_traits<char>::length(s)}; }
std::string text(lk_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(Writer& w, const char* key, lk_str value, int32_t status) {
  w.Key(key);
  if (status == LK_OK) w.String(value.ptr ? value.ptr : "", static_cast<rapidjson::SizeType>(value.len));
  else w.Null();
}

int32_t send_json(lk_response* res, uint32_t status, const rapidjson::StringBuffer& buffer) {
  api->response_set_status(res, status);
  return api->response_set_body(res, lk_str{buffer.GetString(), buffer.GetSize()});
}

int32_t fast(void*, lk_request*, lk_response* res) { return api->response_set_body(res, lit(R"({"ok":true})")); }

int32_t sleep_handler(void*, lk_request* req, lk_response* res) {
  lk_str ms_text{};
  int ms = 0;
  if (api->request_query(req, lit("ms"), &ms_text) == LK_OK) ms = std::atoi(text(ms_text).c_str());
  ms = std::clamp(ms, 0, 2000);
  ++sleeping;
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  --sleeping;
  const std::string body = R"({"slept_ms":)" + std::to_string(ms) + "}";
  return api->response_set_body(res, view(body));
}

int32_t sleeping_handler(void*, lk_request*, lk_response* res) {
  const std::string body = R"({"sleeping":)" + std::to_string(sleeping.load()) + "}";
  return api->response_set_body(res, view(body));
}

int32_t throw_handler(void*, lk_request*, lk_response*) { throw std::runtime_error("the test plugin throws"); }

int32_t fail_handler(void*, lk_request*, lk_response* res) {
  api->response_set_status(res, 200);
  api->response_set_body(res, lit(R"({"leaked":"SHOULD_NOT_LEAK"})"));
  return LK_ERR_INTERNAL;
}

int32_t echo(void*, lk_request* req, lk_response* res) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  lk_str value{};
  w.StartObject();
  int32_t status = api->request_method(req, &value);
  put(w, "method", value, status);
  status = api->request_path(req, &value);
  put(w, "path", value, status);
  status = api->request_param(req, lit("id"), &value);
  put(w, "id", value, status);
  status = api->request_query(req, lit("q"), &value);
  put(w, "q", value, status);
  status = api->request_header(req, lit("x-PROBE"), &value);
  put(w, "probe", value, status);
  status = api->request_cookie(req, lit("c"), &value);
  put(w, "cookie", value, status);
  status = api->request_body(req, &value);
  put(w, "body", value, status);
  status = api->request_remote_address(req, &value);
  put(w, "remote", value, status);
  status = api->request_local_origin(req, &value);
  put(w, "origin", value, status);
  uint32_t auth = 99;
  api->request_route_auth(req, &auth);
  w.Key("route_auth");
  w.Uint(auth);
  w.EndObject();
  return send_json(res, 200, buffer);
}

int32_t cookies(void*, lk_request*, lk_response* res) {
  api->response_add_set_cookie(res, lit("a=1; Path=/; HttpOnly"));
  api->response_add_set_cookie(res, lit("b=2; Path=/test; SameSite=Strict"));
  api->response_set_header(res, lit("X-Custom"), lit("first"));
  api->response_set_header(res, lit("x-custom"), lit("second"));  // replaces the first
  const int32_t refused = api->response_set_header(res, lit("X-Bad"), lit("a\r\nInjected: yes"));
  int32_t framing = api->response_set_header(res, lit("content-length"), lit("0"));
  if (framing == LK_ERR_INVALID_ARGUMENT) framing = api->response_set_header(res, lit("Content-Length "), lit("0"));
  const std::string body = R"({"crlf_header_status":)" + std::to_string(refused) +
                           R"(,"framing_header_status":)" + std::to_string(framing) + "}";
  return api->response_set_body(res, view(body));
}

// Each line of the body becomes one Set-Cookie value, exactly as given.
int32_t set_cookies_from_body(void*, lk_request* req, lk_response* res) {
  lk_str body{};
  api->request_body(req, &body);
  const std::string lines(body.ptr, body.len);
  size_t start = 0;
  while (start < lines.size()) {
    const size_t end = std::min(lines.find('\n', start), lines.size());
    const std::string line = lines.substr(start, end - start);
    if (api->response_add_set_cookie(res, view(line)) != LK_OK) return api->response_set_status(res, 400);
    start = end + 1;
  }
  return api->response_set_status(res, 204);
}

int32_t stage(void*, lk_request*, lk_response* res) {
  const std::string body = R"({"default_stage_set_principal":)" + std::to_string(default_stage_status.load()) + "}";
  return api->response_set_body(res, view(body));
}

int32_t principal_handler(void*, lk_request* req, lk_response* res) {
  lk_principal p{};
  p.struct_size = sizeof p;
  const int32_t status = api->request_get_principal(req, &p);
  if (status != LK_OK) {
    api->response_set_status(res, 500);
    return api->response_set_body(res, lit(R"({"error":"no principal in a protected handler"})"));
  }
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  put(w, "subject", p.subject, LK_OK);
  put(w, "sid", p.session_id, LK_OK);
  w.Key("roles");
  w.StartArray();
  for (uint32_t i = 0; i < p.roles_count; ++i)
    w.String(p.roles[i].ptr, static_cast<rapidjson::SizeType>(p.roles[i].len));
  w.EndArray();
  w.Key("claims");
  w.RawValue(p.claims_json.ptr, p.claims_json.len, rapidjson::kObjectType);
  w.EndObject();
  return send_json(res, 200, buffer);
}

// Sets the principal {subject, sid_prefix + subject, roles, claims {"sub": subject, marker: true}}.
int32_t set_test_principal(lk_request* req, const std::string& subject, const char* sid_prefix,
                           const std::vector<std::string>& roles, const char* marker) {
  std::vector<lk_str> role_views;
  for (const std::string& role : roles) role_views.push_back(view(role));
  const std::string sid = sid_prefix + subject;
  rapidjson::StringBuffer claims;
  Writer w(claims);
  w.StartObject();
  w.Key("sub");
  w.String(subject.c_str(), static_cast<rapidjson::SizeType>(subject.size()));
  w.Key(marker);
  w.Bool(true);
  w.EndObject();
  lk_principal p{};
  p.struct_size = sizeof p;
  p.subject = view(subject);
  p.session_id = view(sid);
  p.roles_count = static_cast<uint32_t>(role_views.size());
  p.roles = role_views.data();
  p.claims_json = lk_str{claims.GetString(), claims.GetSize()};
  return api->request_set_principal(req, &p);
}

// TEST-ONLY fake authentication: "X-Test-User: subject;role1,role2" becomes the principal. A real
// auth plugin verifies a token; taking identity from a plain header is exactly what must never ship.
int32_t fake_auth_filter(void*, lk_request* req, lk_response*) {
  lk_str header{};
  if (api->request_header(req, lit("X-Test-User"), &header) != LK_OK) return LK_FILTER_CONTINUE;
  const std::string value = text(header);
  const size_t semicolon = value.find(';');
  const std::string subject = value.substr(0, semicolon);
  std::vector<std::string> roles;
  if (semicolon != std::string::npos) {
    std::string rest = value.substr(semicolon + 1);
    size_t start = 0;
    while (start <= rest.size()) {
      const size_t comma = rest.find(',', start);
      const std::string role = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!role.empty()) roles.push_back(role);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return set_test_principal(req, subject, "sid-", roles, "test") == LK_OK ? LK_FILTER_CONTINUE : LK_ERR_INTERNAL;
}

// A default-stage filter may not set a principal: it tries, and records what the host said.
int32_t default_stage_filter(void*, lk_request* req, lk_response*) {
  const std::string intruder = "intruder";
  lk_principal p{};
  p.struct_size = sizeof p;
  p.subject = view(intruder);
  default_stage_status = api->request_set_principal(req, &p);
  return LK_FILTER_CONTINUE;
}

// ---- ABI 1.1: requests suspended here and completed from the plugin's own threads ----

// True on the plugin's completion threads, so a callback can tell whether the host ran it there.
thread_local bool on_plugin_thread = false;

// What response_complete returned (by code) and how many suspended requests await completion.
struct AsyncStats {
  std::atomic<int> suspended{0};
  std::atomic<int> pending{0};
  std::atomic<int> completed{0};
  std::atomic<int> wrong_stage{0};
  std::atomic<int> invalid_argument{0};
  std::atomic<int> other{0};
  std::atomic<int32_t> misuse_complete{1};  // 1: /test/async-misuse has not run yet
  std::atomic<int32_t> misuse_complete_again{1};
  std::atomic<int32_t> async_principal{1};  // what request_set_principal returned on test-async-auth's thread
};
AsyncStats async_stats;

void count_completion(int32_t code) {
  if (code == LK_OK) ++async_stats.completed;
  else if (code == LK_ERR_WRONG_STAGE) ++async_stats.wrong_stage;
  else if (code == LK_ERR_INVALID_ARGUMENT) ++async_stats.invalid_argument;
  else ++async_stats.other;
}

// hold=1 requests wait here until /test/async-release, or 5 s at most, so a test that forgot to
// release never stalls the host's drain.
std::mutex gate_mutex;
std::condition_variable gate_changed;
bool gate_open = false;

void open_gate() {
  {
    std::lock_guard lock(gate_mutex);
    gate_open = true;
  }
  gate_changed.notify_all();
}

// The completion threads. They run detached from the callback that started them (it returns at
// once); destroy joins them, because a thread still returning through this library when the host
// unloads it would crash.
std::mutex threads_mutex;
std::vector<std::thread> threads;

void start_plugin_thread(std::function<void()> work) {
  std::lock_guard lock(threads_mutex);
  threads.emplace_back([work = std::move(work)] {
    on_plugin_thread = true;
    work();
  });
}

void join_plugin_threads() {
  std::vector<std::thread> running;
  {
    std::lock_guard lock(threads_mutex);
    running.swap(threads);
  }
  for (std::thread& thread : running) thread.join();
}

int query_int(lk_request* req, const char* name, int fallback) {
  lk_str value{};
  return api->request_query(req, lit(name), &value) == LK_OK ? std::atoi(text(value).c_str()) : fallback;
}

// On a completion thread: waits as the request's query asks (hold=1, then ms=N).
void wait_as_asked(lk_request* req) {
  if (query_int(req, "hold", 0) == 1) {
    std::unique_lock lock(gate_mutex);
    gate_changed.wait_for(lock, std::chrono::seconds(5), [] { return gate_open; });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp(query_int(req, "ms", 0), 0, 2000)));
}

bool suspend(lk_request* req) {
  if (api->request_suspend(req) != LK_OK) return false;
  ++async_stats.suspended;
  ++async_stats.pending;
  return true;
}

// Completes a request that suspend() counted; after this, req and res are the host's again.
void complete(lk_response* res, int32_t status) {
  --async_stats.pending;
  const int32_t code = api->response_complete(res, status);
  count_completion(code);  // a status the callback could not return still completes it (as a 500)
}

int32_t async_handler(void*, lk_request* req, lk_response* res) {
  if (!suspend(req)) return LK_ERR_INTERNAL;
  const std::thread::id worker = std::this_thread::get_id();
  start_plugin_thread([req, res, worker] {
    wait_as_asked(req);
    lk_str id{};
    const int32_t has_id = api->request_query(req, lit("id"), &id);
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("async");
    w.Bool(true);
    w.Key("thread_differs");
    w.Bool(std::this_thread::get_id() != worker);
    put(w, "id", id, has_id);
    w.EndObject();
    send_json(res, 200, buffer);
    complete(res, query_int(req, "status", LK_OK));
  });
  return LK_ERR_INTERNAL;  // ignored: once suspended, the status given to response_complete counts
}

int32_t async_inline(void*, lk_request* req, lk_response* res) {
  if (!suspend(req)) return LK_ERR_INTERNAL;
  api->response_set_body(res, lit(R"({"inline":true})"));
  complete(res, LK_OK);
  return LK_ERR_INTERNAL;  // ignored: the request was completed with LK_OK
}

// Every call here is one the host must refuse, except the first suspend and the first complete.
// The second complete is only safe because the callback has not returned yet (the host still holds
// the request); its code is reported through /test/async-stats, as res may no longer be written.
int32_t async_misuse(void*, lk_request* req, lk_response* res) {
  const int32_t unsuspended = api->response_complete(res, LK_OK);
  const int32_t first = api->request_suspend(req);
  const int32_t again = api->request_suspend(req);
  const std::string body = R"({"complete_unsuspended":)" + std::to_string(unsuspended) + R"(,"suspend":)" +
                           std::to_string(first) + R"(,"suspend_again":)" + std::to_string(again) + "}";
  api->response_set_body(res, view(body));
  async_stats.misuse_complete = api->response_complete(res, LK_OK);
  async_stats.misuse_complete_again = api->response_complete(res, LK_OK);
  return LK_OK;
}

int32_t async_filter_handler(void*, lk_request*, lk_response* res) {
  return api->response_set_body(
      res, on_plugin_thread ? lit(R"({"handler":true,"on_plugin_thread":true})")
                            : lit(R"({"handler":true,"on_plugin_thread":false})"));
}

int32_t async_release(void*, lk_request*, lk_response* res) {
  open_gate();
  return api->response_set_body(res, lit(R"({"released":true})"));
}

int32_t async_stats_handler(void*, lk_request*, lk_response* res) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  const std::pair<const char*, int> counts[] = {
      {"suspended", async_stats.suspended},
      {"pending", async_stats.pending},
      {"completed", async_stats.completed},
      {"wrong_stage", async_stats.wrong_stage},
      {"invalid_argument", async_stats.invalid_argument},
      {"other", async_stats.other},
      {"misuse_complete", async_stats.misuse_complete},
      {"misuse_complete_again", async_stats.misuse_complete_again},
      {"async_principal", async_stats.async_principal},
  };
  for (const auto& [key, count] : counts) {
    w.Key(key);
    w.Int(count);
  }
  w.EndObject();
  return send_json(res, 200, buffer);
}

// Authenticate stage: sets the principal from its own thread, then lets the request go on.
int32_t async_auth_filter(void*, lk_request* req, lk_response* res) {
  lk_str header{};
  if (api->request_header(req, lit("X-Test-Async-User"), &header) != LK_OK) return LK_FILTER_CONTINUE;
  if (!suspend(req)) return LK_ERR_INTERNAL;
  // header is a view the host keeps alive until the completion (plugin.h, ABI 1.1).
  start_plugin_thread([req, res, header] {
    const int32_t set = set_test_principal(req, text(header), "async-sid-", {"user"}, "async");
    async_stats.async_principal = set;
    complete(res, set == LK_OK ? LK_FILTER_CONTINUE : LK_ERR_INTERNAL);
  });
  return LK_FILTER_CONTINUE;  // ignored once suspended
}

// Default stage, paths under /test/async-filter/: its own thread decides how the request goes on.
int32_t async_filter(void*, lk_request* req, lk_response* res) {
  lk_str path{};
  api->request_path(req, &path);
  if (text(path).rfind("/test/async-filter/", 0) != 0) return LK_FILTER_CONTINUE;
  if (!suspend(req)) return LK_ERR_INTERNAL;
  start_plugin_thread([req, res] {
    wait_as_asked(req);
    lk_str then{};
    api->request_query(req, lit("then"), &then);
    int32_t status = LK_FILTER_CONTINUE;
    if (text(then) == "respond") {
      api->response_set_status(res, 202);
      api->response_set_body(res, lit(R"({"filter":"respond"})"));
      status = LK_FILTER_RESPOND;
    } else if (text(then) == "fail") {
      api->response_set_body(res, lit(R"({"leaked":"SHOULD_NOT_LEAK"})"));
      status = LK_ERR_INTERNAL;
    } else {
      api->response_set_header(res, lit("X-Async-Filter"), lit("continued"));  // the handler's answer keeps it
    }
    complete(res, status);
  });
  return LK_FILTER_RESPOND;  // ignored once suspended
}

void destroy(void* state) {
  auto* s = static_cast<State*>(state);
  open_gate();
  join_plugin_threads();
  api->log(s->host, LK_LOG_INFO, lit("test plugin destroyed"));
  delete s;
}

bool flag(const rapidjson::Document& config, const char* name) {
  return config.IsObject() && config.HasMember(name) && config[name].IsBool() && config[name].GetBool();
}

rapidjson::Document parse(lk_str config) {
  rapidjson::Document document;
  document.Parse(config.ptr ? config.ptr : "{}", config.ptr ? config.len : 2);
  return document;
}

int32_t add_route(lk_host* host, const char* method, const char* path, lk_handler_fn handler, uint32_t auth,
                  const std::vector<lk_str>& roles = {}) {
  lk_route route{};
  route.struct_size = sizeof route;
  route.method = lit(method);
  route.path = lit(path);
  route.handler = handler;
  route.auth = auth;
  route.roles_count = static_cast<uint32_t>(roles.size());
  route.roles = roles.empty() ? nullptr : roles.data();
  return api->register_route(host, &route);
}

}  // namespace

extern "C" {

LK_PLUGIN_EXPORT const lk_plugin_info* lk_plugin_magic(void) {
  static const lk_plugin_info info = LK_PLUGIN_INFO("test", "0.0.1");
  return &info;
}

LK_PLUGIN_EXPORT int32_t lk_plugin_check_config(const lk_host_api* host_api, lk_host* host, lk_str config) {
  if (flag(parse(config), "bad")) {
    host_api->report_config_error(host, lit("/bad"), lit("the test plugin refuses bad: true"));
    return LK_ERR_CONFIG;
  }
  if (flag(parse(config), "abi12_stages")) {
    const std::string seen = latchkey::test_plugin::operations_in_check_config(host_api, host);
    host_api->report_config_error(host, lit("/abi12_stages"), view(seen));
    return LK_ERR_CONFIG;
  }
  return LK_OK;
}

LK_PLUGIN_EXPORT int32_t lk_plugin_init(const lk_host_api* host_api, lk_host* host, lk_str config,
                                        lk_plugin_instance* out) {
  api = host_api;
  if (flag(parse(config), "fail_init")) {
    api->report_config_error(host, lit("/fail_init"), lit("asked to fail"));
    return LK_ERR_CONFIG;
  }
  const std::vector<lk_str> admin = {lit("admin")};
  const struct {
    const char* method;
    const char* path;
    lk_handler_fn handler;
    uint32_t auth;
  } routes[] = {
      {"GET", "/test/fast", fast, LK_AUTH_PUBLIC},
      {"GET", "/test/sleep", sleep_handler, LK_AUTH_PUBLIC},
      {"GET", "/test/sleeping", sleeping_handler, LK_AUTH_PUBLIC},
      {"GET", "/test/throw", throw_handler, LK_AUTH_PUBLIC},
      {"GET", "/test/fail", fail_handler, LK_AUTH_PUBLIC},
      {"POST", "/test/echo", echo, LK_AUTH_PUBLIC},
      {"GET", "/test/items/:id", echo, LK_AUTH_PUBLIC},
      {"GET", "/test/cookies", cookies, LK_AUTH_PUBLIC},
      {"POST", "/test/set-cookies", set_cookies_from_body, LK_AUTH_PUBLIC},
      {"GET", "/test/stage", stage, LK_AUTH_PUBLIC},
      {"GET", "/test/protected", principal_handler, LK_AUTH_REQUIRED},
      {"GET", "/test/async", async_handler, LK_AUTH_PUBLIC},
      {"GET", "/test/async-inline", async_inline, LK_AUTH_PUBLIC},
      {"GET", "/test/async-misuse", async_misuse, LK_AUTH_PUBLIC},
      {"GET", "/test/async-filter/handler", async_filter_handler, LK_AUTH_PUBLIC},
      {"GET", "/test/async-release", async_release, LK_AUTH_PUBLIC},
      {"GET", "/test/async-stats", async_stats_handler, LK_AUTH_PUBLIC},
  };
  for (const auto& r : routes) {
    if (int32_t status = add_route(host, r.method, r.path, r.handler, r.auth); status != LK_OK) return status;
  }
  if (int32_t status = add_route(host, "GET", "/test/admin", principal_handler, LK_AUTH_REQUIRED, admin);
      status != LK_OK)
    return status;

  lk_filter filter{};
  filter.struct_size = sizeof filter;
  filter.stage = LK_STAGE_AUTHENTICATE;
  filter.name = lit("test-fake-auth");
  filter.filter = fake_auth_filter;
  if (int32_t status = api->register_filter(host, &filter); status != LK_OK) return status;
  filter.stage = LK_STAGE_DEFAULT;
  filter.name = lit("test-default-stage");
  filter.filter = default_stage_filter;
  if (int32_t status = api->register_filter(host, &filter); status != LK_OK) return status;
  filter.stage = LK_STAGE_AUTHENTICATE;
  filter.name = lit("test-async-auth");
  filter.filter = async_auth_filter;
  if (int32_t status = api->register_filter(host, &filter); status != LK_OK) return status;
  filter.stage = LK_STAGE_DEFAULT;
  filter.name = lit("test-async-filter");
  filter.filter = async_filter;
  if (int32_t status = api->register_filter(host, &filter); status != LK_OK) return status;
  if (int32_t status = latchkey::test_plugin::register_operations(api, host); status != LK_OK) return status;

  out->state = new State{host};
  out->destroy = destroy;
  return LK_OK;
}

}  // extern "C"
