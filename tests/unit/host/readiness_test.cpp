// Unit tests of host/src/readiness.cpp: how plugins' readiness checks become /readyz's report.
#include "readiness.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace latchkey::host {
namespace {

int32_t ready(void*, char*, size_t) { return LK_OK; }

// user_data is the reason to write.
int32_t not_ready(void* user_data, char* reason, size_t size) {
  std::snprintf(reason, size, "%s", static_cast<const char*>(user_data));
  return LK_ERR_INTERNAL;
}

int32_t not_ready_silently(void*, char*, size_t) { return LK_ERR_NOT_FOUND; }

int32_t throws(void*, char*, size_t) { throw std::runtime_error("the check throws"); }

// Fills the whole buffer with no NUL at all.
int32_t overflows(void*, char* reason, size_t size) {
  std::memset(reason, 'x', size);
  return LK_ERR_INTERNAL;
}

TEST(Readiness, NoChecksIsReady) {
  const Readiness readiness;
  EXPECT_TRUE(readiness.check().ready);
}

TEST(Readiness, ReadyWhenEveryCheckReturnsOk) {
  Readiness readiness;
  readiness.add("a", ready, nullptr);
  readiness.add("b", ready, nullptr);
  const Readiness::Report report = readiness.check();
  EXPECT_TRUE(report.ready);
  EXPECT_TRUE(report.not_ready.empty());
}

TEST(Readiness, EveryFailingPluginIsReportedWithItsReasonInOrder) {
  Readiness readiness;
  char database[] = "database: no answer within 1 s";
  char mail[] = "mail: spool missing";
  readiness.add("auth", not_ready, database);
  readiness.add("fine", ready, nullptr);
  readiness.add("mailer", not_ready, mail);
  const Readiness::Report report = readiness.check();
  EXPECT_FALSE(report.ready);
  ASSERT_EQ(report.not_ready.size(), 2u);
  EXPECT_EQ(report.not_ready[0], std::make_pair(std::string("auth"), std::string(database)));
  EXPECT_EQ(report.not_ready[1], std::make_pair(std::string("mailer"), std::string(mail)));
}

TEST(Readiness, AThrowingCheckIsNotReadyWithAReason) {
  Readiness readiness;
  readiness.add("thrower", throws, nullptr);
  const Readiness::Report report = readiness.check();
  EXPECT_FALSE(report.ready);
  ASSERT_EQ(report.not_ready.size(), 1u);
  EXPECT_EQ(report.not_ready[0].first, "thrower");
  EXPECT_EQ(report.not_ready[0].second, "its readiness check threw");
}

TEST(Readiness, ACheckWithoutAReasonStillSaysNotReady) {
  Readiness readiness;
  readiness.add("quiet", not_ready_silently, nullptr);
  const Readiness::Report report = readiness.check();
  ASSERT_EQ(report.not_ready.size(), 1u);
  EXPECT_EQ(report.not_ready[0].second, "not ready");
}

TEST(Readiness, AnUnterminatedReasonIsCut) {
  Readiness readiness;
  readiness.add("long", overflows, nullptr);
  const Readiness::Report report = readiness.check();
  ASSERT_EQ(report.not_ready.size(), 1u);
  EXPECT_EQ(report.not_ready[0].second, std::string(255, 'x'));
}

}  // namespace
}  // namespace latchkey::host
