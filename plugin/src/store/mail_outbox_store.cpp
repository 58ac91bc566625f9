// MailOutboxStore: SQL for mail_outbox.
#include "store/mail_outbox_store.h"

#include "store/sql_values.h"
#include "store/token_hash.h"

namespace latchkey::store {
namespace {

const std::string outbox_columns =
    "SELECT id, recipient, subject, body_text, body_html, created_at, attempts, next_attempt_at, sent_at, last_error "
    "FROM mail_outbox";

// Reads every row of an outbox query; `where` (with ORDER BY and LIMIT) is SQL from this file,
// with one bound parameter `now` when given.
std::vector<OutboxMail> select_mails(soci::session& sql, const std::string& where, std::optional<long long> now) {
    OutboxMail row;
    std::string html, error;
    long long created_at = 0, next_attempt_at = 0, sent_at = 0;
    int attempts = 0;
    soci::indicator html_ind = soci::i_ok, sent_ind = soci::i_ok, error_ind = soci::i_ok;
    const long long bound = now.value_or(0);
    soci::statement st =
        now ? (sql.prepare << outbox_columns + where, soci::into(row.id), soci::into(row.recipient),
               soci::into(row.subject), soci::into(row.body_text), soci::into(html, html_ind), soci::into(created_at),
               soci::into(attempts), soci::into(next_attempt_at), soci::into(sent_at, sent_ind),
               soci::into(error, error_ind), soci::use(bound))
            : (sql.prepare << outbox_columns + where, soci::into(row.id), soci::into(row.recipient),
               soci::into(row.subject), soci::into(row.body_text), soci::into(html, html_ind), soci::into(created_at),
               soci::into(attempts), soci::into(next_attempt_at), soci::into(sent_at, sent_ind),
               soci::into(error, error_ind));
    st.execute();
    std::vector<OutboxMail> mails;
    while (st.fetch()) {
        OutboxMail mail = row;
        mail.body_html = html_ind == soci::i_ok ? html : "";
        mail.created_at = created_at;
        mail.attempts = attempts;
        mail.next_attempt_at = next_attempt_at;
        mail.sent_at = nullable(sent_at, sent_ind);
        mail.last_error = nullable(error, error_ind);
        mails.push_back(std::move(mail));
    }
    return mails;
}

// At most `max` bytes, not cutting a UTF-8 sequence.
std::string truncate_utf8(std::string_view text, std::size_t max) {
    if (text.size() <= max) return std::string(text);
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return std::string(text.substr(0, n));
}

}  // namespace

std::string MailOutboxStore::enqueue(std::string_view to, std::string_view subject, std::string_view text,
                                     std::string_view html, std::int64_t now) {
    const std::string id = new_id(), recipient(to), subj(subject), body_text(text), body_html(html);
    soci::indicator html_ind = html.empty() ? soci::i_null : soci::i_ok;
    const long long at = now;
    db_.run([&](soci::session& sql) {
        sql << "INSERT INTO mail_outbox (id, recipient, subject, body_text, body_html, created_at, attempts, "
               "next_attempt_at) VALUES (:id, :recipient, :subject, :body_text, :body_html, :created_at, 0, :next)",
            soci::use(id), soci::use(recipient), soci::use(subj), soci::use(body_text), soci::use(body_html, html_ind),
            soci::use(at), soci::use(at);
    });
    return id;
}

std::vector<OutboxMail> MailOutboxStore::due(std::int64_t now, std::size_t limit) {
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return select_mails(sql,
                            " WHERE sent_at IS NULL AND next_attempt_at <= :now ORDER BY next_attempt_at, created_at, id "
                            "LIMIT " + std::to_string(limit),
                            at);
    });
}

bool MailOutboxStore::claim(std::string_view id, std::int64_t seen_next_attempt_at, std::int64_t lease_until) {
    const std::string key(id);
    const long long seen = seen_next_attempt_at, until = lease_until;
    return db_.run([&](soci::session& sql) {
        soci::statement st = (sql.prepare << "UPDATE mail_outbox SET next_attempt_at = :until WHERE id = :id "
                                             "AND sent_at IS NULL AND next_attempt_at = :seen",
                              soci::use(until), soci::use(key), soci::use(seen));
        st.execute(true);
        return st.get_affected_rows() == 1;
    });
}

void MailOutboxStore::mark_sent(std::string_view id, std::int64_t now) {
    const std::string key(id);
    const long long at = now;
    db_.run([&](soci::session& sql) {
        sql << "UPDATE mail_outbox SET sent_at = :now, attempts = attempts + 1, last_error = NULL WHERE id = :id",
            soci::use(at), soci::use(key);
    });
}

void MailOutboxStore::mark_failed(std::string_view id, std::string_view error, std::int64_t next_attempt_at) {
    const std::string key(id), text = truncate_utf8(error, 1000);
    const long long next = next_attempt_at;
    db_.run([&](soci::session& sql) {
        sql << "UPDATE mail_outbox SET attempts = attempts + 1, last_error = :error, next_attempt_at = :next "
               "WHERE id = :id AND sent_at IS NULL",
            soci::use(text), soci::use(next), soci::use(key);
    });
}

std::vector<OutboxMail> MailOutboxStore::pending(std::size_t limit) {
    return db_.run([&](soci::session& sql) {
        return select_mails(sql, " WHERE sent_at IS NULL ORDER BY created_at, id LIMIT " + std::to_string(limit),
                            std::nullopt);
    });
}

std::int64_t MailOutboxStore::pending_count() {
    return db_.run([&](soci::session& sql) -> std::int64_t {
        long long count = 0;
        sql << "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL", soci::into(count);
        return count;
    });
}

std::optional<std::int64_t> MailOutboxStore::next_attempt_at() {
    return db_.run([&](soci::session& sql) -> std::optional<std::int64_t> {
        long long next = 0;
        soci::indicator ind = soci::i_null;
        sql << "SELECT MIN(next_attempt_at) FROM mail_outbox WHERE sent_at IS NULL", soci::into(next, ind);
        return nullable(next, ind);
    });
}

std::int64_t MailOutboxStore::purge_sent(std::int64_t before) {
    const long long at = before;
    return db_.run([&](soci::session& sql) {
        soci::statement st = (sql.prepare << "DELETE FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at < :before",
                              soci::use(at));
        st.execute(true);
        return static_cast<std::int64_t>(st.get_affected_rows());
    });
}

}  // namespace latchkey::store
