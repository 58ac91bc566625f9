// make_throttles: the scope picks the implementation; the limits are the same either way.
#include "throttle/throttles.h"

#include "throttle/database_throttle.h"
#include "throttle/memory_throttle.h"

#include <algorithm>

namespace latchkey::throttle {

Limits login_limits(const config::AuthConfig& config) {
  const config::LoginThrottleConfig& limits = config.login_throttle;
  return {"login", limits.window_seconds, limits.max_failures_per_account, limits.max_failures_per_address};
}

Limits mail_limits(const config::AuthConfig& config, std::string name) {
  // One mail request per address per interval; a client may ask for a few addresses.
  return {std::move(name), std::max<uint32_t>(1, config.email.resend_interval_seconds), 1, 10};
}

// A page asks for one nonce per sign-in button it shows.
Limits nonce_limits() { return {"nonce", 60, 0, 60}; }

Limits mfa_limits(const config::AuthConfig& config) {
  Limits limits = login_limits(config);
  limits.name = "mfa";
  return limits;
}

Limits passkey_limits(const config::AuthConfig& config) {
  return {"passkey", config.login_throttle.window_seconds, 0, config.login_throttle.max_failures_per_address};
}

// Generous: every signed-out page load asks for one, and a school or office behind one NAT address
// shares the count. It bounds the rows one address keeps alive (5 minutes each) to 3,000.
Limits passkey_options_limits() { return {"passkey_options", 60, 0, 600}; }

Throttles make_throttles(const config::AuthConfig& config, store::Database& db,
                         const std::function<void(std::string_view)>& warn) {
  const bool shared = config.login_throttle.scope == config::ThrottleScope::database;
  auto make = [&](Limits limits) -> std::unique_ptr<Throttle> {
    if (shared) return std::make_unique<DatabaseThrottle>(db, std::move(limits), warn);
    return std::make_unique<MemoryThrottle>(limits);
  };
  Throttles throttles;
  throttles.login = make(login_limits(config));
  throttles.resend = make(mail_limits(config, "resend"));
  throttles.reset = make(mail_limits(config, "reset"));
  throttles.magic_link = make(mail_limits(config, "magic_link"));
  throttles.nonce = make(nonce_limits());
  throttles.mfa = make(mfa_limits(config));
  throttles.passkey = make(passkey_limits(config));
  throttles.passkey_options = make(passkey_options_limits());
  return throttles;
}

}  // namespace latchkey::throttle
