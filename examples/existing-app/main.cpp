// An existing Pistache application that embeds Latchkey (CONTRACT §8): its own endpoint, router
// and routes, plus Latchkey's auth API mounted beside them and two of its routes protected.
//
//   existing-app [--config latchkey.json] [--listen 127.0.0.1:8090] [--threads 2]
//
// GET /status        public, the application's own
// GET /whoami        public; says who is signed in, if anyone (Embedded::authenticate)
// GET /orders        any signed-in caller; answers the caller's subject
// POST /admin/purge  callers with the "admin" role only
#include <latchkey/embed.hpp>

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/router.h>

#include <csignal>
#include <iostream>
#include <string>

namespace {

using namespace Pistache;

struct Options {
  std::string config = "latchkey.json";
  std::string host = "127.0.0.1";
  uint16_t port = 8090;
  int threads = 2;
};

bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--config") {
      options.config = value;
    } else if (name == "--listen" && value.rfind(':') != std::string::npos) {
      options.host = value.substr(0, value.rfind(':'));
      options.port = static_cast<uint16_t>(std::stoi(value.substr(value.rfind(':') + 1)));
    } else if (name == "--threads") {
      options.threads = std::stoi(value);
    } else {
      return false;
    }
  }
  return argc % 2 == 1;
}

// A JSON string literal: the subject is a user id, but never trust a value into JSON unescaped.
std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"";
}

void send_json(Http::ResponseWriter& writer, Http::Code code, const std::string& body) {
  writer.send(code, body, MIME(Application, Json));
}

// The application's own handlers: the protected ones receive the caller.
void status(const Rest::Request&, Http::ResponseWriter writer) { send_json(writer, Http::Code::Ok, R"({"status":"ok"})"); }

void list_orders(const Rest::Request&, Http::ResponseWriter writer, const latchkey::Caller& caller) {
  send_json(writer, Http::Code::Ok, R"({"subject":)" + json_string(caller.subject) + R"(,"orders":[]})");
}

void purge(const Rest::Request&, Http::ResponseWriter writer, const latchkey::Caller& caller) {
  send_json(writer, Http::Code::Ok, R"({"purged":true,"by":)" + json_string(caller.subject) + "}");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::cerr << "usage: existing-app [--config FILE] [--listen HOST:PORT] [--threads N]\n";
    return 2;
  }
  // SIGTERM and SIGINT are taken by sigwait below: blocked before any thread starts, so all inherit it.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    // The endpoint before Latchkey, so that it is destroyed after it on every path: requests in
    // flight on Latchkey's workers still answer through the endpoint's transport.
    Http::Endpoint endpoint(Address(options.host, Port(options.port)));
    latchkey::Embedded lk = latchkey::Embedded::load(options.config);

    Rest::Router router;
    lk.mount(router);
    Rest::Routes::Get(router, "/status", Rest::Routes::bind(&status));
    Rest::Routes::Get(router, "/whoami", [&lk](const Rest::Request request, Http::ResponseWriter writer) {
      const std::optional<latchkey::Caller> caller = lk.authenticate(request);
      send_json(writer, Http::Code::Ok, R"({"subject":)" + (caller ? json_string(caller->subject) : "null") + "}");
      return Rest::Route::Result::Ok;
    });
    Rest::Routes::Get(router, "/orders", lk.protect(list_orders));
    Rest::Routes::Post(router, "/admin/purge", lk.protect(purge, {"admin"}));

    // Requests up to Latchkey's max_body_bytes (64 KiB by default) plus their head: a larger body
    // gets Latchkey's own 413 rather than Pistache's (whose default limit is 4 KiB).
    endpoint.init(Http::Endpoint::options().threads(options.threads).flags(Tcp::Options::ReuseAddr)
                      .maxRequestSize(1 << 20));
    endpoint.setHandler(router.handler());
    endpoint.serveThreaded();
    std::cout << "listening on http://" << options.host << ":" << endpoint.getPort() << std::endl;

    int received = 0;
    sigwait(&stop_signals, &received);
    // Latchkey first: its requests in flight still answer through the endpoint.
    lk.shutdown();
    endpoint.shutdown();
    return 0;
  } catch (const latchkey::ConfigError& error) {
    std::cerr << error.what() << "\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "existing-app: " << error.what() << "\n";
    return 1;
  }
}
