// The Pistache side: accepts connections, hands each request to the worker pool, and drains on stop.
#pragma once

#include "config.h"
#include "host_services.h"
#include "request_runner.h"

#include <chrono>
#include <cstdint>
#include <memory>

namespace latchkey::host {

class HttpServer {
 public:
  // The runner (its pipeline and workers) outlives the server.
  HttpServer(const HostConfig& config, RequestRunner& runner, HostServices& services);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving on background threads; throws when the address cannot be bound.
  void start();
  uint16_t port() const;

  // Answers new requests with 503, waits (at most limit) for in-flight ones, then stops serving
  // (the workers keep running until the runner stops them).
  // Returns the number of requests still in flight when it gave up (0 when all finished).
  int drain_and_stop(std::chrono::milliseconds limit);

  struct State;  // shared with the request handler; defined in the .cpp

 private:
  std::shared_ptr<State> state_;
};

}  // namespace latchkey::host
