// GoogleAccounts: find, link or create, in one transaction.
#include "google/google_accounts.h"

#include "store/identity_store.h"

namespace latchkey::google {

SignInResult GoogleAccounts::sign_in(const GoogleIdentity& identity) {
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
  store::UserStore users(db_);
  store::IdentityStore identities(db_);
  audit::Pending events;
  const std::optional<std::string> user_id = db_.transaction([&]() -> std::optional<std::string> {
    if (auto known = identities.find_user_id(kGoogleProvider, identity.subject)) return known;
    // A new identity: its email is only believed when Google says it verified it.
    if (!identity.email || identity.email->empty() || !identity.email_verified) return std::nullopt;
    if (const auto existing = users.find_by_email(*identity.email)) {
      if (!existing->confirmed_at) identities.forget_unconfirmed_password(existing->id, now);
      return identities.link(kGoogleProvider, identity.subject, existing->id, now);
    }
    const store::CreateUserResult created =
        users.create({*identity.email, std::nullopt, now, true, {"user"}, now});
    if (created.outcome == store::CreateUserOutcome::duplicate_email) {  // a concurrent first sign-in
      const auto raced = users.find_by_id(created.id);
      if (raced && !raced->confirmed_at) identities.forget_unconfirmed_password(raced->id, now);
    } else {
      audit::write(audit_, events, "user.registered", created.id, {}, audit::detail({{"method", "google"}}));
    }
    return identities.link(kGoogleProvider, identity.subject, created.id, now);
  });
  audit::announce(audit_, events);
  if (!user_id) return {SignInOutcome::invalid_credential, std::nullopt};
  auto user = users.find_by_id(*user_id);
  if (!user) return {SignInOutcome::invalid_credential, std::nullopt};
  if (!user->active) return {SignInOutcome::account_disabled, std::nullopt};
  return {SignInOutcome::ok, std::move(user)};
}

}  // namespace latchkey::google
