// The revocation cache: three small maps (sessions, jtis, users) of allowed/refused with the time
// each answer was fetched. The database is asked outside the lock. Every access token has its own
// jti, so answers past the TTL are swept once per TTL: the maps hold what was asked within about
// two TTLs, not every jti and session ever seen (which grew the host's RSS by ~1.4 MB a minute
// under the soak, towards 3 x 100,000 entries).
#include "session/revocation_cache.h"

#include "store/denylist_store.h"
#include "store/session_store.h"
#include "store/user_store.h"

namespace latchkey::session {
namespace {

constexpr size_t kMaxEntries = 100000;  // per map; past it, stale entries are dropped

}  // namespace

template <class Fetch>
bool RevocationCache::cached(std::unordered_map<std::string, Entry>& map, std::string_view key, Fetch&& fetch,
                             bool& fetched) {
  const auto now = Clock::now();
  {
    std::lock_guard lock(mutex_);
    const auto it = map.find(std::string(key));
    if (it != map.end() && now - it->second.fetched < ttl_) return it->second.allowed;
  }
  fetched = true;
  const bool allowed = fetch();
  std::lock_guard lock(mutex_);
  sweep_locked(now);
  if (map.size() >= kMaxEntries) {
    std::erase_if(map, [&](const auto& item) { return now - item.second.fetched >= ttl_; });
    if (map.size() >= kMaxEntries) map.clear();
  }
  map[std::string(key)] = Entry{allowed, now};
  return allowed;
}

bool RevocationCache::allows(std::string_view session_id, std::string_view jti, std::string_view user_id) {
  bool fetched = false;  // a miss when any of the three answers came from the database
  const bool allowed =
      cached(sessions_, session_id, [&] { return !store::SessionStore(db_).is_revoked(session_id); }, fetched) &&
      cached(tokens_, jti, [&] { return !store::DenylistStore(db_).contains(jti); }, fetched) &&
      cached(users_, user_id, [&] {
        const auto user = store::UserStore(db_).find_by_id(user_id);
        return user && user->active;
      }, fetched);
  if (observe_) observe_(!fetched);
  return allowed;
}

void RevocationCache::forget_session(std::string_view session_id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(std::string(session_id));
}

void RevocationCache::forget_user(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  users_.erase(std::string(user_id));
}

void RevocationCache::sweep_locked(Clock::time_point now) {
  if (now - last_sweep_ < ttl_) return;
  last_sweep_ = now;
  for (auto* map : {&sessions_, &tokens_, &users_}) {
    std::erase_if(*map, [&](const auto& item) { return now - item.second.fetched >= ttl_; });
  }
}

size_t RevocationCache::entries() {
  std::lock_guard lock(mutex_);
  return sessions_.size() + tokens_.size() + users_.size();
}

}  // namespace latchkey::session
