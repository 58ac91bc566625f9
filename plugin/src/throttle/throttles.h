// Every limit the auth plugin keeps, built once from its config: in memory or in the database
// (login_throttle.scope).
#pragma once

#include "config/auth_config.h"
#include "store/database.h"
#include "throttle/throttle.h"

#include <functional>
#include <memory>
#include <string_view>

namespace latchkey::throttle {

struct Throttles {
  std::unique_ptr<Throttle> login;   // failed logins (and wrong current passwords) per account and address
  std::unique_ptr<Throttle> resend;  // confirmation mails per email and address
  std::unique_ptr<Throttle> reset;   // password-reset mails per email and address
  std::unique_ptr<Throttle> magic_link;  // sign-in link mails per email and address (limits as reset)
  std::unique_ptr<Throttle> nonce;   // Google sign-in nonces per address
  std::unique_ptr<Throttle> mfa;     // wrong second-factor codes per user and address
  std::unique_ptr<Throttle> passkey;          // refused passkey sign-ins per address
  std::unique_ptr<Throttle> passkey_options;  // passkey ceremony challenges issued per address
};

// The limits themselves: login from login_throttle, mail from email.resend_interval_seconds
// (one per email per interval, ten per address), 60 nonces per address a minute.
Limits login_limits(const config::AuthConfig& config);
Limits mail_limits(const config::AuthConfig& config, std::string name);
Limits nonce_limits();
// Wrong codes (TOTP, recovery) as failed logins: the same window and numbers, counted apart.
Limits mfa_limits(const config::AuthConfig& config);
// Refused passkey sign-ins per address, in the login window, as many as failed logins per address.
Limits passkey_limits(const config::AuthConfig& config);
// A challenge is a row for 5 minutes: 120 a minute per address bounds what one address can store.
Limits passkey_options_limits();

// warn: where a database throttle reports that it could not count.
Throttles make_throttles(const config::AuthConfig& config, store::Database& db,
                         const std::function<void(std::string_view)>& warn);

}  // namespace latchkey::throttle
