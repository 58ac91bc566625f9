// Unit tests of host/src/event_bus.cpp: order, "*" subscribers, failures counted, the bounded
// queue, what publish refuses, and finish(). Delivery tasks go to a queue the test runs by hand,
// standing in for the worker pool.
#include "event_bus.h"

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace latchkey::host {
namespace {

using namespace std::string_literals;

// What one subscriber saw: "name json" per event.
struct Seen {
  std::vector<std::string> events;
};

void record(void* user_data, lk_str name, lk_str json) {
  static_cast<Seen*>(user_data)->events.push_back(std::string(name.ptr, name.len) + " " + std::string(json.ptr, json.len));
}

void throw_after_recording(void* user_data, lk_str name, lk_str json) {
  record(user_data, name, json);
  throw std::runtime_error("the subscriber throws");
}

class EventBusTest : public ::testing::Test {
 protected:
  // Starts delivery through tasks this test runs itself (run_tasks), like a worker pool would.
  void start() {
    bus.start([this](std::function<void()> task) {
      tasks.push_back(std::move(task));
      return true;
    });
  }
  void run_tasks() {
    while (!tasks.empty()) {
      auto task = std::move(tasks.front());
      tasks.erase(tasks.begin());
      task();
    }
  }
  int32_t publish(const std::string& name, const std::string& json) { return bus.publish(name, json, "publisher"); }
  // A sample of the registry's text, e.g. "latchkey_events_dropped_total 2".
  bool metrics_show(const std::string& line) { return ("\n" + metrics.render()).find("\n" + line + "\n") != std::string::npos; }

  metrics::Registry metrics;
  EventBus bus{metrics};
  std::vector<std::function<void()>> tasks;
};

TEST_F(EventBusTest, DeliversInPublishOrderAfterPublishReturned) {
  Seen seen;
  bus.subscribe("user.created", record, &seen, "listener");
  start();
  EXPECT_EQ(publish("user.created", R"({"n":1})"), LK_OK);
  EXPECT_EQ(publish("user.created", R"({"n":2})"), LK_OK);
  EXPECT_EQ(publish("user.created", R"({"n":3})"), LK_OK);
  EXPECT_TRUE(seen.events.empty()) << "publish must not call subscribers itself";
  EXPECT_EQ(tasks.size(), 1u) << "one delivery task at a time";
  run_tasks();
  EXPECT_EQ(seen.events, (std::vector<std::string>{R"(user.created {"n":1})", R"(user.created {"n":2})",
                                                   R"(user.created {"n":3})"}));
}

TEST_F(EventBusTest, StarSubscribersGetEveryEventNamedOnesOnlyTheirs) {
  Seen all, created;
  bus.subscribe("*", record, &all, "a");
  bus.subscribe("user.created", record, &created, "b");
  start();
  publish("user.created", "1");
  publish("user.deleted", "2");
  run_tasks();
  EXPECT_EQ(all.events, (std::vector<std::string>{"user.created 1", "user.deleted 2"}));
  EXPECT_EQ(created.events, (std::vector<std::string>{"user.created 1"}));
}

TEST_F(EventBusTest, NoSubscriberMeansOkAndNothingQueued) {
  Seen other;
  bus.subscribe("other", record, &other, "a");
  start();
  EXPECT_EQ(publish("nobody.listens", "{}"), LK_OK);
  EXPECT_TRUE(tasks.empty());
}

TEST_F(EventBusTest, AThrowingSubscriberIsCountedAndTheNextStillCalled) {
  Seen first, second;
  bus.subscribe("e", throw_after_recording, &first, "thrower");
  bus.subscribe("e", record, &second, "after");
  start();
  publish("e", "1");
  publish("e", "2");
  run_tasks();
  EXPECT_EQ(first.events.size(), 2u);
  EXPECT_EQ(second.events, (std::vector<std::string>{"e 1", "e 2"}));
  EXPECT_TRUE(metrics_show("latchkey_event_subscriber_failures_total 2")) << metrics.render();
}

TEST_F(EventBusTest, AFullQueueDropsCountsAndReportsInternal) {
  Seen seen;
  bus.subscribe("e", record, &seen, "listener");
  start();  // the delivery task is queued but not run: the queue fills
  for (size_t i = 0; i < EventBus::kQueueLimit; ++i) ASSERT_EQ(publish("e", std::to_string(i)), LK_OK) << i;
  EXPECT_EQ(publish("e", "1024"), LK_ERR_INTERNAL);
  EXPECT_EQ(publish("e", "1025"), LK_ERR_INTERNAL);
  EXPECT_TRUE(metrics_show("latchkey_events_dropped_total 2")) << metrics.render();
  run_tasks();
  ASSERT_EQ(seen.events.size(), EventBus::kQueueLimit);
  EXPECT_EQ(seen.events.back(), "e 1023");
  EXPECT_EQ(publish("e", "\"again\""), LK_OK) << "room again once delivered";
}

TEST_F(EventBusTest, PublishRefusesWhatIsNotOneJsonValue) {
  Seen seen;
  bus.subscribe("*", record, &seen, "listener");
  start();
  for (const std::string& good : {"1"s, "\"x\""s, "null"s, " {\"a\":[1,{}]} "s, "[]"s})
    EXPECT_EQ(publish("e", good), LK_OK) << good;
  for (const std::string& bad : {""s, "{"s, "{} {}"s, "nul"s, "'x'"s, "\"\xff\""s, "{\"a\":1,}"s})
    EXPECT_EQ(publish("e", bad), LK_ERR_INVALID_ARGUMENT) << ::testing::PrintToString(bad);
  run_tasks();
  EXPECT_EQ(seen.events.size(), 5u);
}

TEST_F(EventBusTest, PublishRefusesBadNamesAndOversizedEvents) {
  Seen seen;
  bus.subscribe("*", record, &seen, "listener");
  start();
  EXPECT_EQ(publish(std::string(128, 'a'), "1"), LK_OK);
  for (const std::string& bad : {""s, "*"s, "User.created"s, "user-created"s, "user created"s, "a\0b"s,
                                 std::string(129, 'a')})
    EXPECT_EQ(publish(bad, "1"), LK_ERR_INVALID_ARGUMENT) << ::testing::PrintToString(bad);
  const std::string name = "big";
  const std::string fits = "\"" + std::string(LK_EVENT_MAX_BYTES - name.size() - 2, 'x') + "\"";
  EXPECT_EQ(publish(name, fits), LK_OK);
  EXPECT_EQ(publish(name, fits + " "), LK_ERR_INVALID_ARGUMENT) << "one byte over LK_EVENT_MAX_BYTES";
}

TEST_F(EventBusTest, EventsPublishedBeforeStartAreDeliveredOnceStarted) {
  Seen seen;
  bus.subscribe("e", record, &seen, "listener");
  publish("e", "\"early\"");
  EXPECT_TRUE(tasks.empty());
  start();
  run_tasks();
  EXPECT_EQ(seen.events, (std::vector<std::string>{R"(e "early")"}));
}

TEST_F(EventBusTest, FinishDeliversWhatIsQueuedThenNothingMore) {
  Seen seen;
  bus.subscribe("e", record, &seen, "listener");
  start();
  publish("e", "1");
  publish("e", "2");
  tasks.clear();  // the workers stopped before running the delivery task
  bus.finish();
  EXPECT_EQ(seen.events, (std::vector<std::string>{"e 1", "e 2"}));
  EXPECT_EQ(publish("e", "\"late\""), LK_ERR_INTERNAL);
  EXPECT_EQ(seen.events.size(), 2u);
}

TEST_F(EventBusTest, ARefusingPoolLeavesEventsForFinish) {
  Seen seen;
  bus.subscribe("e", record, &seen, "listener");
  bus.start([](std::function<void()>) { return false; });  // the pool is stopping
  EXPECT_EQ(publish("e", "1"), LK_OK);
  bus.finish();
  EXPECT_EQ(seen.events, (std::vector<std::string>{"e 1"}));
}

}  // namespace
}  // namespace latchkey::host
