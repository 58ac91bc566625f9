// ThrottleCountStore: one upsert per count. PostgreSQL and SQLite (3.35+) return the new count with
// RETURNING; MariaDB has no RETURNING on an upsert, so the new count goes through LAST_INSERT_ID(expr),
// which the next statement on the same connection reads back.
#include "throttle/throttle_count_store.h"

#include <soci/soci.h>

namespace latchkey::throttle {
namespace {

// Each placeholder once: SQLite binds a repeated name to one slot, SOCI binds by position.
constexpr const char* kTakeReturning =
    "INSERT INTO throttle_counts (kind, key_hash, window_end, hits) VALUES (:kind, :key, :end, 1) "
    "ON CONFLICT (kind, key_hash) DO UPDATE SET "
    "hits = CASE WHEN throttle_counts.window_end <= :now1 THEN 1 ELSE throttle_counts.hits + 1 END, "
    "window_end = CASE WHEN throttle_counts.window_end <= :now2 THEN :end2 ELSE throttle_counts.window_end END "
    "RETURNING hits, window_end";

// MySQL evaluates the assignments left to right: hits reads window_end before it changes.
constexpr const char* kTakeMysql =
    "INSERT INTO throttle_counts (kind, key_hash, window_end, hits) VALUES (:kind, :key, :end, LAST_INSERT_ID(1)) "
    "ON DUPLICATE KEY UPDATE "
    "hits = LAST_INSERT_ID(IF(window_end <= :now1, 1, hits + 1)), "
    "window_end = IF(window_end <= :now2, :end2, window_end)";

// InnoDB may pick a concurrent upsert of a new key as a deadlock victim; the statement was rolled
// back whole, so running it again is safe.
bool is_deadlock(const soci::soci_error& error) {
  const std::string what = error.what();
  return what.find("Deadlock found") != std::string::npos || what.find("deadlock detected") != std::string::npos;
}

}  // namespace

WindowCount ThrottleCountStore::take(std::string_view kind_view, std::string_view key_view, int64_t window_ms,
                                     int64_t now_ms) {
  const std::string kind(kind_view), key(key_view);
  const long long now = now_ms, end = now_ms + window_ms;
  for (int attempt = 1;; ++attempt) {
    try {
      return db_.run([&](soci::session& sql) {
        long long hits = 0, window_end = 0;
        if (db_.backend() == store::Backend::mysql) {
          sql << kTakeMysql, soci::use(kind), soci::use(key), soci::use(end), soci::use(now), soci::use(now),
              soci::use(end);
          sql << "SELECT LAST_INSERT_ID(), window_end FROM throttle_counts WHERE kind = :kind AND key_hash = :key",
              soci::use(kind), soci::use(key), soci::into(hits), soci::into(window_end);
        } else {
          sql << kTakeReturning, soci::use(kind), soci::use(key), soci::use(end), soci::use(now), soci::use(now),
              soci::use(end), soci::into(hits), soci::into(window_end);
        }
        return WindowCount{hits, window_end};
      });
    } catch (const soci::soci_error& error) {
      if (attempt >= 5 || !is_deadlock(error)) throw;
    }
  }
}

void ThrottleCountStore::give_back(std::string_view kind_view, std::string_view key_view, int64_t now_ms) {
  const std::string kind(kind_view), key(key_view);
  const long long now = now_ms;
  db_.run([&](soci::session& sql) {
    sql << "UPDATE throttle_counts SET hits = hits - 1 "
           "WHERE kind = :kind AND key_hash = :key AND hits > 0 AND window_end > :now",
        soci::use(kind), soci::use(key), soci::use(now);
  });
}

void ThrottleCountStore::clear(std::string_view kind_view, std::string_view key_view) {
  const std::string kind(kind_view), key(key_view);
  db_.run([&](soci::session& sql) {
    sql << "DELETE FROM throttle_counts WHERE kind = :kind AND key_hash = :key", soci::use(kind), soci::use(key);
  });
}

int64_t ThrottleCountStore::purge(int64_t now_ms) {
  const long long now = now_ms;
  return db_.run([&](soci::session& sql) {
    soci::statement st = (sql.prepare << "DELETE FROM throttle_counts WHERE window_end <= :now", soci::use(now));
    st.execute(true);
    return static_cast<int64_t>(st.get_affected_rows());
  });
}

}  // namespace latchkey::throttle
