// Latchkey embedded in this test process, on a Pistache endpoint of the test's own with one reactor
// thread: a protected handler runs on another thread than the reactor, an exception escaping it is
// a 500, and after shutdown() the routes stay mounted and answer 503.
#include "embed_test_support.h"

#include <latchkey/embed.hpp>

#include <pistache/endpoint.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>

namespace latchkey::test::embed {
namespace {

using namespace Pistache;

std::string this_thread_name() { return std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())); }

class EmbeddedInProcess : public EmbeddedApp {
 protected:
  void TearDown() override {
    if (endpoint_) endpoint_->shutdown();
  }
  // Serves router on 127.0.0.1 (a free port) with one reactor thread; returns the base URL.
  std::string serve(Rest::Router& router) {
    endpoint_ = std::make_unique<Http::Endpoint>(Address("127.0.0.1", Port(0)));
    endpoint_->init(Http::Endpoint::options().threads(1).flags(Tcp::Options::ReuseAddr));
    endpoint_->setHandler(router.handler());
    endpoint_->serveThreaded();
    return "http://127.0.0.1:" + std::to_string(static_cast<uint16_t>(endpoint_->getPort()));
  }
  std::string token_from(const std::string& base, const std::string& email) {
    const HttpResult login =
        http.post(base + "/api/auth/login", R"({"email":")" + email + R"(","password":")" + kPassword + R"("})", kJson);
    EXPECT_EQ(login.status, 200) << login.body;
    return access_token_of(login);
  }

  std::unique_ptr<Http::Endpoint> endpoint_;
};

TEST_F(EmbeddedInProcess, ProtectedHandlerRunsOffTheReactorAndAThrowIsA500) {
  app.write_config(config());
  add_user("user@example.com");
  latchkey::Embedded lk = latchkey::Embedded::load(app.config_path().string());
  Rest::Router router;
  lk.mount(router);
  Rest::Routes::Get(router, "/reactor-thread", [](const Rest::Request, Http::ResponseWriter writer) {
    writer.send(Http::Code::Ok, this_thread_name());
    return Rest::Route::Result::Ok;
  });
  Rest::Routes::Get(router, "/handler-thread",
                    lk.protect([](const Rest::Request&, Http::ResponseWriter writer, const latchkey::Caller&) {
                      writer.send(Http::Code::Ok, this_thread_name());
                    }));
  Rest::Routes::Get(router, "/boom",
                    lk.protect([](const Rest::Request&, Http::ResponseWriter, const latchkey::Caller&) {
                      throw std::runtime_error("the application's handler throws");
                    }));
  const std::string base = serve(router);
  const std::string token = token_from(base, "user@example.com");

  const HttpResult reactor = http.get(base + "/reactor-thread");
  const HttpResult handler = http.get(base + "/handler-thread", bearer(token));
  ASSERT_EQ(reactor.status, 200);
  ASSERT_EQ(handler.status, 200) << handler.body;
  EXPECT_NE(handler.body, reactor.body) << "the protected handler ran on the reactor thread";

  EXPECT_TRUE(is_json_error(http.get(base + "/boom", bearer(token)), 500, "internal_error"));
  EXPECT_EQ(http.get(base + "/reactor-thread").status, 200) << "the application still serves";
}

TEST_F(EmbeddedInProcess, AfterShutdownTheRoutesStayAndAnswer503) {
  app.write_config(config());
  add_user("user@example.com");
  latchkey::Embedded lk = latchkey::Embedded::load(app.config_path().string());
  Rest::Router router;
  lk.mount(router);
  Rest::Routes::Get(router, "/orders", lk.protect([](const Rest::Request&, Http::ResponseWriter writer,
                                                     const latchkey::Caller&) { writer.send(Http::Code::Ok, "{}"); }));
  std::optional<latchkey::Caller> caller_after_shutdown{latchkey::Caller{}};
  Rest::Routes::Get(router, "/whoami", [&](const Rest::Request request, Http::ResponseWriter writer) {
    caller_after_shutdown = lk.authenticate(request);
    writer.send(Http::Code::Ok, "{}");
    return Rest::Route::Result::Ok;
  });
  const std::string base = serve(router);
  const std::string token = token_from(base, "user@example.com");
  ASSERT_EQ(http.get(base + "/orders", bearer(token)).status, 200);

  lk.shutdown();
  EXPECT_TRUE(is_json_error(http.get(base + "/api/auth/client.js"), 503, "shutting_down"));
  EXPECT_TRUE(is_json_error(http.get(base + "/orders", bearer(token)), 503, "shutting_down"));
  EXPECT_EQ(http.get(base + "/whoami", bearer(token)).status, 200);
  EXPECT_FALSE(caller_after_shutdown.has_value());
  lk.shutdown();  // a second one does nothing
}

}  // namespace
}  // namespace latchkey::test::embed
