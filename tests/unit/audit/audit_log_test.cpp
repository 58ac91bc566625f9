// AuditLog on each backend: an event is a row and reaches the sink only once its transaction
// committed; a rolled-back change leaves neither; the client of the thread is recorded; filters,
// order and pruning of the store.
#include "audit/audit_log.h"
#include "audit/client_context.h"

#include "test_database.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace latchkey::audit {
namespace {

using store::Backend;
using AuditLogTest = store::testing::StoreTest;

struct Sunk {
  std::vector<std::string> names;
  std::vector<std::string> json;
};

TEST_P(AuditLogTest, EventReachesTheSinkOnlyAfterItsTransactionCommitted) {
  Sunk sunk;
  int64_t rows_seen_by_sink = -1;
  AuditLog log(db(), 90, [&](const AuditEvent& event, const std::string& json) {
    sunk.names.push_back(event.event);
    sunk.json.push_back(json);
    rows_seen_by_sink = static_cast<int64_t>(AuditStore(db()).list({}).size());  // from another connection
  });
  Pending pending;
  db().transaction([&] {
    log.write(pending, log.make("logout", "user-1", "session-1"));
    EXPECT_TRUE(sunk.names.empty()) << "announced before the commit";
  });
  log.announce(pending);
  EXPECT_EQ(sunk.names, std::vector<std::string>{"logout"});
  EXPECT_EQ(rows_seen_by_sink, 1) << "the sink ran before the row was visible";
  EXPECT_TRUE(pending.empty());
}

TEST_P(AuditLogTest, RolledBackChangeLeavesNoRowAndNoAnnouncement) {
  Sunk sunk;
  AuditLog log(db(), 90, [&](const AuditEvent& event, const std::string&) { sunk.names.push_back(event.event); });
  Pending pending;
  EXPECT_THROW(db().transaction([&] {
    log.write(pending, log.make("password.changed", "user-1"));
    throw std::runtime_error("the change failed");
  }),
               std::runtime_error);
  pending.clear();  // what a service does when its transaction threw: it never announces
  EXPECT_TRUE(AuditStore(db()).list({}).empty());
  EXPECT_TRUE(sunk.names.empty());
}

TEST_P(AuditLogTest, RecordsTheThreadsClientAndSurvivesAThrowingSink) {
  AuditLog log(db(), 90, [](const AuditEvent&, const std::string&) { throw std::runtime_error("sink down"); });
  {
    const ClientScope client("198.51.100.4", "Browser/1");
    EXPECT_NO_THROW(log.record(log.make("login.failed", "", "", detail({{"reason", "invalid_credentials"}}))));
  }
  log.record(log.make("user.disabled", "user-2"));  // outside any scope: no client
  const std::vector<AuditEvent> events = AuditStore(db()).list({});
  ASSERT_EQ(events.size(), 2u);
  const AuditEvent& failed = events[0].event == "login.failed" ? events[0] : events[1];
  const AuditEvent& disabled = events[0].event == "login.failed" ? events[1] : events[0];
  EXPECT_EQ(failed.client_address, "198.51.100.4");
  EXPECT_EQ(failed.user_agent, "Browser/1");
  EXPECT_EQ(failed.user_id, "");
  EXPECT_EQ(failed.detail, R"({"reason":"invalid_credentials"})");
  EXPECT_EQ(disabled.client_address, "");
  EXPECT_EQ(disabled.user_id, "user-2");
}

TEST_P(AuditLogTest, ListFiltersNewestFirstAndPruneDropsOnlyOldEvents) {
  int64_t now = 1'000'000'000'000;
  AuditLog log(db(), 30, {}, [&] { return now; });
  log.record(log.make("login.failed", "a"));
  now += 1000;
  log.record(log.make("login.succeeded", "a", "s1"));
  now += 1000;
  log.record(log.make("login.succeeded", "b", "s2"));
  AuditStore store(db());
  std::vector<AuditEvent> all = store.list({});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].user_id, "b");
  EXPECT_EQ(all[2].event, "login.failed");
  EXPECT_EQ(store.list({std::string("a"), std::nullopt, std::nullopt, 100}).size(), 2u);
  EXPECT_EQ(store.list({std::nullopt, std::string("login.succeeded"), std::nullopt, 100}).size(), 2u);
  EXPECT_EQ(store.list({std::nullopt, std::nullopt, now - 500, 100}).size(), 1u);
  EXPECT_EQ(store.list({std::nullopt, std::nullopt, std::nullopt, 1}).size(), 1u);

  now += 30LL * 86400 * 1000 - 1500;  // the first event is 30 days and 500 ms old, the second 30 days less 500 ms
  EXPECT_EQ(log.prune(), 1);
  all = store.list({});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].event, "login.succeeded");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest,
                         ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql),
                         store::testing::backend_param_name);

}  // namespace
}  // namespace latchkey::audit
