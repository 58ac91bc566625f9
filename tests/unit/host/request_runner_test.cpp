// Unit tests of the worker side both front doors share: a drain waits for the request in flight and
// refuses new ones; run_and_wait puts the pipeline on a worker (never the caller's reactor thread);
// an unmatched request is a static file or a 404.
#include "host_api.h"
#include "request_runner.h"
#include "worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

namespace latchkey::host {
namespace {

using namespace std::chrono_literals;

// A handler that waits until the test lets it go, and says where it ran.
struct Gate {
  std::promise<void> entered;
  std::shared_future<void> release;
  std::atomic<bool> ran_on_worker{false};
};

int32_t gated_handler(void* user_data, lk_request*, lk_response*) {
  auto& gate = *static_cast<Gate*>(user_data);
  gate.ran_on_worker = WorkerPool::on_worker_thread();
  gate.entered.set_value();
  gate.release.wait();
  return LK_OK;
}

struct OneRoute {
  HostConfig config;
  Pipeline pipeline;
  Gate gate;
  std::promise<void> release;
  std::unique_ptr<RequestRunner> runner;

  OneRoute() {
    gate.release = release.get_future().share();
    Route route;
    route.method = "GET";
    route.pattern = "/r";
    route.auth = LK_AUTH_PUBLIC;
    route.handler = gated_handler;
    route.user_data = &gate;
    EXPECT_TRUE(pipeline.router().add(route));
    runner = std::make_unique<RequestRunner>(config, pipeline, 2);
  }
  std::shared_ptr<RouteMatch> match(const std::string& path) const {
    return std::make_shared<RouteMatch>(pipeline.router().match("GET", path));
  }
  static std::shared_ptr<HttpRequest> get(const std::string& path) {
    auto request = std::make_shared<HttpRequest>();
    request->method = "GET";
    request->path = path;
    return request;
  }
};

TEST(RequestRunner, DrainWaitsForTheRequestInFlightAndRefusesNewOnes) {
  OneRoute world;
  std::promise<uint32_t> answered;
  ASSERT_TRUE(world.runner->begin_request());
  ASSERT_TRUE(world.runner->run(OneRoute::get("/r"), world.match("/r"), "",
                                [&](const HttpRequest&, const HttpResponse& response) {
                                  answered.set_value(response.status);
                                  world.runner->end_request();
                                }));
  world.gate.entered.get_future().wait();

  auto drained = std::async(std::launch::async, [&] { return world.runner->drain(10s); });
  EXPECT_EQ(drained.wait_for(200ms), std::future_status::timeout) << "the drain did not wait";
  EXPECT_FALSE(world.runner->begin_request()) << "a new request was taken while draining";
  EXPECT_TRUE(world.runner->draining());

  world.release.set_value();
  EXPECT_EQ(drained.get(), 0);
  EXPECT_EQ(answered.get_future().get(), 200u);
  EXPECT_TRUE(world.gate.ran_on_worker);
}

TEST(RequestRunner, DrainGivesUpAfterItsLimitAndCountsWhatIsLeft) {
  OneRoute world;
  ASSERT_TRUE(world.runner->begin_request());
  ASSERT_TRUE(world.runner->run(OneRoute::get("/r"), world.match("/r"), "",
                                [&](const HttpRequest&, const HttpResponse&) { world.runner->end_request(); }));
  world.gate.entered.get_future().wait();
  EXPECT_EQ(world.runner->drain(50ms), 1);
  world.release.set_value();
  EXPECT_EQ(world.runner->drain(10s), 0);
}

TEST(RequestRunner, RunAndWaitRunsThePipelineOnAWorker) {
  OneRoute world;
  world.release.set_value();
  uint32_t status = 0;
  HttpRequest request = *OneRoute::get("/r");
  ASSERT_EQ(RequestRunner::Waited::finished, world.runner->run_and_wait(request, *world.match("/r"), "",
                                         [&](const HttpRequest&, const HttpResponse& response) {
                                           status = response.status;
                                         }));
  EXPECT_EQ(status, 200u) << "run_and_wait returned before finish";
  EXPECT_TRUE(world.gate.ran_on_worker) << "the handler ran on the calling thread";
  EXPECT_FALSE(WorkerPool::on_worker_thread());
}

// A handler that suspends and leaves the completion to the test (as a plugin's own thread would).
struct Suspender {
  std::promise<lk_response*> suspended;
};

int32_t suspending_handler(void* user_data, lk_request* req, lk_response* res) {
  if (host_api_table()->request_suspend(req) != LK_OK) return LK_ERR_INTERNAL;
  static_cast<Suspender*>(user_data)->suspended.set_value(res);
  return LK_OK;
}

// On a worker (a protected handler that calls authenticate()), a pipeline that suspends is not
// waited for: its resume needs a worker, and every worker waiting so would stall the pool.
TEST(RequestRunner, RunAndWaitOnAWorkerDoesNotWaitForASuspendedRequest) {
  HostConfig config;
  Pipeline pipeline;
  Suspender suspender;
  Route route;
  route.method = "GET";
  route.pattern = "/s";
  route.auth = LK_AUTH_PUBLIC;
  route.handler = suspending_handler;
  route.user_data = &suspender;
  ASSERT_TRUE(pipeline.router().add(route));

  std::promise<uint32_t> finished;
  std::promise<RequestRunner::Waited> waited;
  HttpRequest request = *OneRoute::get("/s");
  auto outer = std::make_shared<HttpRequest>(*OneRoute::get("/outer"));
  Route outer_route = route;
  outer_route.pattern = "/outer";
  outer_route.handler = [](void* user_data, lk_request*, lk_response*) -> int32_t {
    (*static_cast<std::function<void()>*>(user_data))();
    return LK_OK;
  };
  RouteMatch match;
  RequestRunner* running = nullptr;
  std::function<void()> call_inside = [&] {
    waited.set_value(running->run_and_wait(request, match, "", [&](const HttpRequest&, const HttpResponse& response) {
      finished.set_value(response.status);
    }));
  };
  outer_route.user_data = &call_inside;
  ASSERT_TRUE(pipeline.router().add(outer_route));
  match = pipeline.router().match("GET", "/s");  // after the last add: a match points into the router
  RequestRunner runner(config, pipeline, 1);      // one worker: waiting on it would never end
  running = &runner;
  ASSERT_TRUE(runner.run(outer, std::make_shared<RouteMatch>(pipeline.router().match("GET", "/outer")), "",
                         [](const HttpRequest&, const HttpResponse&) {}));

  auto result = waited.get_future();
  ASSERT_EQ(result.wait_for(5s), std::future_status::ready) << "run_and_wait waited on the only worker";
  EXPECT_EQ(result.get(), RequestRunner::Waited::still_running);
  lk_response* response = suspender.suspended.get_future().get();
  host_api_table()->response_complete(response, LK_OK);  // the resume runs on the now free worker
  auto status = finished.get_future();
  ASSERT_EQ(status.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(status.get(), 200u);
}

TEST(RequestRunner, UnmatchedGetIsAStaticFileOrA404) {
  const auto folder = std::filesystem::temp_directory_path() / ("latchkey-runner-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "hello.txt") << "hello";
  OneRoute world;
  world.config.statics.push_back({"/files/", std::filesystem::canonical(folder).string()});
  world.release.set_value();

  for (const auto& [path, want_status, want_body] :
       {std::tuple{"/files/hello.txt", 200u, "hello"}, std::tuple{"/files/none.txt", 404u, ""},
        std::tuple{"/elsewhere", 404u, ""}}) {
    std::promise<HttpResponse> answer;
    ASSERT_TRUE(world.runner->run(OneRoute::get(path), world.match(path), "",
                                  [&](const HttpRequest&, const HttpResponse& response) { answer.set_value(response); }));
    const HttpResponse response = answer.get_future().get();
    EXPECT_EQ(response.status, want_status) << path;
    if (want_status == 200u) EXPECT_EQ(response.body, want_body);
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace latchkey::host
