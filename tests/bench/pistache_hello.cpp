// The raw Pistache anchor of script/bench: GET /hello on Debian's Pistache 0.0.5 and nothing else,
// set up as the host sets up its endpoint (one reactor thread), answering the bytes the hello
// example plugin answers. What the host costs on top of it is public /hello ÷ this.
//
//   latchkey_pistache_hello [PORT]     PORT 0 (the default) lets the kernel choose; prints
//                                      "listening on http://127.0.0.1:PORT" and serves until SIGTERM
#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using namespace Pistache;

class HelloHandler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(HelloHandler)

  void onRequest(const Http::Request& request, Http::ResponseWriter response) override {
    if (request.method() == Http::Method::Get && request.resource() == "/hello") {
      // The hello plugin's answer: 13 bytes of text/plain; charset=utf-8.
      response.send(Http::Code::Ok, "hello, world\n", content_type_);
    } else {
      response.send(Http::Code::Not_Found);
    }
  }

 private:
  const Http::Mime::MediaType content_type_ = Http::Mime::MediaType::fromString("text/plain; charset=utf-8");
};

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 0;
  if (port < 0 || port > 65535) {
    std::fprintf(stderr, "usage: %s [PORT]\n", argv[0]);
    return 2;
  }
  // Block the stop signals before the reactor thread starts, so that only sigwait below sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  Http::Endpoint endpoint(Address(IP::loopback(), Port(static_cast<uint16_t>(port))));
  endpoint.init(Http::Endpoint::options().threads(1).flags(Tcp::Options::ReuseAddr));
  endpoint.setHandler(Http::make_handler<HelloHandler>());
  endpoint.serveThreaded();
  std::printf("listening on http://127.0.0.1:%u\n", static_cast<unsigned>(static_cast<uint16_t>(endpoint.getPort())));
  std::fflush(stdout);

  int signal = 0;
  sigwait(&stop, &signal);
  endpoint.shutdown();
  return 0;
}
