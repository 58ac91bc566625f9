#include "audit/audit_store.h"

#include "store/sql_values.h"
#include "store/token_hash.h"

namespace latchkey::audit {

void AuditStore::insert(AuditEvent& event) {
  event.id = store::new_id();
  const long long at = event.at_ms;
  soci::indicator user_ind = event.user_id.empty() ? soci::i_null : soci::i_ok;
  soci::indicator session_ind = event.session_id.empty() ? soci::i_null : soci::i_ok;
  db_.run([&](soci::session& sql) {
    store::execute_once(sql,
                        "INSERT INTO auth_events (id, at_ms, event, user_id, session_id, client_address, user_agent, "
                        "detail) VALUES (:id, :at, :event, :user_id, :session_id, :address, :agent, :detail)",
                        soci::use(event.id), soci::use(at), soci::use(event.event), soci::use(event.user_id, user_ind),
                        soci::use(event.session_id, session_ind), soci::use(event.client_address),
                        soci::use(event.user_agent), soci::use(event.detail));
  });
}

std::vector<AuditEvent> AuditStore::list(const EventFilter& filter) {
  // Absent filters are bound as values that match everything, so there is one statement.
  const std::string user = filter.user_id.value_or("");
  const std::string name = filter.event.value_or("");
  const long long since = filter.since_ms.value_or(0);
  const std::string query =
      "SELECT id, at_ms, event, user_id, session_id, client_address, user_agent, detail FROM auth_events "
      "WHERE (:user_any = '' OR user_id = :user) AND (:event_any = '' OR event = :event) AND at_ms >= :since "
      "ORDER BY at_ms DESC, id DESC LIMIT " +
      std::to_string(filter.limit);
  return db_.run([&](soci::session& sql) {
    AuditEvent row;
    long long at = 0;
    soci::indicator user_ind = soci::i_ok, session_ind = soci::i_ok;
    soci::statement st =
        (sql.prepare << query, soci::into(row.id), soci::into(at), soci::into(row.event),
         soci::into(row.user_id, user_ind), soci::into(row.session_id, session_ind), soci::into(row.client_address),
         soci::into(row.user_agent), soci::into(row.detail), soci::use(user), soci::use(user), soci::use(name),
         soci::use(name), soci::use(since));
    st.execute();
    std::vector<AuditEvent> events;
    while (st.fetch()) {
      AuditEvent event = row;
      event.at_ms = at;
      if (user_ind != soci::i_ok) event.user_id.clear();
      if (session_ind != soci::i_ok) event.session_id.clear();
      events.push_back(std::move(event));
    }
    return events;
  });
}

int64_t AuditStore::prune(int64_t before_ms) {
  const long long before = before_ms;
  return db_.run([&](soci::session& sql) {
    return static_cast<int64_t>(
        store::execute_once(sql, "DELETE FROM auth_events WHERE at_ms < :before", soci::use(before)));
  });
}

}  // namespace latchkey::audit
