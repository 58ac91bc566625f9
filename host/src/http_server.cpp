// Bridges Pistache to the pipeline. The reactor thread only converts the request into plain values
// and answers what needs no plugin (413, 404, 405, 503); everything else runs on the worker pool,
// from where the response is written to the socket directly (the reactor's queue takes what the
// socket cannot take at once).
#include "http_server.h"

#include "front_door/plain_request.h"
#include "front_door/request_reader.h"
#include "front_door/response_writing.h"
#include "log.h"
#include "metrics/http_metrics.h"
#include "operator_routes.h"

#include <pistache/endpoint.h>
#include <pistache/peer.h>
#include <pistache/http.h>

#include <sys/socket.h>

#include <cerrno>

#include <mutex>
#include <optional>
#include <thread>

namespace latchkey::host {
using namespace Pistache;

struct HttpServer::State {
  const HostConfig& config;
  RequestRunner& runner;
  OperatorRoutes operators;
  metrics::HttpMetrics http_metrics;
  std::unique_ptr<Http::Endpoint> endpoint;
  std::mutex origin_mutex;
  std::string local_origin;

  State(const HostConfig& c, RequestRunner& r, HostServices& services)
      : config(c),
        runner(r),
        operators(c, services),
        http_metrics(
            services.metrics, c.metrics.has_value(), [&r] { return static_cast<double>(r.in_flight()); },
            [&r] { return static_cast<double>(r.queue_depth()); }) {}

  // The origin is known only once Pistache has bound the port, which may be after the first request.
  void set_local_origin(std::string origin) {
    std::lock_guard lock(origin_mutex);
    local_origin = std::move(origin);
  }
  std::string get_local_origin() {
    std::lock_guard lock(origin_mutex);
    return local_origin;
  }
};

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point started) {
  return std::chrono::duration<double>(Clock::now() - started).count();
}

// The route label of an answer: the matched pattern, else a static file or nothing.
std::string_view route_label(std::string_view pattern, uint32_t status) {
  if (!pattern.empty()) return pattern;
  return status < 400 ? metrics::kStaticRoute : metrics::kUnmatchedRoute;
}

// The largest request head (request line and headers) the host reads; past it, 431.
constexpr size_t kMaxHeadBytes = 16384;

// One connection's state, kept in Pistache's per-peer data. The reactor thread feeds the gate;
// responses are written from workers; the mutex orders them. `disconnected` is set before Pistache
// closes the socket, and every write and half-close checks it under the mutex, so none reaches a
// descriptor number that a new connection has taken. (Pistache's idle sweep is the exception: it
// closes without telling the handler, after 60 s without an answer: see docs/HOST.md.)
struct Connection {
  std::mutex mutex;
  ConnectionGate gate;
  bool disconnected = false;
  // Writes handed to the reactor's queue and not finished: while any is, later responses queue
  // behind it instead of going straight to the socket, so their bytes never interleave.
  int queued_writes = 0;
  Connection(size_t max_head, size_t max_body) : gate(max_head, max_body) {}
};

// Where one response goes.
struct ReplyTo {
  std::weak_ptr<Tcp::Peer> peer;
  Http::Version version;
  std::shared_ptr<Connection> connection;
};

// After the whole response is on the wire: either the connection reads the next request or, when
// it said `close` (or the client pipelined meanwhile), the host ends its sending side. The client
// reads the answer, then the end; what it still sends is dropped. Called with the mutex held.
void response_written(Connection& connection, Tcp::Peer& peer) {
  if (connection.gate.response_written() && !connection.disconnected) ::shutdown(peer.fd(), SHUT_WR);
}

// Writes a response from the calling thread (a worker, mostly) straight to the socket: a response
// fits the socket's buffer nearly always, and then the reactor is not woken for it at all. What
// does not fit goes to the reactor's write queue, which sends it as the client reads.
void respond(const ReplyTo& to, const HttpResponse& response) {
  const std::shared_ptr<Tcp::Peer> peer = to.peer.lock();
  if (!peer) return;  // Pistache has forgotten the connection: nobody to answer
  Connection& connection = *to.connection;
  bool keep_alive;
  {
    std::lock_guard lock(connection.mutex);
    keep_alive = connection.gate.response_starts();
  }
  std::string wire = wire_response(response, to.version, keep_alive);
  std::optional<Async::Promise<ssize_t>> queued;
  {
    std::lock_guard lock(connection.mutex);
    if (connection.disconnected) return;
    peer->setIdle(true);  // Pistache's keep-alive timer counts from here, as its own send does
    size_t sent = 0;
    if (connection.queued_writes == 0) {
      const ssize_t written = ::send(peer->fd(), wire.data(), wire.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        return response_written(connection, *peer);  // the client is gone; the reactor sees it hang up
      }
      sent = written < 0 ? 0 : static_cast<size_t>(written);
      if (sent == wire.size()) return response_written(connection, *peer);
    }
    // Queued under the mutex, after the check above: onDisconnection flushes the queue before
    // Pistache closes the descriptor, so these bytes can only reach this connection. Through
    // Peer::send, compiled inside libpistache: a promise made by Transport::asyncWrite, a template,
    // in this library (hidden visibility) carries this library's type id, and Pistache's reactor,
    // resolving it with its own, throws BadType and aborts the process.
    const size_t rest = wire.size() - sent;
    ++connection.queued_writes;
    queued.emplace(peer->send(RawBuffer(sent == 0 ? std::move(wire) : wire.substr(sent), rest)));
  }
  // Attached outside the mutex: a write the reactor already finished runs `finished` right here.
  std::weak_ptr<Tcp::Peer> weak = peer;
  auto finished = [connection = to.connection, weak] {
    std::lock_guard lock(connection->mutex);
    --connection->queued_writes;
    if (auto open = weak.lock()) response_written(*connection, *open);
  };
  queued->then([finished](ssize_t) { finished(); }, [finished](std::exception_ptr) { finished(); });
}

class RequestHandler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(RequestHandler)
  explicit RequestHandler(std::shared_ptr<HttpServer::State> state) : state_(std::move(state)) {}

  // Every request arrives through onInput below, which frames and checks the bytes first.
  void onRequest(const Http::Request&, Http::ResponseWriter) override {}

  // Replaces Pistache's own input handling (which answers parse errors with a 500 and the
  // exception's text, and trusts Content-Length): runs on the reactor thread.
  void onInput(const char* buffer, size_t length, const std::shared_ptr<Tcp::Peer>& peer) override {
    auto parser = getParser(peer);
    auto connection = connection_of(*peer);
    ReadResult read;
    {
      std::lock_guard lock(connection->mutex);
      read = read_request_bytes(connection->gate, *parser, std::string_view(buffer, length));
    }
    switch (read.kind) {
      case ReadResult::Kind::incomplete:
      case ReadResult::Kind::ignored:
        return;
      case ReadResult::Kind::refused: {
        respond(ReplyTo{peer, Http::Version::Http11, connection},
                json_error(read.refusal.status, read.refusal.code, read.refusal.message));
        log_line(LogLevel::info, "access", "malformed request refused " + std::to_string(read.refusal.status));
        state_->http_metrics.record("", metrics::kUnmatchedRoute, read.refusal.status, 0);
        return;
      }
      case ReadResult::Kind::request:
        break;
    }
    peer->setIdle(false);  // Pistache's idle sweep: a request is in progress
    ReplyTo reply{peer, parser->request.version(), std::move(connection)};
    auto request = std::make_shared<HttpRequest>(to_plain_request(
        parser->request, std::move(read.headers), peer->address().host(), state_->config.trusted_proxies));
    parser->reset();
    dispatch(std::move(request), std::move(reply));
  }

  // Pistache calls this on the reactor thread before it closes the socket.
  void onDisconnection(const std::shared_ptr<Tcp::Peer>& peer) override {
    auto connection = connection_of(*peer);
    {
      std::lock_guard lock(connection->mutex);
      connection->disconnected = true;
      connection->gate.close();
    }
    // Writes still in the reactor's queue name this descriptor by number only: hand them to the
    // socket (or drop them) now, before Pistache closes it and a new connection may get the
    // number. Outside the mutex: a write that finishes here runs `finished`, which takes it.
    transport()->flush();
  }

 private:
  std::shared_ptr<Connection> connection_of(Tcp::Peer& peer) const {
    static const std::string key = "latchkey.connection";
    if (auto existing = peer.tryGetData(key)) return std::static_pointer_cast<Connection>(existing);
    auto connection = std::make_shared<Connection>(kMaxHeadBytes, state_->config.max_body_bytes);
    peer.putData(key, connection);
    return connection;
  }

  void dispatch(std::shared_ptr<HttpRequest> request, ReplyTo reply) {
    const Clock::time_point started = Clock::now();
    auto answer_now = [&](const HttpResponse& response) {
      respond(reply, response);
      access_log(*request, response.status, started);
      state_->http_metrics.record(request->method, metrics::kUnmatchedRoute, response.status, seconds_since(started));
    };
    if (state_->runner.draining()) return answer_now(json_error(503, "shutting_down", "the server is shutting down"));
    if (const auto own = state_->operators.match(*request); own != OperatorRoutes::Kind::none) {
      return answer_own(own, std::move(request), std::move(reply), started);
    }

    auto match = std::make_shared<RouteMatch>(state_->runner.pipeline().router().match(request->method, request->path));
    if (match->kind == RouteMatch::Kind::method_not_allowed) {
      HttpResponse response = json_error(405, "method_not_allowed", "this path does not take " + request->method);
      response.set_header("Allow", match->allow);
      return answer_now(response);
    }
    if (match->kind == RouteMatch::Kind::not_found && request->method != "GET") {
      return answer_now(json_error(404, "not_found", "no such route"));
    }

    RequestRunner& runner = state_->runner;
    if (!runner.begin_request()) return answer_now(json_error(503, "shutting_down", "the server is shutting down"));
    // The router's routes live as long as the runtime: a view of the pattern stays valid.
    const std::string_view pattern =
        match->kind == RouteMatch::Kind::found ? std::string_view(match->route->pattern) : std::string_view();
    // Called once per request, on a worker.
    Finish finish = [&runner, state = state_.get(), pattern, reply = std::move(reply), started](
                        const HttpRequest& done, const HttpResponse& response) {
      respond(reply, response);
      access_log(done, response.status, started);
      state->http_metrics.record(done.method, route_label(pattern, response.status), response.status,
                                 seconds_since(started));
      runner.end_request();
    };
    // Behind a trusted proxy the browser's origin is the proxy's, not the address the host listens on.
    std::string origin = request->forwarded_origin.empty() ? state_->get_local_origin() : request->forwarded_origin;
    if (!runner.run(std::move(request), std::move(match), std::move(origin), std::move(finish))) {
      runner.end_request();  // the workers are stopping: nobody answers
    }
  }

  // The host's own routes, answered on a worker (a readiness check may block for a second).
  void answer_own(OperatorRoutes::Kind kind, std::shared_ptr<HttpRequest> request, ReplyTo reply,
                  Clock::time_point started) {
    RequestRunner& runner = state_->runner;
    auto answer = [&runner, state = state_.get(), kind, request, reply, started] {
      const HttpResponse response = state->operators.answer(kind);
      respond(reply, response);
      if (OperatorRoutes::logged(kind)) access_log(*request, response.status, started);
      state->http_metrics.record(request->method, request->path, response.status, seconds_since(started));
      runner.end_request();
    };
    if (!runner.begin_request()) {
      respond(reply, json_error(503, "shutting_down", "the server is shutting down"));
      return;
    }
    if (!runner.run_task(std::move(answer))) runner.end_request();
  }

  std::shared_ptr<HttpServer::State> state_;
};

}  // namespace

HttpServer::HttpServer(const HostConfig& config, RequestRunner& runner, HostServices& services)
    : state_(std::make_shared<State>(config, runner, services)) {}

HttpServer::~HttpServer() {
  if (state_->endpoint) drain_and_stop(std::chrono::milliseconds(0));
}

void HttpServer::start() {
  const ListenAddress& listen = state_->config.listen;
  const bool ipv6 = listen.host.find(':') != std::string::npos;
  Address address(ipv6 ? "[" + listen.host + "]" : listen.host, Port(listen.port));
  state_->endpoint = std::make_unique<Http::Endpoint>(address);
  // The parser's buffer holds one whole request: the head (refused past kMaxHeadBytes) and a body
  // (refused past max_body_bytes from its declared length, before it is read).
  auto options = Http::Endpoint::options()
                     .threads(1)
                     .flags(Tcp::Options::ReuseAddr)
                     .maxRequestSize(state_->config.max_body_bytes + kMaxHeadBytes)
                     .maxResponseSize(64ull << 20);
  state_->endpoint->init(options);
  state_->endpoint->setHandler(Http::make_handler<RequestHandler>(state_));
  state_->endpoint->serveThreaded();
  const std::string host = ipv6 ? "[" + listen.host + "]" : listen.host;
  state_->set_local_origin("http://" + host + ":" + std::to_string(port()));
}

uint16_t HttpServer::port() const { return static_cast<uint16_t>(state_->endpoint->getPort()); }

int HttpServer::drain_and_stop(std::chrono::milliseconds limit) {
  const int left = state_->runner.drain(limit);
  // Give the reactor a moment to put the last responses on the wire before it stops.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  state_->endpoint->shutdown();
  state_->endpoint.reset();
  return left;
}

}  // namespace latchkey::host
