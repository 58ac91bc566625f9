// What every "mail me a link" request shares (confirm/resend, password/forgot, magic-link): one
// answer whether or not the address has an account, a limit per address and per client that
// counts unknown addresses too, and the mail queued in the same transaction as its token.
#pragma once

#include "mail/message.h"
#include "store/database.h"
#include "store/user_store.h"
#include "throttle/throttle.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::account {

enum class MailRequestOutcome { accepted, rate_limited };

struct MailRequestResult {
  MailRequestOutcome outcome = MailRequestOutcome::accepted;
  std::chrono::seconds retry_after{0};
};

// Makes the mail for an active account at the requested address, issuing its token (in the
// request's transaction); nullopt to send nothing (e.g. a confirmation for a confirmed account).
using ComposeMail = std::function<std::optional<mail::Message>(const store::User& user)>;

// Counts the request against limiter (the normalised address, known or not, and the client);
// then, in one transaction, an active account at that address gets the mail compose makes, put in
// the outbox; the background sender delivers it (wake_sender, after the commit). Nobody else gets
// anything, and the answer is the same either way. May throw store::StoreUnavailable.
MailRequestResult request_link_mail(store::Database& db, throttle::Throttle& limiter, std::string_view email,
                                    std::string_view client_address, std::int64_t now, const ComposeMail& compose,
                                    const std::function<void()>& wake_sender);

// A link's one-time secret: 256 random bits, base64url (43 characters). Only its hash is stored.
std::string new_link_token();

}  // namespace latchkey::account
