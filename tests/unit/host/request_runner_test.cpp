// Unit tests of the worker side both front doors share: a drain waits for the request in flight and
// refuses new ones; run_and_wait puts the pipeline on a worker (never the caller's reactor thread);
// an unmatched request is a static file or a 404.
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
  ASSERT_TRUE(world.runner->run_and_wait(request, *world.match("/r"), "",
                                         [&](const HttpRequest&, const HttpResponse& response) {
                                           status = response.status;
                                         }));
  EXPECT_EQ(status, 200u) << "run_and_wait returned before finish";
  EXPECT_TRUE(world.gate.ran_on_worker) << "the handler ran on the calling thread";
  EXPECT_FALSE(WorkerPool::on_worker_thread());
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
