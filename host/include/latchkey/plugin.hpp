// latchkey/plugin.hpp: a header-only C++17 layer over latchkey/plugin.h for plugin authors.
//
// It adds no ABI: everything here is inline and only calls the lk_host_api table, so a plugin
// built with it is, to the host, a C plugin like any other. What it adds: string_view accessors,
// std::optional for what may be absent, lambdas or member functions as handlers and filters
// (owned by the plugin, freed after its destroy), exceptions caught at the boundary (logged,
// answered 500 by the host; the host stays up), RAII for suspended requests, and one macro that
// defines the entry points:
//
//   class Hello {
//    public:
//     explicit Hello(latchkey::Setup& setup) {
//       setup.route({"GET", "/hello", latchkey::Auth::Public},
//                   [](latchkey::Request&, latchkey::Response& res) { res.set_body("hello"); });
//       setup.route({"GET", "/me"}, this, &Hello::me);  // protected: the default
//     }
//     void me(latchkey::Request& req, latchkey::Response& res) { res.set_body(req.principal()->subject); }
//   };
//   LATCHKEY_PLUGIN(Hello, "hello", "1.0.0");
//
// OWNERSHIP and THREADING are those of plugin.h: every string_view the host gives (a header, the
// principal, the config) is borrowed and valid until the callback returns (for a suspended
// request, until it completes); anything given to the host is copied before the call returns.
// The plugin class is built and destroyed on the main thread; its handlers and filters run on the
// host's workers concurrently, so guard shared state. Build with -fvisibility=hidden: only the
// three lk_plugin_* entry points the macro defines are exported.
#ifndef LATCHKEY_PLUGIN_HPP
#define LATCHKEY_PLUGIN_HPP

#include <latchkey/plugin.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// The namespace is shared with embed.hpp (Caller, ConfigError, Embedded): one program may include
// both, so no name here is one of those.
namespace latchkey {

inline std::string_view view(lk_str s) { return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view(); }
inline lk_str str(std::string_view s) { return lk_str{s.data(), s.size()}; }

// A host function refused a call (its negative LK_ERR_* is status()). Thrown by the wrappers
// below; when it leaves a handler or filter the host answers 500 and the message is logged.
class Error : public std::runtime_error {
 public:
  Error(int32_t status, const char* call) : std::runtime_error(describe(status, call)), status_(status) {}
  int32_t status() const { return status_; }

 private:
  static std::string describe(int32_t status, const char* call) {
    char text[160];  // snprintf, not std::to_string: that would export a symbol from the plugin
    std::snprintf(text, sizeof text, "latchkey: %s returned %d", call, static_cast<int>(status));
    return text;
  }
  int32_t status_;
};

// Thrown from the plugin's constructor or check_config: reported at pointer (a JSON pointer into
// the plugin's config, "" for the whole object) and the plugin is refused (LK_ERR_CONFIG).
class InvalidConfig : public std::runtime_error {
 public:
  InvalidConfig(std::string pointer, const std::string& reason)
      : std::runtime_error(reason), pointer_(std::move(pointer)) {}
  const std::string& pointer() const { return pointer_; }

 private:
  std::string pointer_;
};

enum class Auth : uint32_t { Required = LK_AUTH_REQUIRED, Public = LK_AUTH_PUBLIC };
enum class Filter : int32_t { Continue = LK_FILTER_CONTINUE, Respond = LK_FILTER_RESPOND };
enum class Stage : uint32_t { Default = LK_STAGE_DEFAULT, Authenticate = LK_STAGE_AUTHENTICATE };
enum class Level : int32_t { Debug = LK_LOG_DEBUG, Info = LK_LOG_INFO, Warn = LK_LOG_WARN, Error = LK_LOG_ERROR };

// The plugin's handle on the host: two pointers, cheap to copy, valid while the plugin is loaded.
class Host {
 public:
  Host(const lk_host_api* api, lk_host* host) : api_(api), host_(host) {}
  // One line in the host's log, prefixed with the plugin's name. Any thread. Never pass secrets.
  void log(Level level, std::string_view message) const noexcept {
    api_->log(host_, static_cast<int32_t>(level), str(message));
  }
  // The folder of the host config file: resolve relative paths of the config against it.
  std::string_view config_dir() const {
    lk_str out{};
    check(api_->config_dir(host_, &out), "config_dir");
    return view(out);
  }
  // True when the host has ABI 1.1's request_suspend and response_complete.
  bool can_suspend() const { return api_->struct_size >= offsetof(lk_host_api, response_complete) + sizeof(void*); }
  // True when the host has ABI 1.2's metrics, readiness and events. On an older host the calls
  // below do nothing and return LK_ERR_WRONG_STAGE.
  bool can_operate() const { return api_->struct_size >= offsetof(lk_host_api, subscribe_event) + sizeof(void*); }

  // Metrics for the host's /metrics (plugin.h, ABI 1.2: name rules, limits). Any thread; noexcept,
  // so a metric never fails a request: check the status while developing. Label values become
  // series: never an email, a token, an address or a user id.
  using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;
  int32_t counter_add(std::string_view name, std::string_view help, Labels labels = {}, double value = 1) const noexcept {
    return metric(&lk_host_api::metric_counter_add, name, help, labels, value);
  }
  int32_t gauge_set(std::string_view name, std::string_view help, Labels labels, double value) const noexcept {
    return metric(&lk_host_api::metric_gauge_set, name, help, labels, value);
  }
  int32_t histogram_observe(std::string_view name, std::string_view help, Labels labels, double value) const noexcept {
    return metric(&lk_host_api::metric_histogram_observe, name, help, labels, value);
  }
  // Queues an event for the subscribers of its name (after the change it reports committed).
  int32_t publish(std::string_view name, std::string_view json) const noexcept {
    return can_operate() ? api_->publish_event(host_, str(name), str(json)) : LK_ERR_WRONG_STAGE;
  }
  const lk_host_api* api() const { return api_; }
  lk_host* raw() const { return host_; }

  static void check(int32_t status, const char* call) {
    if (status < 0) throw Error(status, call);
  }

 private:
  using MetricFn = int32_t (*lk_host_api::*)(lk_host*, lk_str, lk_str, const lk_str*, uint32_t, double);
  int32_t metric(MetricFn fn, std::string_view name, std::string_view help, Labels labels, double value) const noexcept {
    if (!can_operate()) return LK_ERR_WRONG_STAGE;
    lk_str pairs[16] = {};
    if (labels.size() > 8) return LK_ERR_INVALID_ARGUMENT;
    size_t i = 0;
    for (const auto& [label, label_value] : labels) {
      pairs[i++] = str(label);
      pairs[i++] = str(label_value);
    }
    return (api_->*fn)(host_, str(name), str(help), pairs, static_cast<uint32_t>(labels.size()), value);
  }

  const lk_host_api* api_;
  lk_host* host_;
};

// Who is calling, as an authenticate-stage filter set it. Read from a request, its views are
// borrowed like every other (copy what you keep); given to set_principal, the host copies them.
struct Principal {
  std::string_view subject;     // the user id (a token's sub)
  std::string_view session_id;  // its sid
  std::vector<std::string_view> roles;
  std::string_view claims_json;  // the verified claims, a JSON object text
  bool has_role(std::string_view role) const {
    for (std::string_view r : roles)
      if (r == role) return true;
    return false;
  }
};

// The request a handler or filter was given. Valid only during that callback (or, suspended,
// until completion); one thread at a time. Absent things are std::nullopt; a call the host
// refuses otherwise throws Error.
class Request {
 public:
  Request(Host host, lk_request* req) : host_(host), req_(req) {}
  std::string_view method() const { return get(host_.api()->request_method, "request_method"); }
  std::string_view path() const { return get(host_.api()->request_path, "request_path"); }  // as sent
  std::optional<std::string_view> param(std::string_view name) const {  // a ":name" segment, decoded
    return find(host_.api()->request_param, name, "request_param");
  }
  std::optional<std::string_view> query(std::string_view name) const {  // first value, decoded
    return find(host_.api()->request_query, name, "request_query");
  }
  std::optional<std::string_view> header(std::string_view name) const {  // case-insensitive name
    return find(host_.api()->request_header, name, "request_header");
  }
  std::optional<std::string_view> cookie(std::string_view name) const {
    return find(host_.api()->request_cookie, name, "request_cookie");
  }
  std::string_view body() const { return get(host_.api()->request_body, "request_body"); }
  std::string_view remote_address() const { return get(host_.api()->request_remote_address, "request_remote_address"); }
  std::string_view local_origin() const { return get(host_.api()->request_local_origin, "request_local_origin"); }
  Auth route_auth() const {
    uint32_t auth = 0;
    Host::check(host_.api()->request_route_auth(req_, &auth), "request_route_auth");
    return static_cast<Auth>(auth);
  }

  // The caller, or std::nullopt when anonymous (never on a protected route: the host answered 401).
  std::optional<Principal> principal() const {
    lk_principal p{};
    p.struct_size = sizeof p;  // the host fills only what this build knows
    const int32_t status = host_.api()->request_get_principal(req_, &p);
    if (status == LK_ERR_NOT_FOUND) return std::nullopt;
    Host::check(status, "request_get_principal");
    Principal out{view(p.subject), view(p.session_id), std::vector<std::string_view>(p.roles_count),
                  view(p.claims_json)};
    for (uint32_t i = 0; i < p.roles_count; ++i) out.roles[i] = view(p.roles[i]);
    return out;
  }
  // Only in a filter of Stage::Authenticate (else Error with LK_ERR_WRONG_STAGE).
  void set_principal(const Principal& principal) {
    std::vector<lk_str> roles(principal.roles.size());
    for (size_t i = 0; i < roles.size(); ++i) roles[i] = str(principal.roles[i]);
    lk_principal p{};
    p.struct_size = sizeof p;
    p.subject = str(principal.subject);
    p.session_id = str(principal.session_id);
    p.roles_count = static_cast<uint32_t>(roles.size());
    p.roles = roles.data();
    p.claims_json = str(principal.claims_json);
    Host::check(host_.api()->request_set_principal(req_, &p), "request_set_principal");
  }

  const Host& host() const { return host_; }
  lk_request* raw() const { return req_; }

 private:
  using Getter = int32_t (*)(lk_request*, lk_str*);
  using Finder = int32_t (*)(lk_request*, lk_str, lk_str*);
  std::string_view get(Getter fn, const char* call) const {
    lk_str out{};
    Host::check(fn(req_, &out), call);
    return view(out);
  }
  std::optional<std::string_view> find(Finder fn, std::string_view name, const char* call) const {
    lk_str out{};
    const int32_t status = fn(req_, str(name), &out);
    if (status == LK_ERR_NOT_FOUND) return std::nullopt;
    Host::check(status, call);
    return view(out);
  }

  Host host_;
  lk_request* req_;
};

// The response being written: 200 with an empty body until set; a body without Content-Type is
// sent as JSON. Same lifetime and threading as Request. Setters return *this for chaining.
class Response {
 public:
  Response(const lk_host_api* api, lk_response* res) : api_(api), res_(res) {}
  Response& set_status(uint32_t status) {  // 100..599
    Host::check(api_->response_set_status(res_, status), "response_set_status");
    return *this;
  }
  // Replaces a header of the same name. Refused (Error): a name that is no token, CR/LF/NUL in the
  // value, Content-Length, Transfer-Encoding, Connection, and Set-Cookie (use add_set_cookie).
  Response& set_header(std::string_view name, std::string_view value) {
    Host::check(api_->response_set_header(res_, str(name), str(value)), "response_set_header");
    return *this;
  }
  Response& add_set_cookie(std::string_view value) {  // everything after "Set-Cookie: "
    Host::check(api_->response_add_set_cookie(res_, str(value)), "response_add_set_cookie");
    return *this;
  }
  Response& set_body(std::string_view body) {
    Host::check(api_->response_set_body(res_, str(body)), "response_set_body");
    return *this;
  }
  lk_response* raw() const { return res_; }

 private:
  const lk_host_api* api_;
  lk_response* res_;
};

// A request taken off the worker (ABI 1.1): made by suspend() inside a handler or filter, then
// moved to a thread of the plugin's own, which completes it once. Until then the host keeps the
// request, the response and their views alive; use them from one thread at a time, and never
// after completing. Destroyed without completing (an exception, a forgotten path), it completes
// as a 500, so no request is left hanging. The plugin's destructor must join the threads that
// hold these (see plugin.h, ABI 1.1). complete* and fail run on any thread and return the host's
// status (LK_ERR_WRONG_STAGE when already completed).
class Suspended {
 public:
  Suspended(Suspended&& other) noexcept : req_(other.req_), res_(other.res_), pending_(other.pending_) {
    other.pending_ = false;
  }
  Suspended& operator=(Suspended&& other) noexcept {
    if (this != &other) {
      drop();
      req_ = other.req_, res_ = other.res_, pending_ = other.pending_;
      other.pending_ = false;
    }
    return *this;
  }
  Suspended(const Suspended&) = delete;
  Suspended& operator=(const Suspended&) = delete;
  ~Suspended() { drop(); }

  Request& request() { return req_; }
  Response& response() { return res_; }
  bool pending() const { return pending_; }
  int32_t complete() noexcept { return finish(LK_OK); }  // a handler: send the response
  int32_t complete(Filter next) noexcept { return finish(static_cast<int32_t>(next)); }  // a filter
  int32_t fail() noexcept { return finish(LK_ERR_INTERNAL); }  // 500; what was written is discarded

 private:
  friend Suspended suspend(Request& req, Response& res);
  Suspended(Request req, Response res) : req_(req), res_(res), pending_(true) {}
  void drop() noexcept {
    if (!pending_) return;
    req_.host().log(Level::Error, "a suspended request was dropped without completing: answered 500");
    fail();
  }
  int32_t finish(int32_t status) noexcept {
    if (!pending_) return LK_ERR_WRONG_STAGE;
    pending_ = false;  // before the call: afterwards req and res are the host's again
    return req_.host().api()->response_complete(res_.raw(), status);
  }

  Request req_;
  Response res_;
  bool pending_;
};

// Suspends the request of the running handler or filter (on its own thread, once). What the
// callback returns afterwards is ignored. Error when the host refuses or predates ABI 1.1.
inline Suspended suspend(Request& req, Response& res) {
  if (!req.host().can_suspend()) throw Error(LK_ERR_WRONG_STAGE, "request_suspend (host older than ABI 1.1)");
  Host::check(req.host().api()->request_suspend(req.raw()), "request_suspend");
  return Suspended(req, res);
}

using Handler = std::function<void(Request&, Response&)>;
using FilterFn = std::function<Filter(Request&, Response&)>;

namespace detail {

// What a route or filter's user_data points to: the plugin's callable and the C trampoline
// that calls it, catching every exception (plugin.h: none may reach the host).
template <class Result>
struct Callback {
  Host host;
  std::string what;  // "GET /path" or "filter name", for the log line
  std::function<Result(Request&, Response&)> fn;

  static int32_t call(void* self, lk_request* req, lk_response* res) noexcept {
    auto& cb = *static_cast<Callback*>(self);
    try {
      Request request(cb.host, req);
      Response response(cb.host.api(), res);
      if constexpr (std::is_void_v<Result>) {
        cb.fn(request, response);
        return LK_OK;
      } else {
        return static_cast<int32_t>(cb.fn(request, response));
      }
    } catch (const std::exception& e) {
      cb.report(e.what());
    } catch (...) {
      cb.report("an exception not derived from std::exception");
    }
    return LK_ERR_INTERNAL;  // the host answers 500 {"error":"internal_error"}
  }
  void report(const char* message) const noexcept {
    try {
      host.log(Level::Error, what + " threw: " + message);
    } catch (...) {  // no memory for the line: the host still logs the 500
    }
  }
};

// A readiness check or an event subscriber (ABI 1.2), with its C trampoline.
struct ReadinessCheck {
  Host host;
  std::function<std::optional<std::string>()> fn;  // nullopt: ready; else why not

  static int32_t call(void* self, char* reason, size_t reason_size) noexcept {
    auto& check = *static_cast<ReadinessCheck*>(self);
    try {
      const std::optional<std::string> failure = check.fn();
      if (!failure) return LK_OK;
      std::snprintf(reason, reason_size, "%s", failure->c_str());
    } catch (const std::exception& e) {
      std::snprintf(reason, reason_size, "readiness check threw: %s", e.what());
    } catch (...) {
      std::snprintf(reason, reason_size, "readiness check threw");
    }
    return LK_ERR_INTERNAL;
  }
};

struct Subscriber {
  Host host;
  std::function<void(std::string_view name, std::string_view json)> fn;

  static void call(void* self, lk_str name, lk_str json) noexcept {
    auto& subscriber = *static_cast<Subscriber*>(self);
    try {
      subscriber.fn(view(name), view(json));
    } catch (const std::exception& e) {
      subscriber.host.log(Level::Error, std::string("event subscriber threw: ") + e.what());
    } catch (...) {
      subscriber.host.log(Level::Error, "event subscriber threw");
    }
  }
};

struct Callbacks {  // a deque: growing it never moves what the host already points to
  std::deque<Callback<void>> handlers;
  std::deque<Callback<Filter>> filters;
  std::deque<ReadinessCheck> readiness;
  std::deque<Subscriber> subscribers;
};

}  // namespace detail

// A route: protected unless auth is Auth::Public; with roles, the principal needs one of them
// (else the host answers 403 insufficient_role). The host copies every view.
struct Route {
  std::string_view method;  // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string_view path;    // "/notes/:id": read a ":name" segment with Request::param
  Auth auth = Auth::Required;
  std::vector<std::string_view> roles = {};
};

// The plugin's config, given to its constructor and to check_config, on the main thread.
class Config {
 public:
  Config(Host host, lk_str json) : host_(host), json_(view(json)) {}
  // The plugin entry's "config" value as JSON text ("" when there is none). Valid during the call.
  std::string_view json() const { return json_; }
  // Reports a problem at pointer ("/tokens/secret", relative to the config). Report every one,
  // then return: the plugin is refused (LK_ERR_CONFIG). Throw InvalidConfig to stop at the first.
  void report_error(std::string_view pointer, std::string_view reason) {
    failed_ = true;
    Host::check(host_.api()->report_config_error(host_.raw(), str(pointer), str(reason)), "report_config_error");
  }
  bool failed() const { return failed_; }
  const Host& host() const { return host_; }

 private:
  Host host_;
  std::string_view json_;
  bool failed_ = false;
};

// Given to the plugin's constructor: the config, and registration of routes and filters (only
// there; the host refuses it later). Handlers and filters are kept until after the destructor.
class Setup : public Config {
 public:
  Setup(Host host, lk_str json, detail::Callbacks& callbacks) : Config(host, json), callbacks_(callbacks) {}

  // handler: any callable void(Request&, Response&). Returning sends the response; throwing is a 500.
  void route(const Route& spec, Handler handler) {
    auto& cb = callbacks_.handlers.emplace_back(
        detail::Callback<void>{host(), std::string(spec.method) + " " + std::string(spec.path), std::move(handler)});
    std::vector<lk_str> roles(spec.roles.size());
    for (size_t i = 0; i < roles.size(); ++i) roles[i] = str(spec.roles[i]);
    lk_route r{};
    r.struct_size = sizeof r;
    r.auth = static_cast<uint32_t>(spec.auth);
    r.roles_count = static_cast<uint32_t>(roles.size());
    r.method = str(spec.method);
    r.path = str(spec.path);
    r.roles = roles.data();
    r.handler = &detail::Callback<void>::call;
    r.user_data = &cb;
    Host::check(host().api()->register_route(host().raw(), &r), "register_route");
  }
  template <class T>
  void route(const Route& spec, T* object, void (T::*method)(Request&, Response&)) {
    route(spec, [object, method](Request& req, Response& res) { (object->*method)(req, res); });
  }

  // filter: any callable Filter(Request&, Response&), run on every routed request in registration
  // order. Filter::Respond when it wrote the whole answer; only Stage::Authenticate may set_principal.
  void filter(std::string_view name, FilterFn fn, Stage stage = Stage::Default) {
    auto& cb = callbacks_.filters.emplace_back(
        detail::Callback<Filter>{host(), "filter " + std::string(name), std::move(fn)});
    lk_filter f{};
    f.struct_size = sizeof f;
    f.stage = static_cast<uint32_t>(stage);
    f.name = str(name);
    f.filter = &detail::Callback<Filter>::call;
    f.user_data = &cb;
    Host::check(host().api()->register_filter(host().raw(), &f), "register_filter");
  }
  template <class T>
  void filter(std::string_view name, T* object, Filter (T::*method)(Request&, Response&),
              Stage stage = Stage::Default) {
    filter(name, [object, method](Request& req, Response& res) { return (object->*method)(req, res); }, stage);
  }

  // ABI 1.2. check runs on a worker for each GET of the host's ready path (keep it under 1 s):
  // nullopt when ready, else a short reason (no secrets: the path is public).
  void readiness(std::function<std::optional<std::string>()> check) {
    auto& cb = callbacks_.readiness.emplace_back(detail::ReadinessCheck{host(), std::move(check)});
    Host::check(host().can_operate() ? host().api()->register_readiness(host().raw(), &detail::ReadinessCheck::call, &cb)
                                     : LK_ERR_WRONG_STAGE,
                "register_readiness");
  }
  // ABI 1.2. fn gets each event of that name ("*": every event) on a worker, one at a time.
  void subscribe(std::string_view name, std::function<void(std::string_view name, std::string_view json)> fn) {
    auto& cb = callbacks_.subscribers.emplace_back(detail::Subscriber{host(), std::move(fn)});
    Host::check(host().can_operate()
                    ? host().api()->subscribe_event(host().raw(), str(name), &detail::Subscriber::call, &cb)
                    : LK_ERR_WRONG_STAGE,
                "subscribe_event");
  }

 private:
  detail::Callbacks& callbacks_;
};

namespace detail {

template <class T, class = void>
struct has_check_config : std::false_type {};
template <class T>
struct has_check_config<T, std::void_t<decltype(T::check_config(std::declval<Config&>()))>> : std::true_type {};

// The plugin's state: its object, and the callbacks the host points to (declared first, so
// they outlive the object, whose destructor may still join threads).
template <class T>
struct Instance {
  Callbacks callbacks;
  std::optional<T> plugin;
};

// Turns what escaped the plugin's constructor or check_config (stage) into a status, saying why.
inline int32_t failure(Config& config, const char* stage, std::exception_ptr error) noexcept {
  const auto say = [&](const char* why) noexcept {
    try {
      config.host().log(Level::Error, std::string(stage) + " failed: " + why);
    } catch (...) {  // no memory for the line: the host still names the plugin
    }
  };
  try {
    std::rethrow_exception(error);
  } catch (const InvalidConfig& e) {
    try {
      config.report_error(e.pointer(), e.what());
    } catch (...) {
    }
    return LK_ERR_CONFIG;
  } catch (const Error& e) {
    say(e.what());
    return e.status();
  } catch (const std::exception& e) {
    say(e.what());
  } catch (...) {
    say("an exception not derived from std::exception");
  }
  return LK_ERR_INTERNAL;
}

template <class T>
int32_t init(const lk_host_api* api, lk_host* host, lk_str config, lk_plugin_instance* out) noexcept {
  Config outside(Host(api, host), config);  // reports what escapes the constructor
  try {
    auto instance = std::make_unique<Instance<T>>();
    Setup setup(outside.host(), config, instance->callbacks);
    instance->plugin.emplace(setup);
    if (setup.failed()) return LK_ERR_CONFIG;  // the host exits before serving: nothing runs
    out->state = instance.release();           // the host hands it to destroy after the last request
    out->destroy = [](void* state) { delete static_cast<Instance<T>*>(state); };
    return LK_OK;
  } catch (...) {
    return failure(outside, "init", std::current_exception());
  }
}

// lk_plugin_check_config: T::check_config(Config&) when T has one (static), else nothing to check.
template <class T>
int32_t check_config(const lk_host_api* api, lk_host* host, lk_str config) noexcept {
  Config checked(Host(api, host), config);
  if constexpr (has_check_config<T>::value) {
    try {
      T::check_config(checked);
    } catch (...) {
      return failure(checked, "check_config", std::current_exception());
    }
  }
  return checked.failed() ? LK_ERR_CONFIG : LK_OK;
}

}  // namespace detail
}  // namespace latchkey

// Defines the plugin's entry points (exported; everything else stays hidden) for class Class,
// built in lk_plugin_init from a latchkey::Setup& and destroyed by the host's destroy call. name
// and version are string literals, the lk_plugin_info the host checks first. The plugin declares
// this header's ABI minor, so an older host refuses it by name. Use it once, at file scope,
// followed by a semicolon.
#define LATCHKEY_PLUGIN(Class, name, version)                                                              \
  extern "C" LK_PLUGIN_EXPORT const lk_plugin_info* lk_plugin_magic(void) {                                \
    static const lk_plugin_info info = LK_PLUGIN_INFO(name, version);                                      \
    return &info;                                                                                          \
  }                                                                                                        \
  extern "C" LK_PLUGIN_EXPORT int32_t lk_plugin_init(const lk_host_api* api, lk_host* host, lk_str config, \
                                                     lk_plugin_instance* out) {                            \
    return ::latchkey::detail::init<Class>(api, host, config, out);                                        \
  }                                                                                                        \
  extern "C" LK_PLUGIN_EXPORT int32_t lk_plugin_check_config(const lk_host_api* api, lk_host* host,        \
                                                             lk_str config) {                              \
    return ::latchkey::detail::check_config<Class>(api, host, config);                                     \
  }                                                                                                        \
  static_assert(std::is_constructible_v<Class, ::latchkey::Setup&>,                                        \
                #Class " needs a constructor taking latchkey::Setup&")

#endif  // LATCHKEY_PLUGIN_HPP
