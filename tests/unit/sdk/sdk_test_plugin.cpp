// A plugin written with latchkey/plugin.hpp alone, built as C++17 and as C++20 with -Werror, that
// sdk_test.cpp loads into the real host. Each route exercises one part of the C++ layer:
//   GET  /sdk/public             public: "<greeting>, <subject or world>" as text/plain
//   GET  /sdk/me                 protected: the principal as JSON
//   GET  /sdk/admin              roles ["admin"], a member function: {"admin": subject}
//   GET  /sdk/items/:id, POST /sdk/echo   public: what the request accessors return
//   GET  /sdk/throw, /sdk/throw-int       public: a handler that throws
//   GET  /sdk/bad-header         public: sets Content-Length, which the host refuses (Error)
//   GET  /sdk/stage              public: what set_principal threw in the default-stage filter
//   GET  /sdk/async?ms=N         public: suspended, completed from the plugin's thread
//   GET  /sdk/async-dropped, /sdk/async-throw   public: a Suspended destroyed uncompleted
// Filters: "sdk-auth" (authenticate stage) makes "X-Sdk-User: subject;role1,role2" the principal,
// a TEST-ONLY fake a real plugin must never ship; "sdk-default" answers 418 itself for
// "X-Sdk-Teapot" and suspends for "X-Sdk-Async-Filter: continue|respond".
// Config: {"greeting": string} (default "hello"), and to make init fail once the routes are
// registered, "fail": "throw" (a std::runtime_error) or "fail": "duplicate" (a route registered
// twice, which the host refuses); any other member is an error.
#include <latchkey/plugin.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using latchkey::Filter;
using latchkey::Request;
using latchkey::Response;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
void put(Writer& w, std::optional<std::string_view> s) { s ? put(w, *s) : (void)w.Null(); }

template <class Fill>
void send_json(Response& res, uint32_t status, Fill fill) {
  rapidjson::StringBuffer b;
  Writer w(b);
  fill(w);
  res.set_status(status).set_body(std::string_view(b.GetString(), b.GetSize()));
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= text.size();) {
    const size_t end = std::min(text.find(separator, start), text.size());
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

class SdkPlugin {
 public:
  explicit SdkPlugin(latchkey::Setup& setup) : host_(setup.host()) {
    const auto [greeting, fail] = read_config(setup);
    greeting_ = greeting;
    setup.filter("sdk-auth", this, &SdkPlugin::fake_auth, latchkey::Stage::Authenticate);
    setup.filter("sdk-default", [this](Request& req, Response& res) { return default_filter(req, res); });

    const auto public_route = [](const char* method, const char* path) {
      return latchkey::Route{method, path, latchkey::Auth::Public};
    };
    setup.route(public_route("GET", "/sdk/public"), [this](Request& req, Response& res) {
      const auto principal = req.principal();
      res.set_header("Content-Type", "text/plain; charset=utf-8");
      res.set_body(greeting_ + ", " + std::string(principal ? principal->subject : "world"));
    });
    setup.route({"GET", "/sdk/me"}, this, &SdkPlugin::me);
    setup.route({"GET", "/sdk/admin", latchkey::Auth::Required, {"admin"}}, this, &SdkPlugin::admin);
    setup.route(public_route("GET", "/sdk/items/:id"), this, &SdkPlugin::echo);
    setup.route(public_route("POST", "/sdk/echo"), this, &SdkPlugin::echo);
    setup.route(public_route("GET", "/sdk/throw"),
                [](Request&, Response& res) {
                  res.set_status(202).set_body("half written");  // discarded: the host answers 500
                  throw std::runtime_error("sdk test: thrown on purpose");
                });
    setup.route(public_route("GET", "/sdk/throw-int"), [](Request&, Response&) { throw 42; });
    setup.route(public_route("GET", "/sdk/bad-header"),
                [](Request&, Response& res) { res.set_header("Content-Length", "1"); });
    setup.route(public_route("GET", "/sdk/stage"), [this](Request&, Response& res) {
      res.set_body("{\"set_principal_status\":" + std::to_string(default_stage_status_.load()) + "}");
    });
    setup.route(public_route("GET", "/sdk/async"), this, &SdkPlugin::async);
    setup.route(public_route("GET", "/sdk/async-dropped"), [this](Request& req, Response& res) {
      run([s = latchkey::suspend(req, res)]() mutable { auto dropped = std::move(s); });
    });
    setup.route(public_route("GET", "/sdk/async-throw"), [](Request& req, Response& res) {
      auto suspended = latchkey::suspend(req, res);
      throw std::runtime_error("sdk test: thrown while suspended");
    });
    // ABI 1.2: a counter, a readiness check a route toggles, events to itself (one subscriber
    // throws on "sdk.boom"; "sdk.ping" is remembered for /sdk/last-event).
    setup.route(public_route("GET", "/sdk/count"), [this](Request& req, Response& res) {
      const auto kind = req.query("kind");
      res.set_body("{\"status\":" +
                   std::to_string(host_.counter_add("sdk_calls_total", "Calls of /sdk/count", {{"kind", kind ? *kind : "none"}})) +
                   "}");
    });
    setup.route(public_route("GET", "/sdk/bad-metric"), [this](Request&, Response& res) {
      res.set_body("{\"status\":" + std::to_string(host_.counter_add("bad name", "help")) + "}");
    });
    setup.route(public_route("POST", "/sdk/ready"), [this](Request& req, Response&) {
      std::lock_guard lock(state_mutex_);
      not_ready_ = req.query("down") ? std::optional<std::string>("sdk test says down") : std::nullopt;
    });
    setup.readiness([this]() -> std::optional<std::string> {
      std::lock_guard lock(state_mutex_);
      return not_ready_;
    });
    setup.route(public_route("POST", "/sdk/publish/:name"), [this](Request& req, Response& res) {
      res.set_body("{\"status\":" + std::to_string(host_.publish(*req.param("name"), req.body())) + "}");
    });
    setup.subscribe("sdk.boom", [](std::string_view, std::string_view) { throw std::runtime_error("sdk test: boom"); });
    setup.subscribe("sdk.ping", [this](std::string_view, std::string_view json) {
      std::lock_guard lock(state_mutex_);
      last_event_ = std::string(json);
    });
    setup.route(public_route("GET", "/sdk/last-event"), [this](Request&, Response& res) {
      std::lock_guard lock(state_mutex_);
      res.set_body(last_event_.empty() ? "null" : last_event_);
    });
    if (fail == "throw") throw std::runtime_error("sdk test: init refused");
    if (fail == "duplicate") setup.route(public_route("GET", "/sdk/public"), [](Request&, Response&) {});
    host_.log(latchkey::Level::Info, "ready, greeting " + greeting_);
  }

  ~SdkPlugin() {  // on the main thread after the last request: join every completing thread
    std::lock_guard lock(threads_mutex_);
    for (std::thread& t : threads_) t.join();
    host_.log(latchkey::Level::Info, "stopped after " + std::to_string(threads_.size()) + " suspensions");
  }

  static void check_config(latchkey::Config& config) { read_config(config); }

 private:
  static std::pair<std::string, std::string> read_config(latchkey::Config& config) {
    rapidjson::Document doc;
    doc.Parse(config.json().data(), config.json().size());
    if (doc.HasParseError() || !doc.IsObject()) throw latchkey::InvalidConfig("", "must be a JSON object");
    std::string greeting = "hello", fail;
    // By index: comparing RapidJSON's member iterators is ambiguous to clang in C++20 (-Werror).
    for (rapidjson::SizeType i = 0; i < doc.MemberCount(); ++i) {
      const auto& m = doc.MemberBegin()[i];
      const std::string key = m.name.GetString();
      if (key == "fail" && m.value.IsString()) {
        fail = m.value.GetString();
      } else if (key != "greeting") {
        config.report_error("/" + key, "unknown setting");
      } else if (!m.value.IsString()) {
        throw latchkey::InvalidConfig("/greeting", "must be a string");
      } else {
        greeting = m.value.GetString();
      }
    }
    return {greeting, fail};
  }

  Filter fake_auth(Request& req, Response&) {
    const auto header = req.header("X-Sdk-User");
    if (!header) return Filter::Continue;
    const size_t semicolon = std::min(header->find(';'), header->size());
    const std::string subject(header->substr(0, semicolon)), sid = "sid-" + subject;
    const std::string claims = "{\"sub\":\"" + subject + "\",\"sdk\":true}";
    req.set_principal({subject, sid, split(header->substr(std::min(semicolon + 1, header->size())), ','), claims});
    return Filter::Continue;
  }

  Filter default_filter(Request& req, Response& res) {
    try {
      req.set_principal({"intruder", "", {}, "{}"});
      default_stage_status_ = 0;
    } catch (const latchkey::Error& e) {
      default_stage_status_ = e.status();
    }
    if (req.header("X-Sdk-Teapot")) {
      res.set_status(418).set_body(R"({"filter":"teapot"})");
      return Filter::Respond;
    }
    if (const auto mode = req.header("X-Sdk-Async-Filter")) {
      const bool respond = *mode == "respond";
      run([s = latchkey::suspend(req, res), respond]() mutable {
        if (respond) s.response().set_status(202).set_body(R"({"filter":"async"})");
        s.complete(respond ? Filter::Respond : Filter::Continue);
      });
    }
    return Filter::Continue;
  }

  void me(Request& req, Response& res) {
    const latchkey::Principal p = req.principal().value();  // protected: the host guarantees one
    send_json(res, 200, [&](Writer& w) {
      w.StartObject();
      w.Key("subject"), put(w, p.subject), w.Key("session_id"), put(w, p.session_id);
      w.Key("roles"), w.StartArray();
      for (std::string_view role : p.roles) put(w, role);
      w.EndArray();
      w.Key("claims"), w.RawValue(p.claims_json.data(), p.claims_json.size(), rapidjson::kObjectType);
      w.Key("is_admin"), w.Bool(p.has_role("admin"));
      w.EndObject();
    });
  }

  void admin(Request& req, Response& res) {
    send_json(res, 200, [&](Writer& w) { w.StartObject(), w.Key("admin"), put(w, req.principal()->subject), w.EndObject(); });
  }

  void echo(Request& req, Response& res) {
    send_json(res, 200, [&](Writer& w) {
      w.StartObject();
      w.Key("method"), put(w, req.method()), w.Key("path"), put(w, req.path());
      w.Key("id"), put(w, req.param("id")), w.Key("q"), put(w, req.query("q"));
      w.Key("missing"), put(w, req.query("missing")), w.Key("probe"), put(w, req.header("x-probe"));
      w.Key("cookie"), put(w, req.cookie("c")), w.Key("body"), put(w, req.body());
      w.Key("remote"), put(w, req.remote_address()), w.Key("origin"), put(w, req.local_origin());
      w.Key("public"), w.Bool(req.route_auth() == latchkey::Auth::Public);
      w.EndObject();
    });
  }

  void async(Request& req, Response& res) {
    const int ms = std::stoi(std::string(req.query("ms").value_or("0")));
    const auto worker = std::this_thread::get_id();
    run([s = latchkey::suspend(req, res), ms, worker]() mutable {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      const bool differs = std::this_thread::get_id() != worker;
      send_json(s.response(), 200, [&](Writer& w) {
        w.StartObject(), w.Key("async"), w.Bool(true), w.Key("thread_differs"), w.Bool(differs), w.EndObject();
      });
      s.complete();
    });
  }

  // Runs work on a thread of the plugin's own, joined by the destructor.
  template <class Work>
  void run(Work work) {
    std::lock_guard lock(threads_mutex_);
    threads_.emplace_back(std::move(work));
  }

  latchkey::Host host_;
  std::mutex state_mutex_;
  std::optional<std::string> not_ready_;
  std::string last_event_;
  std::string greeting_;
  std::atomic<int32_t> default_stage_status_{1};  // 1: the default filter has not run yet
  std::mutex threads_mutex_;
  std::vector<std::thread> threads_;
};

}  // namespace

LATCHKEY_PLUGIN(SdkPlugin, "sdk", "1.0.0");
