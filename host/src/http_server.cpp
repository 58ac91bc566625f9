// Bridges Pistache to the pipeline. The reactor thread only converts the request into plain values
// and answers what needs no plugin (413, 404, 405, 503); everything else runs on the worker pool,
// from where the response is written back (Pistache queues writes to the reactor thread-safely).
#include "http_server.h"

#include "log.h"
#include "static_files.h"
#include "url_decode.h"
#include "worker_pool.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

namespace latchkey::host {
namespace {

using namespace Pistache;

// A response header with any name (Pistache's typed headers only cover known names).
class NamedHeader : public Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void parse(const std::string& data) override { value_ = data; }
  void write(std::ostream& stream) const override { stream << value_; }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return std::hash<std::string>{}(name_); }
#endif

 private:
  std::string name_;
  std::string value_;
};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

HttpRequest to_plain_request(const Http::Request& request) {
  HttpRequest plain;
  plain.method = Http::methodString(request.method());
  plain.path = request.resource();
  const auto& query = request.query();
  for (auto it = query.parameters_begin(); it != query.parameters_end(); ++it) {
    plain.query.emplace(it->first, percent_decode(it->second));
  }
  for (const auto& [name, raw] : request.headers().rawList()) plain.headers[lower(name)] = raw.value();
  for (const auto& header : request.headers().list()) {
    std::ostringstream value;
    header->write(value);
    plain.headers[lower(header->name())] = value.str();
  }
  for (const Http::Cookie& cookie : request.cookies()) plain.cookies.emplace(cookie.name, cookie.value);
  plain.body = request.body();
  plain.remote_address = request.address().host();
  return plain;
}

void send_response(Http::ResponseWriter& writer, const HttpResponse& response) {
  std::string content_type = "application/json";
  for (const auto& [name, value] : response.headers) {
    if (lower(name) == "content-type") content_type = value;
    else writer.headers().add(std::make_shared<NamedHeader>(name, value));
  }
  // One Set-Cookie header per cookie: Pistache's header map holds one value per name, its cookie
  // jar one line per cookie (attributes it does not model, such as SameSite, kept in `ext`).
  for (const std::string& cookie : response.set_cookies) writer.cookies().add(Http::Cookie::fromString(cookie));
  writer.send(static_cast<Http::Code>(response.status), response.body, Http::Mime::MediaType::fromString(content_type));
}

}  // namespace

struct HttpServer::State {
  const HostConfig& config;
  const Pipeline& pipeline;
  WorkerPool* pool;  // owned by HttpServer and joined on the main thread, never from a worker
  std::atomic<bool> draining{false};
  std::mutex in_flight_mutex;
  std::condition_variable in_flight_done;
  int in_flight = 0;
  std::unique_ptr<Http::Endpoint> endpoint;
  std::mutex origin_mutex;
  std::string local_origin;

  State(const HostConfig& c, const Pipeline& p, WorkerPool* workers) : config(c), pipeline(p), pool(workers) {}

  // The origin is known only once Pistache has bound the port, which may be after the first request.
  void set_local_origin(std::string origin) {
    std::lock_guard lock(origin_mutex);
    local_origin = std::move(origin);
  }
  std::string get_local_origin() {
    std::lock_guard lock(origin_mutex);
    return local_origin;
  }

  void begin_request() {
    std::lock_guard lock(in_flight_mutex);
    ++in_flight;
  }
  void end_request() {
    std::lock_guard lock(in_flight_mutex);
    if (--in_flight == 0) in_flight_done.notify_all();
  }
};

namespace {

using Clock = std::chrono::steady_clock;

void access_log(const HttpRequest& request, uint32_t status, Clock::time_point started) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
  // Method, path (never the query), status and time only: no tokens, cookies or bodies.
  log_line(LogLevel::info, "access",
           request.method + " " + request.path + " " + std::to_string(status) + " " +
               std::to_string(micros / 1000) + "." + std::to_string(micros % 1000 / 100) + "ms");
}

class RequestHandler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(RequestHandler)
  explicit RequestHandler(std::shared_ptr<HttpServer::State> state) : state_(std::move(state)) {}

  void onRequest(const Http::Request& pistache_request, Http::ResponseWriter writer) override {
    const Clock::time_point started = Clock::now();
    auto request = std::make_shared<HttpRequest>(to_plain_request(pistache_request));
    auto answer_now = [&](const HttpResponse& response) {
      send_response(writer, response);
      access_log(*request, response.status, started);
    };
    if (state_->draining) return answer_now(json_error(503, "shutting_down", "the server is shutting down"));
    if (request->body.size() > state_->config.max_body_bytes) {
      return answer_now(json_error(413, "body_too_large",
                                   "the body exceeds " + std::to_string(state_->config.max_body_bytes) + " bytes"));
    }

    auto match = std::make_shared<RouteMatch>(state_->pipeline.router().match(request->method, request->path));
    if (match->kind == RouteMatch::Kind::method_not_allowed) {
      HttpResponse response = json_error(405, "method_not_allowed", "this path does not take " + request->method);
      response.set_header("Allow", match->allow);
      return answer_now(response);
    }
    if (match->kind == RouteMatch::Kind::not_found && request->method != "GET") {
      return answer_now(json_error(404, "not_found", "no such route"));
    }

    auto shared_writer = std::make_shared<Http::ResponseWriter>(std::move(writer));
    auto state = state_;
    state->begin_request();
    state->pool->submit([state, request, match, shared_writer, started] {
      HttpResponse response;
      try {
        if (match->kind == RouteMatch::Kind::found) {
          response = state->pipeline.run(*request, *match, state->get_local_origin());
        } else {
          auto file = serve_static(state->config.statics, request->path);
          response = file ? *file : json_error(404, "not_found", "no such route");
        }
      } catch (const std::exception& error) {
        log_line(LogLevel::error, "host", std::string("request failed: ") + error.what());
        response = json_error(500, "internal_error", "the server failed to handle the request");
      }
      send_response(*shared_writer, response);
      access_log(*request, response.status, started);
      state->end_request();
    });
  }

 private:
  std::shared_ptr<HttpServer::State> state_;
};

}  // namespace

HttpServer::HttpServer(const HostConfig& config, const Pipeline& pipeline)
    : pool_(std::make_unique<WorkerPool>(config.threads)),
      state_(std::make_shared<State>(config, pipeline, pool_.get())) {}

HttpServer::~HttpServer() {
  if (state_->endpoint) drain_and_stop(std::chrono::milliseconds(0));
  pool_.reset();  // joins the workers
}

void HttpServer::start() {
  const ListenAddress& listen = state_->config.listen;
  const bool ipv6 = listen.host.find(':') != std::string::npos;
  Address address(ipv6 ? "[" + listen.host + "]" : listen.host, Port(listen.port));
  state_->endpoint = std::make_unique<Http::Endpoint>(address);
  // Headers get 16 KiB on top of the body limit; past the whole, Pistache itself answers 413.
  auto options = Http::Endpoint::options()
                     .threads(1)
                     .flags(Tcp::Options::ReuseAddr)
                     .maxRequestSize(state_->config.max_body_bytes + 16384)
                     .maxResponseSize(64ull << 20);
  state_->endpoint->init(options);
  state_->endpoint->setHandler(Http::make_handler<RequestHandler>(state_));
  state_->endpoint->serveThreaded();
  const std::string host = ipv6 ? "[" + listen.host + "]" : listen.host;
  state_->set_local_origin("http://" + host + ":" + std::to_string(port()));
}

uint16_t HttpServer::port() const { return static_cast<uint16_t>(state_->endpoint->getPort()); }

int HttpServer::drain_and_stop(std::chrono::milliseconds limit) {
  state_->draining = true;
  int left;
  {
    std::unique_lock lock(state_->in_flight_mutex);
    state_->in_flight_done.wait_for(lock, limit, [this] { return state_->in_flight == 0; });
    left = state_->in_flight;
  }
  // Give the reactor a moment to put the last responses on the wire before it stops.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  state_->endpoint->shutdown();
  state_->endpoint.reset();
  return left;
}

}  // namespace latchkey::host
