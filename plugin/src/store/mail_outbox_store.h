// The mail outbox: mails written in the same transaction as the change that causes them, and
// delivered later by the mail sender, with retry. Nothing is lost when the mail server is down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace latchkey::store {

struct OutboxMail {
    std::string id;
    std::string recipient;
    std::string subject;
    std::string body_text;
    std::string body_html;  // "" when the mail has no HTML part (NULL in the table)
    std::int64_t created_at = 0;
    std::int64_t attempts = 0;  // delivery attempts so far, the successful one included
    std::int64_t next_attempt_at = 0;
    std::optional<std::int64_t> sent_at;
    std::optional<std::string> last_error;
};

class MailOutboxStore {
public:
    explicit MailOutboxStore(Database& db) : db_(db) {}

    // Adds a mail due at `now`; returns its id. Inside Database::transaction() it commits or rolls
    // back with the caller's other writes.
    std::string enqueue(std::string_view to, std::string_view subject, std::string_view text, std::string_view html,
                        std::int64_t now);

    // Unsent mails with next_attempt_at <= now, the earliest first, at most `limit`.
    std::vector<OutboxMail> due(std::int64_t now, std::size_t limit);

    // Takes a due mail for one delivery attempt: moves its next_attempt_at from `seen_next_attempt_at`
    // (as due() returned it) to `lease_until`, atomically. True for exactly one caller, so that
    // hosts sharing a database never send a mail twice; a sender that dies mid-send leaves the
    // mail due again at lease_until.
    bool claim(std::string_view id, std::int64_t seen_next_attempt_at, std::int64_t lease_until);

    // Delivered: sets sent_at, counts the attempt, clears last_error.
    void mark_sent(std::string_view id, std::int64_t now);
    // Not delivered: counts the attempt, keeps the error (truncated to 1000 bytes), retries at
    // next_attempt_at.
    void mark_failed(std::string_view id, std::string_view error, std::int64_t next_attempt_at);

    // Mails not yet sent, the oldest first (for `latchkey-auth mail pending`), at most `limit`.
    std::vector<OutboxMail> pending(std::size_t limit = 1000);
    // How many mails are not yet sent.
    std::int64_t pending_count();
    // The earliest next_attempt_at of an unsent mail, if any.
    std::optional<std::int64_t> next_attempt_at();
    // Deletes sent mails older than `before` (they hold used or expired links); returns how many.
    std::int64_t purge_sent(std::int64_t before);

private:
    Database& db_;
};

}  // namespace latchkey::store
