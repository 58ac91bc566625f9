// SessionService's part for a user's own sessions (CONTRACT §10): the live ones listed, one ended,
// all but the current one ended. Every revocation names the user in its WHERE clause, so a session
// id of another user can never end a session, whatever the route passes.
#include "session/device_name.h"
#include "session/session_service.h"

namespace latchkey::session {
namespace {

const char* const kByUser = R"({"by":"user"})";

}  // namespace

std::vector<ListedSession> SessionService::list_sessions(std::string_view user_id,
                                                         std::string_view current_session_id) {
  std::vector<ListedSession> listed;
  for (store::Session& session : store::SessionStore(db_).list_live_for_user(user_id, now_seconds())) {
    const bool current = session.id == current_session_id;
    std::string device = device_name(session.user_agent);
    listed.push_back({std::move(session), std::move(device), current});
  }
  return listed;
}

RevokeSessionOutcome SessionService::revoke_session(std::string_view user_id, std::string_view session_id) {
  audit::Pending events;
  const bool revoked = db_.transaction([&] {
    const bool ended = store::SessionStore(db_).revoke_for_user(session_id, user_id, now_seconds());
    if (ended) audit::write(audit_, events, "session.revoked", user_id, session_id, kByUser);
    return ended;
  });
  if (!revoked) return RevokeSessionOutcome::not_found;
  // Forgotten after the commit, so no other request can cache the state from before it.
  revocations_.forget_session(session_id);
  audit::announce(audit_, events);
  return RevokeSessionOutcome::revoked;
}

int64_t SessionService::logout_others(std::string_view user_id, std::string_view current_session_id) {
  store::SessionStore sessions(db_);
  std::vector<std::string> ended;
  audit::Pending events;
  db_.transaction([&] {
    const int64_t now = now_seconds();
    // One by one, so that each event names a session this call really ended (a session another
    // request ends meanwhile is its event, not ours).
    for (const store::Session& session : sessions.list_live_for_user(user_id, now)) {
      if (session.id == current_session_id || !sessions.revoke_for_user(session.id, user_id, now)) continue;
      audit::write(audit_, events, "session.revoked", user_id, session.id, kByUser);
      ended.push_back(session.id);
    }
  });
  for (const std::string& id : ended) revocations_.forget_session(id);
  audit::announce(audit_, events);
  return static_cast<int64_t>(ended.size());
}

}  // namespace latchkey::session
