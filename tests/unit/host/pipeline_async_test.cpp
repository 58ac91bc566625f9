// Unit tests of the pipeline's suspend/complete (ABI 1.1) without HTTP: handlers and filters that
// suspend and complete from other threads, before or after returning, and the codes of misuse.
// The racing tests also run under ThreadSanitizer (script/test --sanitize thread).
#include "host_api.h"
#include "pipeline.h"
#include "worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace latchkey::host {
namespace {

using namespace std::chrono_literals;

const lk_host_api& api() { return *host_api_table(); }

lk_str view(const char* text) { return lk_str{text, std::char_traits<char>::length(text)}; }

// The plugin's threads that complete requests; joined before a test's pipeline goes away, as a
// plugin's destroy must (plugin.h).
class CompletingThreads {
 public:
  template <typename Fn>
  void start(Fn&& fn) {
    std::lock_guard lock(mutex_);
    threads_.emplace_back(std::forward<Fn>(fn));
  }
  void join_all() {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      threads.swap(threads_);
    }
    for (std::thread& thread : threads) thread.join();
  }

 private:
  std::mutex mutex_;
  std::vector<std::thread> threads_;
};
CompletingThreads completing;

// Collects the answers the pipeline finishes with; waits for a number of them.
class Answers {
 public:
  Finish finish() {
    return [this](const HttpRequest&, const HttpResponse& response) {
      std::lock_guard lock(mutex_);
      bodies_.push_back(std::to_string(response.status) + " " + response.body);
      changed_.notify_all();
    };
  }
  std::vector<std::string> wait_for(size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 30s, [&] { return bodies_.size() >= count; });
    return bodies_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> bodies_;
};

// A pipeline with one public route GET /r whose handler is `handler`, and optional filters.
struct OneRoute {
  Pipeline pipeline;
  Answers answers;
  WorkerPool workers{2};  // declared last: joined first, so no worker is still inside finish

  ~OneRoute() { completing.join_all(); }
  explicit OneRoute(lk_handler_fn handler, void* user_data = nullptr) {
    Route route;
    route.method = "GET";
    route.pattern = "/r";
    route.auth = LK_AUTH_PUBLIC;
    route.handler = handler;
    route.user_data = user_data;
    route.plugin_name = "test";
    EXPECT_TRUE(pipeline.router().add(route));
  }
  void run() {
    HttpRequest request;
    request.method = "GET";
    request.path = "/r";
    pipeline.run(request, pipeline.router().match("GET", "/r"), "http://127.0.0.1:1", answers.finish(),
                 [this](std::function<void()> task) { workers.submit(std::move(task)); });
  }
};

int32_t answer_from_another_thread(void*, lk_request* req, lk_response* res) {
  if (api().request_suspend(req) != LK_OK) return LK_ERR_INTERNAL;
  completing.start([res] {
    std::this_thread::sleep_for(5ms);
    api().response_set_body(res, view("later"));
    api().response_complete(res, LK_OK);
  });
  return LK_ERR_INTERNAL;  // ignored once suspended
}

TEST(PipelineAsync, HandlerCompletedFromAnotherThreadIsAnsweredOnce) {
  OneRoute setup(answer_from_another_thread);
  setup.run();
  const auto answers = setup.answers.wait_for(1);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0], "200 later");
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(setup.answers.wait_for(1).size(), 1u);  // never a second answer
}

int32_t complete_before_returning(void*, lk_request* req, lk_response* res) {
  api().request_suspend(req);
  api().response_set_body(res, view("at once"));
  api().response_complete(res, LK_OK);
  return LK_ERR_INTERNAL;  // ignored: the completion's status counts
}

TEST(PipelineAsync, CompletionBeforeTheCallbackReturnedIsAnswered) {
  OneRoute setup(complete_before_returning);
  setup.run();
  EXPECT_EQ(setup.answers.wait_for(1), std::vector<std::string>{"200 at once"});
}

struct Codes {
  int32_t second_suspend = 1, complete_unsuspended = 1, bad_status = 1, second_complete = 1;
};

int32_t misuse(void* user_data, lk_request* req, lk_response* res) {
  Codes& codes = *static_cast<Codes*>(user_data);
  codes.complete_unsuspended = api().response_complete(res, LK_OK);
  api().request_suspend(req);
  codes.second_suspend = api().request_suspend(req);
  api().response_set_body(res, view("must not be sent"));
  codes.bad_status = api().response_complete(res, LK_FILTER_RESPOND);  // a handler cannot return 1
  codes.second_complete = api().response_complete(res, LK_OK);
  return LK_OK;
}

TEST(PipelineAsync, MisuseIsRefusedWithItsCode) {
  Codes codes;
  OneRoute setup(misuse, &codes);
  setup.run();
  const auto answers = setup.answers.wait_for(1);
  ASSERT_EQ(answers.size(), 1u);
  // The refused status still completed the request, as a 500 without what the handler wrote.
  EXPECT_EQ(answers[0].rfind("500 ", 0), 0u);
  EXPECT_EQ(answers[0].find("must not be sent"), std::string::npos);
  EXPECT_EQ(codes.complete_unsuspended, LK_ERR_WRONG_STAGE);
  EXPECT_EQ(codes.second_suspend, LK_ERR_WRONG_STAGE);
  EXPECT_EQ(codes.bad_status, LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(codes.second_complete, LK_ERR_WRONG_STAGE);
  EXPECT_EQ(api().request_suspend(nullptr), LK_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(api().response_complete(nullptr, LK_OK), LK_ERR_INVALID_ARGUMENT);
}

int32_t fail_later(void*, lk_request* req, lk_response* res) {
  api().request_suspend(req);
  completing.start([res] {
    api().response_set_body(res, view("must not be sent"));
    api().response_complete(res, LK_ERR_INTERNAL);
  });
  return LK_OK;
}

TEST(PipelineAsync, NegativeCompletionIs500WithoutWhatTheHandlerWrote) {
  OneRoute setup(fail_later);
  setup.run();
  const auto answers = setup.answers.wait_for(1);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].rfind("500 ", 0), 0u);
  EXPECT_EQ(answers[0].find("must not be sent"), std::string::npos);
}

struct FilterRace {
  std::atomic<int> handled{0};
};

int32_t filter_completes_racing(void*, lk_request* req, lk_response* res) {
  api().request_suspend(req);
  completing.start([res] { api().response_complete(res, LK_FILTER_CONTINUE); });
  return LK_OK;
}

int32_t count_handler(void* user_data, lk_request*, lk_response* res) {
  ++static_cast<FilterRace*>(user_data)->handled;
  api().response_set_body(res, view("handled"));
  return LK_OK;
}

TEST(PipelineAsync, FilterCompletedWithContinueRunsTheHandlerOncePerRequest) {
  FilterRace race;
  OneRoute setup(count_handler, &race);
  setup.pipeline.add_filter(Filter{"racing", LK_STAGE_DEFAULT, filter_completes_racing, nullptr, "test"});
  constexpr int kRequests = 200;
  for (int i = 0; i < kRequests; ++i) setup.run();
  const auto answers = setup.answers.wait_for(kRequests);
  ASSERT_EQ(answers.size(), static_cast<size_t>(kRequests));
  for (const std::string& answer : answers) EXPECT_EQ(answer, "200 handled");
  EXPECT_EQ(race.handled.load(), kRequests);
}

int32_t respond_later(void*, lk_request* req, lk_response* res) {
  api().request_suspend(req);
  completing.start([res] {
    api().response_set_status(res, 429);
    api().response_set_body(res, view("filtered"));
    api().response_complete(res, LK_FILTER_RESPOND);
  });
  return LK_OK;
}

TEST(PipelineAsync, FilterCompletedWithRespondAnswersInsteadOfTheHandler) {
  FilterRace race;
  OneRoute setup(count_handler, &race);
  setup.pipeline.add_filter(Filter{"respond", LK_STAGE_DEFAULT, respond_later, nullptr, "test"});
  setup.run();
  EXPECT_EQ(setup.answers.wait_for(1), std::vector<std::string>{"429 filtered"});
  EXPECT_EQ(race.handled.load(), 0);
}

TEST(PipelineAsync, ManyRequestsCompletedFromOtherThreadsAreEachAnsweredOnce) {
  OneRoute setup(answer_from_another_thread);
  constexpr int kRequests = 100;
  for (int i = 0; i < kRequests; ++i) setup.run();
  const auto answers = setup.answers.wait_for(kRequests);
  ASSERT_EQ(answers.size(), static_cast<size_t>(kRequests));
  for (const std::string& answer : answers) EXPECT_EQ(answer, "200 later");
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(setup.answers.wait_for(kRequests).size(), static_cast<size_t>(kRequests));
}

}  // namespace
}  // namespace latchkey::host
