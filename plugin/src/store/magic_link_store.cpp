// MagicLinkStore: SQL for magic_links.
#include "store/magic_link_store.h"

#include "store/sql_values.h"

namespace latchkey::store {

void MagicLinkStore::create(const NewMagicLink& link) {
    const long long created_at = link.created_at, expires_at = link.expires_at;
    db_.run([&](soci::session& sql) {
        sql << "INSERT INTO magic_links (token_hash, user_id, created_at, expires_at) "
               "VALUES (:hash, :user_id, :created_at, :expires_at)",
            soci::use(link.token_hash), soci::use(link.user_id), soci::use(created_at), soci::use(expires_at);
    });
}

std::optional<std::string> MagicLinkStore::consume(std::string_view token_hash, std::int64_t now) {
    const std::string hash(token_hash);
    const long long at = now;
    return db_.run([&](soci::session& sql) -> std::optional<std::string> {
        // The affected-row count is read before any other statement: MySQL keeps one per connection.
        const bool won = execute_once(sql,
                                      "UPDATE magic_links SET used_at = :now WHERE token_hash = :hash "
                                      "AND used_at IS NULL AND expires_at > :now2",
                                      soci::use(at), soci::use(hash), soci::use(at)) == 1;
        if (!won) return std::nullopt;
        std::string user_id;
        sql << "SELECT user_id FROM magic_links WHERE token_hash = :hash", soci::into(user_id), soci::use(hash);
        return user_id;
    });
}

std::int64_t MagicLinkStore::purge_expired(std::int64_t now) {
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return static_cast<std::int64_t>(
            execute_once(sql, "DELETE FROM magic_links WHERE expires_at <= :now", soci::use(at)));
    });
}

}  // namespace latchkey::store
