// request_link_mail: the limit first (so an unknown address costs a count like a known one), then
// the account lookup and the mail in one transaction.
#include "account/mail_request.h"

#include "jwt/base64url.h"
#include "store/email.h"
#include "store/mail_outbox_store.h"

#include <botan/auto_rng.h>

namespace latchkey::account {

MailRequestResult request_link_mail(store::Database& db, throttle::Throttle& limiter, std::string_view email,
                                    std::string_view client_address, std::int64_t now, const ComposeMail& compose,
                                    const std::function<void()>& wake_sender) {
  const std::string address = store::normalise_email(email);
  if (auto wait = limiter.count(address, client_address)) return {MailRequestOutcome::rate_limited, *wait};
  bool queued = false;
  db.transaction([&] {
    const std::optional<store::User> user = store::UserStore(db).find_by_email(address);
    if (!user || !user->active) return;  // nothing to send, and nothing said
    const std::optional<mail::Message> message = compose(*user);
    if (!message) return;
    store::MailOutboxStore(db).enqueue(message->to, message->subject, message->text, message->html, now);
    queued = true;
  });
  if (queued) wake_sender();
  return {};
}

std::string new_link_token() {
  Botan::AutoSeeded_RNG rng;
  const auto bytes = rng.random_vec(32);
  return jwt::base64url_encode(std::span<const uint8_t>(bytes.data(), bytes.size()));
}

}  // namespace latchkey::account
