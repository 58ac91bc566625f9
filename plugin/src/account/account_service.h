// The account lifecycle: registration with email confirmation, resending it, password reset and
// change. Knows nothing of HTTP; mails go to the outbox in the same transaction as the change
// they announce, and a background sender delivers them.
#pragma once

#include "account/mail_request.h"
#include "audit/audit_log.h"
#include "config/auth_config.h"
#include "mail/templates.h"
#include "password/hasher.h"
#include "session/revocation_cache.h"
#include "session/session_service.h"
#include "store/database.h"
#include "throttle/throttles.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::account {

enum class RegisterOutcome { accepted, invalid_email, weak_password };
enum class ConfirmOutcome { confirmed, invalid_token };
enum class ResetOutcome { done, invalid_token, weak_password };
enum class ChangeOutcome { done, wrong_password, weak_password, no_such_user, rate_limited };

struct ChangeResult {
  ChangeOutcome outcome = ChangeOutcome::done;
  std::chrono::seconds retry_after{0};  // rate_limited only
};

class AccountService {
 public:
  // wake_sender: called after a transaction that queued mail has committed. throttles: the mail
  // request limits, and the login throttle, shared so that guessing the current password on
  // password/change counts against the same limit as guessing it on login.
  AccountService(const config::AuthConfig& config, store::Database& db, const password::Hasher& hasher,
                 const mail::Templates& templates, session::RevocationCache& revocations,
                 throttle::Throttles& throttles, std::function<void()> wake_sender,
                 session::WallClock clock = std::chrono::system_clock::now);

  // Every call may throw store::StoreUnavailable (the caller answers 503).

  // An existing address gets the same outcome as a new one, and a different mail.
  RegisterOutcome register_account(std::string_view email, std::string_view password);
  ConfirmOutcome confirm(std::string_view token);
  // Limited per address (whether or not it exists) and per client, so answers reveal nothing.
  MailRequestResult resend_confirmation(std::string_view email, std::string_view client_address);
  MailRequestResult forgot_password(std::string_view email, std::string_view client_address);
  // A weak password leaves the token usable. Success ends every session of the user.
  ResetOutcome reset_password(std::string_view token, std::string_view new_password);
  // Success ends every other session of the user. Wrong current passwords count as failed logins
  // of the account and of client_address.
  ChangeResult change_password(std::string_view user_id, std::string_view current_session_id,
                               std::string_view current_password, std::string_view new_password,
                               std::string_view client_address);

  // Where the security events go (CONTRACT §9); none when never set.
  void set_audit(audit::AuditLog* log) { audit_ = log; }

 private:
  int64_t now_seconds() const;
  // A new one-time token for user_id; returns the token (only its hash is stored).
  std::string issue_token(std::string_view user_id, bool reset);
  void queue(const mail::Message& message);
  void forget_sessions_of(std::string_view user_id);

  const config::AuthConfig& config_;
  store::Database& db_;
  const password::Hasher& hasher_;
  const mail::Templates& templates_;
  session::RevocationCache& revocations_;
  throttle::Throttles& throttles_;
  std::function<void()> wake_sender_;
  session::WallClock clock_;
  audit::AuditLog* audit_ = nullptr;
};

// Whether text looks like one email address: local@domain, no spaces or control characters, at
// most 254 bytes. Deliverability is proved by the confirmation mail, not here.
bool is_plausible_email(std::string_view text);

}  // namespace latchkey::account
