// Events between plugins (ABI 1.2): publish copies the event into a bounded queue and returns;
// one task at a time on the worker pool hands the queued events to their subscribers, in order.
// So a subscriber that throws, blocks or is slow holds at most one worker and never the request
// that published the event; what overflows the queue is counted and logged, never lost silently.
#pragma once

#include "metrics/registry.h"

#include <latchkey/plugin.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::host {

class EventBus {
 public:
  // Queues a task on the worker pool; false when the pool is stopping.
  using Submit = std::function<bool(std::function<void()>)>;

  static constexpr size_t kQueueLimit = 1024;

  explicit EventBus(metrics::Registry& metrics);

  // name is an event name or "*". During the plugins' init (on the main thread).
  void subscribe(std::string name, lk_event_fn callback, void* user_data, std::string plugin);

  // LK_OK (queued, or nobody listens), LK_ERR_INVALID_ARGUMENT (bad name or JSON, too large) or
  // LK_ERR_INTERNAL (queue full: dropped, counted, logged).
  int32_t publish(std::string_view name, std::string_view json, std::string_view plugin);

  // Starts delivering on the workers (events published before wait for this).
  void start(Submit submit);
  // After the workers were joined, before any plugin is destroyed: delivers what is still queued
  // on the calling thread, then delivers nothing more.
  void finish();

  // The rules publish applies to a name.
  static bool is_event_name(std::string_view name);

 private:
  struct Subscriber {
    std::string name;
    lk_event_fn callback;
    void* user_data;
    std::string plugin;
  };
  struct Event {
    std::string name;
    std::string json;
  };

  void deliver_queued();  // runs until the queue is empty
  void deliver(const Event& event);
  bool schedule_locked();  // mutex_ held

  metrics::Series* dropped_;
  metrics::Series* failures_;
  std::mutex mutex_;
  std::vector<Subscriber> subscribers_;
  std::deque<Event> queue_;
  Submit submit_;
  bool delivering_ = false;  // a delivery task is queued or running
  bool finished_ = false;
  uint64_t dropped_since_log_ = 0;
  std::chrono::steady_clock::time_point last_drop_log_{};
};

}  // namespace latchkey::host
