// SignInNonceStore: SQL for sign_in_nonces.
#include "store/sign_in_nonce_store.h"

#include "store/token_hash.h"

namespace latchkey::store {

std::string SignInNonceStore::issue(std::int64_t now, std::int64_t expires_at) {
    const std::string nonce = random_hex(32);
    const std::string hash = hash_token(nonce);
    const long long at = now, until = expires_at;
    db_.run([&](soci::session& sql) {
        sql << "DELETE FROM sign_in_nonces WHERE expires_at < :now", soci::use(at);
        sql << "INSERT INTO sign_in_nonces (nonce_hash, expires_at) VALUES (:hash, :expires_at)",
            soci::use(hash), soci::use(until);
    });
    return nonce;
}

bool SignInNonceStore::consume(std::string_view nonce, std::int64_t now) {
    const std::string hash = hash_token(nonce);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        soci::statement st = (sql.prepare << "DELETE FROM sign_in_nonces WHERE nonce_hash = :hash AND expires_at >= :now",
                              soci::use(hash), soci::use(at));
        st.execute(true);
        return st.get_affected_rows() == 1;
    });
}

}  // namespace latchkey::store
