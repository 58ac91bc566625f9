// Magic links (CONTRACT §10): a sign-in link by mail. Asking for one answers alike for every
// address and is limited like password/forgot; the link works once, before it expires, in any
// browser, confirms the address, and leads through SessionService::sign_in like a password.
// Knows nothing of HTTP.
#pragma once

#include "account/mail_request.h"
#include "audit/audit_log.h"
#include "config/auth_config.h"
#include "mail/templates.h"
#include "session/session_service.h"
#include "store/database.h"
#include "throttle/throttle.h"

#include <chrono>
#include <functional>
#include <string_view>

namespace latchkey::account {

enum class MagicLinkOutcome { signed_in, invalid_token, account_disabled };

struct MagicLinkResult {
  MagicLinkOutcome outcome = MagicLinkOutcome::invalid_token;
  session::SignIn sign_in;  // with signed_in: tokens, or the second-factor challenge
};

class MagicLinkService {
 public:
  // limiter: the magic-link mail limit (throttle::Throttles::magic_link). wake_sender: called after
  // a transaction that queued mail has committed.
  MagicLinkService(const config::AuthConfig& config, store::Database& db, const mail::Templates& templates,
                   throttle::Throttle& limiter, session::SessionService& sessions, std::function<void()> wake_sender,
                   session::WallClock clock = std::chrono::system_clock::now);

  // Every call may throw store::StoreUnavailable (the caller answers 503).

  // An active account at email gets a mail with a new link (email.magic_link_url, valid
  // email.magic_link_ttl_seconds); anyone else nothing, with the same answer.
  MailRequestResult request(std::string_view email, std::string_view client_address);
  // Uses the link up and signs its user in, in one transaction: an unknown, used or expired link
  // changes nothing (invalid_token); a disabled account's link is used up (account_disabled).
  MagicLinkResult verify(std::string_view token);

  // Where the security events go (CONTRACT §9); none when never set.
  void set_audit(audit::AuditLog* log) { audit_ = log; }

 private:
  int64_t now_seconds() const;

  const config::AuthConfig& config_;
  store::Database& db_;
  const mail::Templates& templates_;
  throttle::Throttle& limiter_;
  session::SessionService& sessions_;
  std::function<void()> wake_sender_;
  session::WallClock clock_;
  audit::AuditLog* audit_ = nullptr;
};

}  // namespace latchkey::account
