// A sleep that a stop interrupts, then a reload; the reload's own failures are LiveKeys' to log.
#include "keys/key_refresher.h"

namespace latchkey::keys {

KeyRefresher::KeyRefresher(LiveKeys& keys, std::chrono::milliseconds every)
    : keys_(keys), every_(every), thread_([this] { run(); }) {}

KeyRefresher::~KeyRefresher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void KeyRefresher::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
    lock.unlock();
    keys_.reload();
    lock.lock();
  }
}

}  // namespace latchkey::keys
