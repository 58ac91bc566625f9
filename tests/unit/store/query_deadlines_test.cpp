// QueryDeadlines on a socketpair: a read blocked past its deadline is released by the shutdown,
// and one that ends in time is left alone.
#include "store/query_deadlines.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace latchkey::store {
namespace {

using namespace std::chrono_literals;

class SocketPair {
 public:
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  ~SocketPair() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int ours() const { return fds_[0]; }
  int peer() const { return fds_[1]; }

 private:
  int fds_[2] = {-1, -1};
};

TEST(QueryDeadlines, ABlockedReadIsReleasedAtTheDeadline) {
  SocketPair pair;
  QueryDeadlines deadlines(2, 200ms);
  const auto start = std::chrono::steady_clock::now();
  deadlines.arm(1, pair.ours());
  char byte = 0;
  const ssize_t got = ::recv(pair.ours(), &byte, 1, 0);  // the peer never writes
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got, 0) << "a shut socket reads as end of stream";
  EXPECT_TRUE(deadlines.disarm(1));
  EXPECT_GE(waited, 200ms);
  EXPECT_LT(waited, 5s);
}

TEST(QueryDeadlines, AnAnswerInTimeLeavesTheSocketOpen) {
  SocketPair pair;
  QueryDeadlines deadlines(1, 2s);
  deadlines.arm(0, pair.ours());
  ASSERT_EQ(::send(pair.peer(), "x", 1, 0), 1);
  char byte = 0;
  ASSERT_EQ(::recv(pair.ours(), &byte, 1, 0), 1);
  EXPECT_FALSE(deadlines.disarm(0));
  // Still usable after the deadline would have passed.
  std::this_thread::sleep_for(50ms);
  ASSERT_EQ(::send(pair.peer(), "y", 1, 0), 1);
  ASSERT_EQ(::recv(pair.ours(), &byte, 1, 0), 1);
  EXPECT_EQ(byte, 'y');
}

TEST(QueryDeadlines, ANegativeSocketIsNotWatched) {
  QueryDeadlines deadlines(1, 10ms);
  deadlines.arm(0, -1);
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(deadlines.disarm(0));
}

}  // namespace
}  // namespace latchkey::store
