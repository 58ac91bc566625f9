// Requests on the worker pool. A plugin thread that completes a suspended request holds no share
// of the runner, only, for the moment of queuing, the pool; after the workers stopped, the task is
// dropped instead of touching freed memory.
#include "request_runner.h"

#include "log.h"
#include "static_files.h"
#include "worker_pool.h"

namespace latchkey::host {

RequestRunner::RequestRunner(const HostConfig& config, const Pipeline& pipeline, unsigned threads)
    : config_(config), pipeline_(pipeline), pool_(std::make_shared<WorkerPool>(threads)) {}

RequestRunner::~RequestRunner() { stop_workers(); }

bool RequestRunner::begin_request() {
  // Checked under the lock the drain counts with, so no request slips in uncounted after the
  // drain saw none in flight.
  std::lock_guard lock(mutex_);
  if (draining_) return false;
  ++in_flight_;
  return true;
}

void RequestRunner::end_request() {
  std::lock_guard lock(mutex_);
  if (--in_flight_ == 0) idle_.notify_all();
}

bool RequestRunner::run_task(std::function<void()> task) { return pool_ && pool_->submit(std::move(task)); }

std::function<bool(std::function<void()>)> RequestRunner::submitter() const {
  return [pool = std::weak_ptr<WorkerPool>(pool_)](std::function<void()> task) {
    auto open = pool.lock();
    return open && open->submit(std::move(task));
  };
}

int RequestRunner::in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_;
}

// Read by /metrics, a request: the workers cannot be stopping while it runs.
size_t RequestRunner::queue_depth() const { return pool_ ? pool_->queued() : 0; }

bool RequestRunner::draining() const {
  std::lock_guard lock(mutex_);
  return draining_;
}

int RequestRunner::drain(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  draining_ = true;
  idle_.wait_for(lock, limit, [this] { return in_flight_ == 0; });
  return in_flight_;
}

Schedule RequestRunner::schedule() const {
  return [pool = std::weak_ptr<WorkerPool>(pool_)](std::function<void()> task) {
    if (auto open = pool.lock(); !open || !open->submit(std::move(task))) {
      log_line(LogLevel::warn, "host", "a request completed after the server stopped was dropped");
    }
  };
}

bool RequestRunner::run(std::shared_ptr<HttpRequest> request, std::shared_ptr<RouteMatch> match,
                        std::string local_origin, Finish finish) {
  if (!pool_) return false;
  return pool_->submit([this, request, match, origin = std::move(local_origin), finish = std::move(finish)]() mutable {
    if (match->kind == RouteMatch::Kind::found) {
      pipeline_.run(std::move(*request), std::move(*match), std::move(origin), std::move(finish), schedule());
      return;
    }
    HttpResponse response;
    try {
      auto file = serve_static(config_.statics, request->path);
      response = file ? *file : json_error(404, "not_found", "no such route");
    } catch (const std::exception& error) {
      log_line(LogLevel::error, "host", std::string("request failed: ") + error.what());
      response = json_error(500, "internal_error", "the server failed to handle the request");
    }
    finish(*request, response);
  });
}

RequestRunner::Waited RequestRunner::run_and_wait(HttpRequest request, RouteMatch match, std::string local_origin,
                                                  Finish finish) {
  struct Done {
    std::mutex mutex;
    std::condition_variable changed;
    bool done = false;
  };
  auto done = std::make_shared<Done>();
  Finish finish_and_tell = [done, finish = std::move(finish)](const HttpRequest& request, const HttpResponse& response) {
    finish(request, response);
    std::lock_guard lock(done->mutex);
    done->done = true;
    done->changed.notify_all();
  };
  if (WorkerPool::on_worker_thread()) {
    pipeline_.run(std::move(request), std::move(match), std::move(local_origin), std::move(finish_and_tell), schedule());
    std::lock_guard lock(done->mutex);
    return done->done ? Waited::finished : Waited::still_running;
  }
  if (!run(std::make_shared<HttpRequest>(std::move(request)), std::make_shared<RouteMatch>(std::move(match)),
           std::move(local_origin), std::move(finish_and_tell))) {
    return Waited::refused;
  }
  std::unique_lock lock(done->mutex);
  done->changed.wait(lock, [&] { return done->done; });
  return Waited::finished;
}

void RequestRunner::stop_workers() { pool_.reset(); }

}  // namespace latchkey::host
