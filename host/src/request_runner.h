// The worker side that both front doors share (the `latchkey` server and the embedding library):
// runs a matched request through the pipeline, or an unmatched GET through the static folders, on
// the worker pool, and counts requests in flight so that a stop can wait for them.
#pragma once

#include "config.h"
#include "pipeline.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

namespace latchkey::host {

class WorkerPool;

class RequestRunner {
 public:
  RequestRunner(const HostConfig& config, const Pipeline& pipeline, unsigned threads);
  ~RequestRunner();  // joins the workers
  RequestRunner(const RequestRunner&) = delete;
  RequestRunner& operator=(const RequestRunner&) = delete;

  const HostConfig& config() const { return config_; }
  const Pipeline& pipeline() const { return pipeline_; }

  // Counts a request in; false once draining (the front door answers 503 shutting_down). Every
  // true is matched by one end_request(), which the Finish given to run() usually makes.
  bool begin_request();
  void end_request();
  bool draining() const;

  // Refuses new requests and waits, at most limit, for those in flight. Returns how many are left.
  int drain(std::chrono::milliseconds limit);

  // Runs the request on a worker: a found match through the pipeline, anything else as a static
  // file or a 404. finish is called once, on a worker. False (finish not called) once the workers
  // are stopping.
  bool run(std::shared_ptr<HttpRequest> request, std::shared_ptr<RouteMatch> match, std::string local_origin,
           Finish finish);

  // The same for a found match, on a worker and waiting for its end when called from elsewhere
  // (a reactor thread), on the calling thread when that is a worker already (waiting there for
  // another worker could deadlock). finished: finish has returned. refused: the workers are
  // stopping (finish not called). still_running: called on a worker and a filter or handler
  // suspended; waiting for its resume, which needs a worker, could deadlock the pool, so this
  // returns and finish runs later, on another thread.
  enum class Waited { finished, refused, still_running };
  Waited run_and_wait(HttpRequest request, RouteMatch match, std::string local_origin, Finish finish);

  // Runs task on a worker, for a request the front door answers itself (the host's own routes),
  // counted in with begin_request like any. False (task dropped) once the workers are stopping.
  bool run_task(std::function<void()> task);

  // Queues work that is not a request (event delivery) on the workers, from any thread: like a
  // completion, it holds the pool only while queuing, and is refused (false) once it stopped.
  std::function<bool(std::function<void()>)> submitter() const;

  // Requests counted in and not yet ended; tasks waiting for a worker.
  int in_flight() const;
  size_t queue_depth() const;

  // Joins the workers (what is queued still runs). Call after drain() found nothing in flight.
  void stop_workers();

 private:
  Schedule schedule() const;

  const HostConfig& config_;
  const Pipeline& pipeline_;
  std::shared_ptr<WorkerPool> pool_;  // shared only while a completing thread queues a task
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  bool draining_ = false;
  int in_flight_ = 0;
};

}  // namespace latchkey::host
