// Magic links: 256 random bits, stored as SHA-256 (store::MagicLinkStore), single use, expiring.
// The link is bound to its user, not to the browser that asked: opening it anywhere signs in.
#include "account/magic_link_service.h"

#include "mail/link.h"
#include "store/identity_store.h"
#include "store/magic_link_store.h"
#include "store/token_hash.h"
#include "store/user_store.h"

namespace latchkey::account {

MagicLinkService::MagicLinkService(const config::AuthConfig& config, store::Database& db,
                                   const mail::Templates& templates, throttle::Throttle& limiter,
                                   session::SessionService& sessions, std::function<void()> wake_sender,
                                   session::WallClock clock)
    : config_(config),
      db_(db),
      templates_(templates),
      limiter_(limiter),
      sessions_(sessions),
      wake_sender_(std::move(wake_sender)),
      clock_(std::move(clock)) {}

int64_t MagicLinkService::now_seconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
}

MailRequestResult MagicLinkService::request(std::string_view email, std::string_view client_address) {
  const int64_t now = now_seconds();
  return request_link_mail(
      db_, limiter_, email, client_address, now,
      [&](const store::User& user) -> std::optional<mail::Message> {
        store::MagicLinkStore links(db_);
        links.purge_expired(now);  // the table holds live links only (plus the ones of this moment)
        const std::string token = new_link_token();
        links.create({store::hash_token(token), user.id, now, now + config_.email.magic_link_ttl_seconds});
        return templates_.magic_link(user.email, mail::link_with_token(config_.email.magic_link_url, token));
      },
      wake_sender_);
}

MagicLinkResult MagicLinkService::verify(std::string_view token) {
  audit::Pending events;
  // One transaction: the link is used, the address confirmed and the session started together,
  // or (an outage half-way) none of them, and the link still works.
  MagicLinkResult result = db_.transaction([&]() -> MagicLinkResult {
    const int64_t now = now_seconds();
    const std::optional<std::string> user_id = store::MagicLinkStore(db_).consume(store::hash_token(token), now);
    if (!user_id) return {};
    store::UserStore users(db_);
    std::optional<store::User> user = users.find_by_id(*user_id);
    if (!user) return {};  // deleted meanwhile (its links go with it; this is the race's other side)
    if (!user->active) return {MagicLinkOutcome::account_disabled, {}};
    if (!user->confirmed_at) {
      // The link reached the mailbox: that proves the address as a confirmation link does. It
      // proves nothing of a password set before: whoever registered the address may not own it
      // (a squatter waiting for the owner to confirm it), so that password goes, as with Google.
      store::IdentityStore(db_).forget_unconfirmed_password(user->id, now);
      user->password_hash.reset();
      users.mark_confirmed(user->id, now);
      user->confirmed_at = now;
      audit::write(audit_, events, "email.confirmed", user->id, {}, audit::detail({{"method", "magic_link"}}));
    }
    return {MagicLinkOutcome::signed_in, sessions_.sign_in(*user, {"email"}, "magic_link.used", events)};
  });
  audit::announce(audit_, events);
  return result;
}

}  // namespace latchkey::account
