// DatabaseThrottle: two keys counted one after the other; a refusal by the address takes back the
// account's count, so a refused attempt costs neither key anything.
#include "throttle/database_throttle.h"

#include "store/store_unavailable.h"
#include "store/token_hash.h"

namespace latchkey::throttle {
namespace {

constexpr int64_t kPurgeEveryMs = 60'000;
constexpr int64_t kWarnEveryMs = 60'000;

std::chrono::seconds wait_until(int64_t window_end_ms, int64_t now_ms) {
  const int64_t wait_ms = window_end_ms - now_ms;
  return std::chrono::seconds(std::max<int64_t>(1, (wait_ms + 999) / 1000));
}

}  // namespace

DatabaseThrottle::DatabaseThrottle(store::Database& db, Limits limits, Warn warn, WallClock clock)
    : counts_(db),
      limits_(limits),
      account_kind_(limits.name + ".account"),
      address_kind_(limits.name + ".address"),
      warn_(std::move(warn)),
      clock_(std::move(clock)),
      fallback_(limits) {}

std::optional<std::chrono::seconds> DatabaseThrottle::count(std::string_view account, std::string_view address) {
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
  try {
    purge_now_and_then(now_ms);
    return count_in_database(account, address, now_ms);
  } catch (const store::StoreUnavailable&) {
    // The database is unreachable or hung: the request needs it anyway, so it is answered 503 now,
    // after one timeout rather than two.
    throw;
  } catch (const std::exception& failure) {
    warn_failure(failure, now_ms);
    return fallback_.count(account, address);
  }
}

std::optional<std::chrono::seconds> DatabaseThrottle::count_in_database(std::string_view account,
                                                                        std::string_view address, int64_t now_ms) {
  const int64_t window_ms = int64_t{limits_.window_seconds} * 1000;
  std::string account_hash;
  if (limits_.per_account) {
    account_hash = store::hash_token(account);
    const WindowCount counted = counts_.take(account_kind_, account_hash, window_ms, now_ms);
    if (counted.hits > limits_.per_account) return wait_until(counted.window_end_ms, now_ms);
  }
  const WindowCount counted = counts_.take(address_kind_, store::hash_token(address), window_ms, now_ms);
  if (counted.hits <= limits_.per_address) return std::nullopt;
  if (limits_.per_account) counts_.give_back(account_kind_, account_hash, now_ms);
  return wait_until(counted.window_end_ms, now_ms);
}

void DatabaseThrottle::succeeded(std::string_view account, std::string_view address) {
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
  try {
    if (limits_.per_account) counts_.clear(account_kind_, store::hash_token(account));
    counts_.give_back(address_kind_, store::hash_token(address), now_ms);
  } catch (const std::exception& failure) {
    warn_failure(failure, now_ms);
  }
  fallback_.succeeded(account, address);  // it may have counted the attempt during an outage
}

void DatabaseThrottle::withdraw(std::string_view account, std::string_view address) {
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
  try {
    if (limits_.per_account) counts_.give_back(account_kind_, store::hash_token(account), now_ms);
    counts_.give_back(address_kind_, store::hash_token(address), now_ms);
  } catch (const std::exception& failure) {
    warn_failure(failure, now_ms);
  }
  fallback_.withdraw(account, address);
}

void DatabaseThrottle::purge_now_and_then(int64_t now_ms) {
  int64_t due = next_purge_ms_.load();
  if (now_ms < due || !next_purge_ms_.compare_exchange_strong(due, now_ms + kPurgeEveryMs)) return;
  counts_.purge(now_ms);
}

void DatabaseThrottle::warn_failure(const std::exception& failure, int64_t now_ms) {
  int64_t due = next_warning_ms_.load();
  if (now_ms < due || !next_warning_ms_.compare_exchange_strong(due, now_ms + kWarnEveryMs)) return;
  warn_("throttle \"" + limits_.name + "\": the database could not count (" + failure.what() +
        "); this host counts on its own meanwhile, so each host allows the limit");
}

}  // namespace latchkey::throttle
