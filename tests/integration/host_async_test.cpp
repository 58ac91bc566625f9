// Through the real host: ABI 1.1's request_suspend and response_complete, with the test plugin
// completing requests from threads of its own (plugins/test_plugin.cpp, "ABI 1.1" routes).
#include "host_test_support.h"
#include "support/raw_http.h"

#include <dlfcn.h>
#include <signal.h>

#include <thread>
#include <vector>

namespace latchkey::test {
namespace {

class HostAsync : public HostTest {
 protected:
  uint16_t port() const { return host.port(); }

  // One counter of /test/async-stats (-999 when the stats did not answer).
  int64_t stat(const char* name) {
    const HttpResult result = http.get(url("/test/async-stats"));
    return result.status == 200 ? int_member(parse_json(result.body), name) : -999;
  }

  // Polls until the counter reaches value (5 s at most). The plugin counts a completion after
  // response_complete returned, which may be after the client already has its answer.
  bool eventually(const char* name, int64_t value) {
    return wait_until([&] { return stat(name) == value; }, 5s);
  }
};

std::string raw_get(const std::string& target) { return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"; }

TEST_F(HostAsync, SuspendedRequestsDoNotHoldTheOnlyWorker) {
  start_host(R"("threads": 1)");
  std::vector<HttpResult> held(4);
  std::vector<std::thread> clients;
  for (size_t i = 0; i < held.size(); ++i) {
    clients.emplace_back([&, i] {
      HttpClient client;
      held[i] = client.get(url("/test/async?hold=1&id=" + std::to_string(i)));
    });
  }
  const bool all_suspended = eventually("pending", 4);

  // The one worker is free: it answers while all four wait for the release.
  const HttpResult fast = http.get(url("/test/fast"));
  const int64_t completed_after_fast = stat("completed");
  http.get(url("/test/async-release"));
  for (std::thread& client : clients) client.join();

  ASSERT_TRUE(all_suspended) << "the four requests never all suspended";
  EXPECT_EQ(fast.status, 200) << fast.error;
  EXPECT_EQ(fast.body, R"({"ok":true})");
  EXPECT_EQ(completed_after_fast, 0) << "a held request completed before the fast one answered";
  for (size_t i = 0; i < held.size(); ++i) {
    ASSERT_EQ(held[i].status, 200) << held[i].error;
    EXPECT_EQ(held[i].body, R"({"async":true,"thread_differs":true,"id":")" + std::to_string(i) + R"("})");
    EXPECT_EQ(held[i].header("Content-Type").rfind("application/json", 0), 0u);
  }
  EXPECT_TRUE(eventually("completed", 4)) << stat("completed");
  EXPECT_EQ(stat("wrong_stage"), 0);
}

TEST_F(HostAsync, RequestCompletedFromAnotherThreadAfterAWaitIsAnswered) {
  start_host();
  const HttpResult result = http.get(url("/test/async?ms=300&id=late"));
  ASSERT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, R"({"async":true,"thread_differs":true,"id":"late"})");
  EXPECT_TRUE(eventually("completed", 1)) << stat("completed");
  EXPECT_EQ(stat("pending"), 0);
}

TEST_F(HostAsync, CompletionsRacingTheCallbacksReturnAreEachAnsweredOnce) {
  start_host(R"("threads": 2)");
  // ms=0: the plugin's thread completes while the worker may still be returning from the callback.
  constexpr int kClients = 4;
  constexpr int kRounds = 15;
  std::vector<std::string> failures[kClients];
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(/*keep_alive=*/true);
      for (int i = 0; i < kRounds; ++i) {
        const std::string id = std::to_string(c) + "-" + std::to_string(i);
        const HttpResult handler = client.get(url("/test/async?id=" + id));
        if (handler.body != R"({"async":true,"thread_differs":true,"id":")" + id + R"("})")
          failures[c].push_back("handler " + id + ": " + std::to_string(handler.status) + " " + handler.body);
        const HttpResult filter = client.get(url("/test/async-filter/handler?then=continue"));
        if (filter.status != 200 || filter.header("X-Async-Filter") != "continued")
          failures[c].push_back("filter " + id + ": " + std::to_string(filter.status) + " " + filter.body);
        const HttpResult respond = client.get(url("/test/async-filter/handler?then=respond"));
        if (respond.status != 202) failures[c].push_back("respond " + id + ": " + std::to_string(respond.status));
      }
    });
  }
  for (std::thread& client : clients) client.join();
  for (int c = 0; c < kClients; ++c) EXPECT_TRUE(failures[c].empty()) << failures[c].front();
  EXPECT_TRUE(eventually("completed", 3 * kClients * kRounds)) << stat("completed");
  EXPECT_EQ(stat("wrong_stage"), 0);
  EXPECT_EQ(stat("pending"), 0);
}

TEST_F(HostAsync, CompletionBeforeTheCallbackReturnsIsAnswered) {
  start_host();
  const HttpResult result = http.get(url("/test/async-inline"));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.body, R"({"inline":true})");  // the handler's own return (an error) is ignored
  EXPECT_EQ(stat("completed"), 1);
}

TEST_F(HostAsync, SecondSuspendSecondCompleteAndCompleteWithoutSuspendAreWrongStage) {
  start_host();
  const HttpResult result = http.get(url("/test/async-misuse"));
  ASSERT_EQ(result.status, 200) << result.body;
  const rapidjson::Document json = parse_json(result.body);
  EXPECT_EQ(int_member(json, "complete_unsuspended"), LK_ERR_WRONG_STAGE);
  EXPECT_EQ(int_member(json, "suspend"), LK_OK);
  EXPECT_EQ(int_member(json, "suspend_again"), LK_ERR_WRONG_STAGE);
  EXPECT_EQ(stat("misuse_complete"), LK_OK);
  EXPECT_EQ(stat("misuse_complete_again"), LK_ERR_WRONG_STAGE);
  EXPECT_EQ(http.get(url("/test/fast")).status, 200);
}

TEST_F(HostAsync, NegativeCompletionIs500WithoutWhatTheHandlerWrote) {
  start_host();
  const HttpResult result = http.get(url("/test/async?status=-5"));
  EXPECT_TRUE(is_json_error(result, 500, "internal_error"));
  EXPECT_EQ(result.body.find("async"), std::string::npos) << result.body;
  EXPECT_TRUE(eventually("completed", 1)) << stat("completed");
}

TEST_F(HostAsync, CompletionWithAStatusNoHandlerReturnsIsRefusedAndAnswered500) {
  start_host();
  // The plugin's thread sees LK_ERR_INVALID_ARGUMENT; the request is completed all the same.
  const HttpResult result = http.get(url("/test/async?status=1"));
  EXPECT_TRUE(is_json_error(result, 500, "internal_error"));
  EXPECT_TRUE(eventually("invalid_argument", 1)) << stat("invalid_argument");
  EXPECT_EQ(stat("completed"), 0);
  EXPECT_EQ(stat("pending"), 0);
}

TEST_F(HostAsync, FilterCompletedWithContinueRunsTheHandlerOnAWorker) {
  start_host();
  const HttpResult result = http.get(url("/test/async-filter/handler?then=continue&ms=50"));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.body, R"({"handler":true,"on_plugin_thread":false})");
  EXPECT_EQ(result.header("X-Async-Filter"), "continued");  // what the filter wrote before completing
  EXPECT_TRUE(eventually("completed", 1)) << stat("completed");
}

TEST_F(HostAsync, FilterCompletedWithRespondAnswersInsteadOfTheHandler) {
  start_host();
  const HttpResult result = http.get(url("/test/async-filter/handler?then=respond&ms=50"));
  EXPECT_EQ(result.status, 202) << result.body;
  EXPECT_EQ(result.body, R"({"filter":"respond"})");
}

TEST_F(HostAsync, FilterCompletedWithAFailureIs500) {
  start_host();
  const HttpResult result = http.get(url("/test/async-filter/handler?then=fail"));
  EXPECT_TRUE(is_json_error(result, 500, "internal_error"));
  EXPECT_EQ(result.body.find("SHOULD_NOT_LEAK"), std::string::npos);
}

TEST_F(HostAsync, AuthenticateFilterSetsThePrincipalFromAnotherThread) {
  start_host();
  const HttpResult result = http.get(url("/test/protected"), {{"X-Test-Async-User", "carol"}});
  ASSERT_EQ(result.status, 200) << result.body;
  const rapidjson::Document json = parse_json(result.body);
  EXPECT_EQ(string_member(json, "subject"), "carol");
  EXPECT_EQ(string_member(json, "sid"), "async-sid-carol");
  ASSERT_TRUE(json.HasMember("claims") && json["claims"].IsObject()) << result.body;
  EXPECT_TRUE(json["claims"].HasMember("async") && json["claims"]["async"].IsTrue()) << result.body;
  EXPECT_EQ(stat("async_principal"), LK_OK);
  EXPECT_TRUE(is_json_error(http.get(url("/test/protected")), 401, "invalid_token"));
}

TEST_F(HostAsync, CompletionAfterTheClientLeftIsDroppedAndTheHostServesOn) {
  start_host();
  {
    RawConnection handler(port());
    RawConnection filter(port());
    ASSERT_TRUE(handler.send(raw_get("/test/async?hold=1&id=gone")));
    ASSERT_TRUE(filter.send(raw_get("/test/async-filter/handler?then=continue&hold=1")));
    ASSERT_TRUE(eventually("pending", 2));
  }  // both clients close their sockets here, before either request is completed
  // Lets the reactor see both closes first (no speed is asserted: the test passes either way).
  std::this_thread::sleep_for(100ms);
  // A new connection, likely on a descriptor number the host just freed, with a request of its own.
  RawConnection next(port());
  ASSERT_TRUE(next.send(raw_get("/test/async?hold=1&id=next")));
  ASSERT_TRUE(eventually("pending", 3));
  http.get(url("/test/async-release"));

  const auto response = next.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, R"({"async":true,"thread_differs":true,"id":"next"})");
  EXPECT_FALSE(next.read_response(300ms)) << "a late answer for a client that left reached another one";
  EXPECT_TRUE(eventually("completed", 3));  // response_complete returned LK_OK for all three
  EXPECT_EQ(stat("wrong_stage"), 0);
  EXPECT_EQ(http.get(url("/test/fast")).status, 200);
  EXPECT_TRUE(host.running());
}

TEST_F(HostAsync, SigtermWhileSuspendedStillAnswersAndExitsZero) {
  start_host(R"("threads": 2)");
  HttpResult handler;
  HttpResult filter;
  std::thread handler_client([&] {
    HttpClient client;
    handler = client.get(url("/test/async?ms=500&id=draining"));
  });
  std::thread filter_client([&] {  // completed with CONTINUE during the drain: its handler still runs
    HttpClient client;
    filter = client.get(url("/test/async-filter/handler?then=continue&ms=500"));
  });
  const bool suspended = eventually("pending", 2);
  if (suspended) host.send_signal(SIGTERM);
  handler_client.join();
  filter_client.join();
  ASSERT_TRUE(suspended) << "the requests never suspended";

  EXPECT_EQ(handler.status, 200) << handler.error;
  EXPECT_EQ(handler.body, R"({"async":true,"thread_differs":true,"id":"draining"})");
  EXPECT_EQ(filter.status, 200) << filter.error;
  EXPECT_EQ(filter.body, R"({"handler":true,"on_plugin_thread":false})");
  const std::optional<int> code = host.wait_exit(15s);
  ASSERT_TRUE(code) << "the host did not exit";
  EXPECT_EQ(*code, 0) << host.stderr_text();
  const std::string log = host.stderr_text();
  // The drain waited for both completions: their access lines come after the signal, before destroy.
  const size_t signal_line = log.find("received SIGTERM");
  const size_t destroyed = log.find("test plugin destroyed");
  ASSERT_NE(signal_line, std::string::npos) << log;
  ASSERT_NE(destroyed, std::string::npos) << log;
  for (const char* access : {"GET /test/async 200", "GET /test/async-filter/handler 200"}) {
    const size_t answered = log.find(access);
    ASSERT_NE(answered, std::string::npos) << access << " in:\n" << log;
    EXPECT_LT(signal_line, answered) << log;
    EXPECT_LT(answered, destroyed) << log;
  }
  EXPECT_EQ(log.find("still running after the drain limit"), std::string::npos) << log;
}

TEST_F(HostAsync, SuspendedRequestsOnOneKeptAliveConnectionAreAnsweredInOrder) {
  start_host();
  RawConnection connection(port());
  ASSERT_TRUE(connection.connected());
  for (const std::string id : {"first", "second"}) {
    ASSERT_TRUE(connection.send(raw_get("/test/async?ms=100&id=" + id)));
    const auto response = connection.read_response();
    ASSERT_TRUE(response) << id << " got no answer on the kept-alive connection";
    EXPECT_EQ(response->status, 200) << id;
    EXPECT_EQ(response->body, R"({"async":true,"thread_differs":true,"id":")" + id + R"("})");
    EXPECT_NE(response->header("Connection"), "close") << id;
  }
  EXPECT_TRUE(eventually("completed", 2)) << stat("completed");
}

TEST_F(HostAsync, HelloPluginOfAbi10LoadsIntoThisHostAndAnswers) {
  // hello declares ABI 1.0 on purpose (examples/hello/hello.c), so this host (1.1) is newer.
  void* library = dlopen(kHelloPlugin.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(library, nullptr) << dlerror();
  const auto magic = reinterpret_cast<lk_plugin_magic_fn>(dlsym(library, LK_PLUGIN_MAGIC_SYMBOL));
  ASSERT_NE(magic, nullptr);
  EXPECT_EQ(magic()->abi_major, 1u);
  EXPECT_EQ(magic()->abi_minor, 0u);
  dlclose(library);
  ASSERT_GT(LK_ABI_MINOR, 0) << "this host is not newer than 1.0: the test proves nothing";

  start_host(R"("threads": 2)", {plugin_entry("hello", kHelloPlugin), plugin_entry("test", kTestPlugin)});
  const HttpResult hello = http.get(url("/hello"));
  ASSERT_EQ(hello.status, 200) << hello.body;
  EXPECT_EQ(hello.body, "hello, world\n");
  // A 1.0 and a 1.1 plugin in one host: hello's protected route behind the asynchronous filter.
  const HttpResult private_hello = http.get(url("/hello/private"), {{"X-Test-Async-User", "dave"}});
  EXPECT_EQ(private_hello.status, 200) << private_hello.body;
  EXPECT_EQ(private_hello.body, "hello, dave\n");
}

}  // namespace
}  // namespace latchkey::test
