#include "event_bus.h"

#include "log.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace latchkey::host {
namespace {

bool is_json_value(std::string_view json) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  return !document.HasParseError();
}

}  // namespace

EventBus::EventBus(metrics::Registry& metrics)
    : dropped_(metrics.series(metrics::Type::counter, "latchkey_events_dropped_total",
                              "Events not delivered because the host's event queue was full", {})),
      failures_(metrics.series(metrics::Type::counter, "latchkey_event_subscriber_failures_total",
                               "Event deliveries whose subscriber threw", {})) {}

bool EventBus::is_event_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  return true;
}

void EventBus::subscribe(std::string name, lk_event_fn callback, void* user_data, std::string plugin) {
  std::lock_guard lock(mutex_);
  subscribers_.push_back({std::move(name), callback, user_data, std::move(plugin)});
}

int32_t EventBus::publish(std::string_view name, std::string_view json, std::string_view plugin) {
  if (!is_event_name(name) || name.size() + json.size() > LK_EVENT_MAX_BYTES) return LK_ERR_INVALID_ARGUMENT;
  {
    std::lock_guard lock(mutex_);
    bool listened = false;
    for (const Subscriber& subscriber : subscribers_) listened |= subscriber.name == "*" || subscriber.name == name;
    if (!listened) return LK_OK;
  }
  if (!is_json_value(json)) return LK_ERR_INVALID_ARGUMENT;  // outside the lock: it is the slow part

  std::unique_lock lock(mutex_);
  if (finished_ || queue_.size() >= kQueueLimit) {
    dropped_->add(1);
    ++dropped_since_log_;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_drop_log_ < std::chrono::seconds(1)) return LK_ERR_INTERNAL;
    last_drop_log_ = now;
    const uint64_t count = dropped_since_log_;
    dropped_since_log_ = 0;
    lock.unlock();
    log_line(LogLevel::warn, "host",
             "event queue full: dropped " + std::to_string(count) + " event(s), the last '" + std::string(name) +
                 "' from plugin '" + std::string(plugin) + "' (latchkey_events_dropped_total counts them all)");
    return LK_ERR_INTERNAL;
  }
  queue_.push_back({std::string(name), std::string(json)});
  schedule_locked();
  return LK_OK;
}

bool EventBus::schedule_locked() {
  if (delivering_ || !submit_ || queue_.empty()) return true;
  delivering_ = true;
  if (submit_([this] { deliver_queued(); })) return true;
  delivering_ = false;  // the workers are stopping: finish() delivers what is left
  return false;
}

void EventBus::start(Submit submit) {
  std::lock_guard lock(mutex_);
  submit_ = std::move(submit);
  schedule_locked();
}

void EventBus::deliver_queued() {
  for (;;) {
    Event event;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) {
        delivering_ = false;
        return;
      }
      event = std::move(queue_.front());
      queue_.pop_front();
    }
    deliver(event);
  }
}

void EventBus::deliver(const Event& event) {
  // Subscribers are added only during init, before any delivery: reading them unlocked is safe.
  const lk_str name{event.name.data(), event.name.size()};
  const lk_str json{event.json.data(), event.json.size()};
  for (const Subscriber& subscriber : subscribers_) {
    if (subscriber.name != "*" && subscriber.name != event.name) continue;
    try {
      subscriber.callback(subscriber.user_data, name, json);
    } catch (...) {
      failures_->add(1);
      log_line(LogLevel::error, subscriber.plugin, "event subscriber threw on '" + event.name + "'");
    }
  }
}

void EventBus::finish() {
  std::deque<Event> left;
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
    submit_ = nullptr;
    left.swap(queue_);
  }
  for (const Event& event : left) deliver(event);
}

}  // namespace latchkey::host
