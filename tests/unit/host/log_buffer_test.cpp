// The access log's buffer: order kept between buffered and direct lines, lines written without a
// flush, and a full buffer that drops lines, counts them and says so.
#include "log_buffer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace latchkey::host {
namespace {

using namespace std::chrono_literals;

// Collects what the buffer writes; can hold the next write until released.
class RecordingSink {
 public:
  LogBuffer::Sink sink() {
    return [this](std::string_view text) {
      std::unique_lock lock(mutex_);
      ++writes_;
      changed_.notify_all();
      changed_.wait(lock, [this] { return !held_; });
      written_.append(text);
      changed_.notify_all();
    };
  }
  void hold() {
    std::lock_guard lock(mutex_);
    held_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    held_ = false;
    changed_.notify_all();
  }
  bool wait_for_writes(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return writes_ >= count; });
  }
  bool wait_for_text(const std::string& needle) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return written_.find(needle) != std::string::npos; });
  }
  std::string written() {
    std::lock_guard lock(mutex_);
    return written_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  int writes_ = 0;
  std::string written_;
};

TEST(LogBuffer, DirectLinesComeAfterTheBufferedOnesBeforeThem) {
  RecordingSink sink;
  LogBuffer buffer(sink.sink(), 1 << 16, std::chrono::hours(1));
  buffer.append("a\n");
  buffer.append("b\n");
  buffer.write_now("direct\n");
  buffer.append("c\n");
  buffer.flush();
  EXPECT_EQ(sink.written(), "a\nb\ndirect\nc\n");
  EXPECT_EQ(buffer.dropped(), 0u);
}

TEST(LogBuffer, TheWriterThreadWritesBufferedLinesWithoutAFlush) {
  RecordingSink sink;
  LogBuffer buffer(sink.sink(), 1 << 16, 5ms);
  buffer.append("GET /hello 200\n");
  EXPECT_TRUE(sink.wait_for_text("GET /hello 200\n")) << sink.written();
}

TEST(LogBuffer, AQuarterFullBufferWakesTheWriterBeforeItsInterval) {
  RecordingSink sink;
  LogBuffer buffer(sink.sink(), 100, std::chrono::hours(1));
  for (int i = 0; i < 3; ++i) buffer.append("123456789\n");  // 30 bytes >= 100 / 4
  EXPECT_TRUE(sink.wait_for_text("123456789\n123456789\n123456789\n")) << sink.written();
}

TEST(LogBuffer, AFullBufferDropsLinesCountsThemAndSaysSo) {
  RecordingSink sink;
  LogBuffer buffer(sink.sink(), 100, std::chrono::hours(1));
  sink.hold();
  std::thread stuck([&] { buffer.write_now("first\n"); });  // the log's output stalls
  ASSERT_TRUE(sink.wait_for_writes(1));
  for (int i = 0; i < 25; ++i) buffer.append("line " + std::to_string(i % 10) + "...\n");  // 10 bytes each
  EXPECT_EQ(buffer.dropped(), 15u);  // 10 lines fill the 100 bytes
  sink.release();
  stuck.join();
  buffer.flush();
  const std::string written = sink.written();
  EXPECT_EQ(written.find("first\n"), 0u) << written;
  EXPECT_NE(written.find("line 9...\n"), std::string::npos) << written;
  EXPECT_NE(written.find("warn [host] the access log dropped 15 line(s)"), std::string::npos) << written;
  // Said once: a later write does not repeat it.
  buffer.write_now("later\n");
  const std::string after = sink.written();
  EXPECT_EQ(after.find("dropped 15"), after.rfind("dropped 15")) << after;
}

TEST(LogBuffer, DestroyingItWritesWhatWaits) {
  RecordingSink sink;
  {
    LogBuffer buffer(sink.sink(), 1 << 16, std::chrono::hours(1));
    buffer.append("last words\n");
  }
  EXPECT_EQ(sink.written(), "last words\n");
}

}  // namespace
}  // namespace latchkey::host
