// Log lines that may wait (the access log) kept in memory and written by one thread, so that a
// request never pays a write(2) of its own. Other lines are written at once, after whatever waits,
// so the order of lines holds. A full buffer drops lines, counts them, and says so in the log.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace latchkey::host {

class LogBuffer {
 public:
  // Writes text (whole lines) to the log's destination; called by one thread at a time.
  using Sink = std::function<void(std::string_view text)>;

  // capacity: bytes waiting at most (past it, lines are dropped and counted). interval: how long a
  // line waits at most before the writer thread writes it (sooner when a quarter of capacity waits).
  LogBuffer(Sink sink, size_t capacity, std::chrono::milliseconds interval);
  ~LogBuffer();  // writes what waits, then stops the writer thread
  LogBuffer(const LogBuffer&) = delete;
  LogBuffer& operator=(const LogBuffer&) = delete;

  // Queues a line (with its '\n'); never blocks on the sink.
  void append(std::string_view line);
  // Writes what waits, then line, on the calling thread.
  void write_now(std::string_view line);
  void flush() { write_now({}); }

  // Lines dropped because the buffer was full, since the start.
  uint64_t dropped() const;

 private:
  void run();

  Sink sink_;
  const size_t capacity_;
  const std::chrono::milliseconds interval_;
  // Taken before mutex_ by whoever writes: chunks are taken from pending_ and written in one order.
  std::mutex sink_mutex_;
  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  std::string pending_;
  std::string spare_;  // the last written chunk's storage, reused
  uint64_t dropped_ = 0;
  uint64_t unreported_ = 0;  // dropped lines the log has not mentioned yet
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace latchkey::host
