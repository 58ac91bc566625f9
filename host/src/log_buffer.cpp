// The access log's buffer: appends take one short lock; the writer thread (or a direct line)
// takes the waiting text whole and writes it outside that lock.
#include "log_buffer.h"

#include <pthread.h>
#include <signal.h>

namespace latchkey::host {

LogBuffer::LogBuffer(Sink sink, size_t capacity, std::chrono::milliseconds interval)
    : sink_(std::move(sink)), capacity_(capacity), interval_(interval) {
  writer_ = std::thread([this] { run(); });
}

LogBuffer::~LogBuffer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
  flush();
}

void LogBuffer::append(std::string_view line) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (pending_.size() + line.size() > capacity_) {
      ++dropped_;
      ++unreported_;
      return;
    }
    pending_.append(line);
    wake = pending_.size() >= capacity_ / 4;
  }
  if (wake) wake_.notify_one();
}

void LogBuffer::write_now(std::string_view line) {
  std::lock_guard write_lock(sink_mutex_);
  std::string chunk;
  {
    std::lock_guard lock(mutex_);
    chunk.swap(spare_);
    chunk.swap(pending_);
    if (unreported_ > 0) {
      chunk += "warn [host] the access log dropped " + std::to_string(unreported_) +
               " line(s): its buffer was full (the log's output is slower than the requests)\n";
      unreported_ = 0;
    }
  }
  chunk.append(line);
  if (!chunk.empty()) sink_(chunk);
  chunk.clear();
  std::lock_guard lock(mutex_);
  if (spare_.capacity() < chunk.capacity()) spare_.swap(chunk);
}

uint64_t LogBuffer::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void LogBuffer::run() {
  // Created by whichever thread logs first: a signal meant for the process (SIGTERM, which the
  // server and an embedding application wait for on their own threads) must never land here.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_ || pending_.size() >= capacity_ / 4; });
    if (pending_.empty() && unreported_ == 0) continue;
    lock.unlock();
    flush();
    lock.lock();
  }
}

}  // namespace latchkey::host
