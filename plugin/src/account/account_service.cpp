// Account lifecycle. One-time tokens are 256 random bits, stored as SHA-256, bound to a purpose,
// single use and expiring (store::OneTimeTokenStore). Registration hashes the password before it
// knows whether the address exists, so both paths cost alike.
#include "account/account_service.h"

#include "password/new_password.h"
#include "password/policy.h"
#include "mail/link.h"
#include "store/email.h"
#include "store/mail_outbox_store.h"
#include "store/one_time_token_store.h"
#include "store/session_store.h"
#include "store/token_hash.h"
#include "store/user_store.h"
#include "throttle/counted_attempt.h"

#include <algorithm>

namespace latchkey::account {

bool is_plausible_email(std::string_view text) {
  if (text.empty() || text.size() > 254) return false;
  const size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == text.size() || text.find('@', at + 1) != std::string_view::npos)
    return false;
  if (text.substr(at + 1).find('.') == std::string_view::npos) return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';';
  });
}

AccountService::AccountService(const config::AuthConfig& config, store::Database& db, const password::Hasher& hasher,
                               const mail::Templates& templates, session::RevocationCache& revocations,
                               throttle::Throttles& throttles, std::function<void()> wake_sender,
                               session::WallClock clock)
    : config_(config),
      db_(db),
      hasher_(hasher),
      templates_(templates),
      revocations_(revocations),
      throttles_(throttles),
      wake_sender_(std::move(wake_sender)),
      clock_(std::move(clock)) {}

int64_t AccountService::now_seconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
}

std::string AccountService::issue_token(std::string_view user_id, bool reset) {
  const int64_t now = now_seconds();
  const uint32_t ttl = reset ? config_.email.reset_token_ttl_seconds : config_.email.confirm_token_ttl_seconds;
  std::string token = new_link_token();
  store::OneTimeTokenStore(db_).create({store::hash_token(token), std::string(user_id),
                                        reset ? store::OneTimePurpose::reset : store::OneTimePurpose::confirm, now,
                                        now + ttl});
  return token;
}

void AccountService::queue(const mail::Message& message) {
  store::MailOutboxStore(db_).enqueue(message.to, message.subject, message.text, message.html, now_seconds());
}

RegisterOutcome AccountService::register_account(std::string_view email, std::string_view password) {
  const std::string address = store::normalise_email(email);
  if (!is_plausible_email(address)) return RegisterOutcome::invalid_email;
  const password::NewPasswordHash hashed = password::hash_new_password(
      password, {config_.password.min_length, config_.password.max_length}, hasher_);
  if (hashed.result != password::PolicyResult::ok) return RegisterOutcome::weak_password;

  audit::Pending events;
  db_.transaction([&] {
    store::UserStore users(db_);
    const int64_t now = now_seconds();
    const store::CreateUserResult created =
        users.create({address, hashed.encoded, std::nullopt, true, {"user"}, now});
    if (created.outcome == store::CreateUserOutcome::created) {
      queue(templates_.confirm(address, mail::link_with_token(config_.email.confirm_url, issue_token(created.id, false))));
      audit::write(audit_, events, "user.registered", created.id, {}, audit::detail({{"method", "password"}}));
      return;
    }
    // The address is taken: the same answer, another mail. An account never confirmed gets a new
    // confirmation link (its password is not changed); a confirmed one, a way to reset it.
    const std::optional<store::User> existing = users.find_by_id(created.id);
    if (existing && !existing->confirmed_at) {
      queue(templates_.confirm(address, mail::link_with_token(config_.email.confirm_url, issue_token(created.id, false))));
    } else {
      queue(templates_.already_registered(
          address, mail::link_with_token(config_.email.reset_url, issue_token(created.id, true))));
    }
  });
  audit::announce(audit_, events);
  wake_sender_();
  return RegisterOutcome::accepted;
}

ConfirmOutcome AccountService::confirm(std::string_view token) {
  audit::Pending events;
  const ConfirmOutcome outcome = db_.transaction([&] {
    const int64_t now = now_seconds();
    const store::OneTimeResult used =
        store::OneTimeTokenStore(db_).consume(store::hash_token(token), store::OneTimePurpose::confirm, now);
    if (used.outcome != store::OneTimeOutcome::valid) return ConfirmOutcome::invalid_token;
    store::UserStore(db_).mark_confirmed(used.user_id, now);
    audit::write(audit_, events, "email.confirmed", used.user_id);
    return ConfirmOutcome::confirmed;
  });
  audit::announce(audit_, events);
  return outcome;
}

MailRequestResult AccountService::resend_confirmation(std::string_view email, std::string_view client_address) {
  return request_link_mail(
      db_, *throttles_.resend, email, client_address, now_seconds(),
      [&](const store::User& user) -> std::optional<mail::Message> {
        if (user.confirmed_at) return std::nullopt;
        return templates_.confirm(user.email, mail::link_with_token(config_.email.confirm_url, issue_token(user.id, false)));
      },
      wake_sender_);
}

MailRequestResult AccountService::forgot_password(std::string_view email, std::string_view client_address) {
  return request_link_mail(
      db_, *throttles_.reset, email, client_address, now_seconds(),
      [&](const store::User& user) -> std::optional<mail::Message> {
        return templates_.reset(user.email, mail::link_with_token(config_.email.reset_url, issue_token(user.id, true)));
      },
      wake_sender_);
}

ResetOutcome AccountService::reset_password(std::string_view token, std::string_view new_password) {
  const std::string token_hash = store::hash_token(token);
  store::OneTimeTokenStore tokens(db_);
  if (tokens.check(token_hash, store::OneTimePurpose::reset, now_seconds()).outcome != store::OneTimeOutcome::valid) {
    return ResetOutcome::invalid_token;
  }
  // The policy before the token is used up: a weak password leaves it usable.
  const password::NewPasswordHash hashed = password::hash_new_password(
      new_password, {config_.password.min_length, config_.password.max_length}, hasher_);
  if (hashed.result != password::PolicyResult::ok) return ResetOutcome::weak_password;

  std::string user_id;
  audit::Pending events;
  const ResetOutcome outcome = db_.transaction([&] {
    const int64_t now = now_seconds();
    const store::OneTimeResult used = tokens.consume(token_hash, store::OneTimePurpose::reset, now);
    if (used.outcome != store::OneTimeOutcome::valid) return ResetOutcome::invalid_token;
    store::UserStore users(db_);
    users.set_password_hash(used.user_id, hashed.encoded);
    users.mark_confirmed(used.user_id, now);  // the reset link proved the address
    tokens.invalidate_for_user(used.user_id, store::OneTimePurpose::reset, now);
    const int64_t ended = store::SessionStore(db_).revoke_all_for_user(used.user_id, now);
    user_id = used.user_id;
    audit::write(audit_, events, "password.reset", used.user_id, {},
                 audit::detail({{"sessions_ended", std::to_string(ended)}}));
    return ResetOutcome::done;
  });
  audit::announce(audit_, events);
  if (outcome == ResetOutcome::done) forget_sessions_of(user_id);
  return outcome;
}

ChangeResult AccountService::change_password(std::string_view user_id, std::string_view current_session_id,
                                             std::string_view current_password, std::string_view new_password,
                                             std::string_view client_address) {
  const std::optional<store::User> user = store::UserStore(db_).find_by_id(user_id);
  if (!user) return {ChangeOutcome::no_such_user};
  // A stolen access token must not give more password guesses than the login form does.
  const std::string account = store::normalise_email(user->email);
  if (auto wait = throttles_.login->count(account, client_address)) {
    return {ChangeOutcome::rate_limited, *wait};
  }
  throttle::CountedAttempt attempt(*throttles_.login, account, client_address);
  const bool matches = user->password_hash ? hasher_.verify(current_password, *user->password_hash)
                                           : hasher_.verify_dummy(current_password);
  attempt.decided();
  if (!matches) {
    audit::record(audit_, "login.failed", user->id, {}, audit::detail({{"reason", "wrong_current_password"}}));
    return {ChangeOutcome::wrong_password};
  }
  throttles_.login->succeeded(account, client_address);
  const password::NewPasswordHash hashed = password::hash_new_password(
      new_password, {config_.password.min_length, config_.password.max_length}, hasher_);
  if (hashed.result != password::PolicyResult::ok) return {ChangeOutcome::weak_password};
  audit::Pending events;
  db_.transaction([&] {
    store::UserStore(db_).set_password_hash(user->id, hashed.encoded);
    const int64_t ended = store::SessionStore(db_).revoke_all_for_user(user->id, now_seconds(), current_session_id);
    audit::write(audit_, events, "password.changed", user->id, current_session_id,
                 audit::detail({{"other_sessions_ended", std::to_string(ended)}}));
  });
  audit::announce(audit_, events);
  forget_sessions_of(user->id);
  return {ChangeOutcome::done};
}

void AccountService::forget_sessions_of(std::string_view user_id) {
  for (const store::Session& session : store::SessionStore(db_).list_for_user(user_id)) {
    revocations_.forget_session(session.id);
  }
}

}  // namespace latchkey::account
