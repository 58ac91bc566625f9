// SessionStore: SQL for the sessions table.
#include "store/session_store.h"

#include "store/sql_values.h"
#include "store/token_hash.h"

#include <utility>

namespace latchkey::store {
namespace {

const std::string session_columns =
    "SELECT id, user_id, created_at, last_used_at, expires_at, revoked_at, client_address, user_agent, amr, auth_time "
    "FROM sessions";

// uses: the bindings of where's placeholders, in order.
template <typename... Uses>
std::vector<Session> select_sessions(soci::session& sql, const std::string& where, Uses&&... uses) {
    Session row;
    std::string amr;
    long long created_at = 0, last_used_at = 0, expires_at = 0, revoked_at = 0, auth_time = 0;
    soci::indicator revoked_ind = soci::i_ok;
    soci::statement st = ((sql.prepare << session_columns + where, soci::into(row.id), soci::into(row.user_id),
                           soci::into(created_at), soci::into(last_used_at), soci::into(expires_at),
                           soci::into(revoked_at, revoked_ind), soci::into(row.client_address),
                           soci::into(row.user_agent), soci::into(amr), soci::into(auth_time)),
                          ..., std::forward<Uses>(uses));
    st.execute();
    std::vector<Session> sessions;
    while (st.fetch()) {
        Session s = row;
        s.created_at = created_at;
        s.last_used_at = last_used_at;
        s.expires_at = expires_at;
        s.revoked_at = nullable(revoked_at, revoked_ind);
        s.amr = split_amr(amr);
        s.auth_time = auth_time;
        sessions.push_back(std::move(s));
    }
    return sessions;
}

}  // namespace

std::string join_amr(const std::vector<std::string>& amr) {
    std::string joined;
    for (const std::string& value : amr) {
        if (!joined.empty()) joined += ' ';
        joined += value;
    }
    return joined;
}

std::vector<std::string> split_amr(std::string_view joined) {
    std::vector<std::string> amr;
    while (!joined.empty()) {
        const size_t space = joined.find(' ');
        if (space != 0) amr.emplace_back(joined.substr(0, space));
        if (space == std::string_view::npos) break;
        joined.remove_prefix(space + 1);
    }
    return amr;
}

Session SessionStore::create(std::string_view user_id, std::int64_t now, std::int64_t expires_at,
                             const SessionLogin& login) {
    Session session{new_id(), std::string(user_id), now, now, expires_at, std::nullopt,
                    login.client_address, login.user_agent, login.amr, login.auth_time};
    const long long created = now, expires = expires_at, auth_time = login.auth_time;
    const std::string amr = join_amr(login.amr);
    db_.run([&](soci::session& sql) {
        sql << "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, client_address, user_agent, "
               "amr, auth_time) VALUES (:id, :user_id, :created_at, :last_used_at, :expires_at, :client_address, "
               ":user_agent, :amr, :auth_time)",
            soci::use(session.id), soci::use(session.user_id), soci::use(created), soci::use(created),
            soci::use(expires), soci::use(session.client_address), soci::use(session.user_agent), soci::use(amr),
            soci::use(auth_time);
    });
    return session;
}

bool SessionStore::set_authentication(std::string_view id, const std::vector<std::string>& amr,
                                      std::int64_t auth_time) {
    const std::string key(id), joined = join_amr(amr);
    const long long at = auth_time;
    return db_.run([&](soci::session& sql) {
        if (execute_once(sql, "UPDATE sessions SET amr = :amr, auth_time = :auth_time WHERE id = :id AND revoked_at IS NULL",
                         soci::use(joined), soci::use(at), soci::use(key)) == 1) {
            return true;
        }
        // MariaDB counts changed rows, not matched ones: a second step-up within the same second
        // changes nothing, and is still a live session that now says so.
        int unchanged = 0;
        sql << "SELECT COUNT(*) FROM sessions WHERE id = :id AND revoked_at IS NULL AND amr = :amr AND auth_time = :auth_time",
            soci::into(unchanged), soci::use(key), soci::use(joined), soci::use(at);
        return unchanged == 1;
    });
}

std::optional<Session> SessionStore::find(std::string_view id) {
    const std::string key(id);
    auto sessions = db_.run([&](soci::session& sql) { return select_sessions(sql, " WHERE id = :id", soci::use(key)); });
    if (sessions.empty()) return std::nullopt;
    return std::move(sessions.front());
}

std::vector<Session> SessionStore::list_for_user(std::string_view user_id) {
    const std::string key(user_id);
    return db_.run([&](soci::session& sql) {
        return select_sessions(sql, " WHERE user_id = :user_id ORDER BY created_at DESC, id", soci::use(key));
    });
}

std::vector<Session> SessionStore::list_live_for_user(std::string_view user_id, std::int64_t now,
                                                      std::optional<std::int64_t> idle_seconds) {
    const std::string key(user_id);
    const long long at = now;
    const long long used_after = idle_seconds && *idle_seconds < now ? now - *idle_seconds : -1;
    return db_.run([&](soci::session& sql) {
        return select_sessions(sql,
                               " WHERE user_id = :user_id AND revoked_at IS NULL AND expires_at > :now "
                               "AND last_used_at > :used_after ORDER BY created_at DESC, id",
                               soci::use(key), soci::use(at), soci::use(used_after));
    });
}

bool SessionStore::touch(std::string_view id, std::int64_t now) {
    const std::string key(id);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql, "UPDATE sessions SET last_used_at = :now WHERE id = :id", soci::use(at), soci::use(key)) > 0;
    });
}

bool SessionStore::revoke(std::string_view id, std::int64_t now) {
    const std::string key(id);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql, "UPDATE sessions SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL",
                            soci::use(at), soci::use(key)) == 1;
    });
}

bool SessionStore::revoke_for_user(std::string_view id, std::string_view user_id, std::int64_t now) {
    const std::string key(id), user(user_id);
    const long long at = now, live_after = now;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql,
                            "UPDATE sessions SET revoked_at = :now WHERE id = :id AND user_id = :user_id "
                            "AND revoked_at IS NULL AND expires_at > :live_after",
                            soci::use(at), soci::use(key), soci::use(user), soci::use(live_after)) == 1;
    });
}

std::int64_t SessionStore::revoke_all_for_user(std::string_view user_id, std::int64_t now,
                                               std::optional<std::string_view> except_id) {
    const std::string user(user_id), except(except_id.value_or(""));
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        const std::string update = "UPDATE sessions SET revoked_at = :now WHERE user_id = :user_id AND revoked_at IS NULL";
        const long long changed =
            except_id ? execute_once(sql, update + " AND id <> :except", soci::use(at), soci::use(user), soci::use(except))
                      : execute_once(sql, update, soci::use(at), soci::use(user));
        return static_cast<std::int64_t>(changed);
    });
}

bool SessionStore::is_revoked(std::string_view id) {
    const std::string key(id);
    return db_.run([&](soci::session& sql) {
        int active = 0;
        sql << "SELECT COUNT(*) FROM sessions WHERE id = :id AND revoked_at IS NULL", soci::into(active), soci::use(key);
        return active == 0;
    });
}

std::vector<RevokedSession> SessionStore::revoked_since(std::int64_t since) {
    const long long from = since;
    return db_.run([&](soci::session& sql) {
        std::vector<RevokedSession> revoked;
        std::string id;
        long long at = 0;
        soci::statement st = (sql.prepare << "SELECT id, revoked_at FROM sessions WHERE revoked_at >= :since ORDER BY revoked_at",
                              soci::into(id), soci::into(at), soci::use(from));
        st.execute();
        while (st.fetch()) revoked.push_back({id, at});
        return revoked;
    });
}

}  // namespace latchkey::store
