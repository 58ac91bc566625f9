// The auth plugin's series (CONTRACT §9), fed to the host's /metrics through ABI 1.2. Labels hold
// outcomes only: never an email, a token, an address or a user id. Thread-safe; a host older than
// ABI 1.2 (or none: the CLI, unit tests) makes every call do nothing.
#pragma once

#include <latchkey/plugin.h>

#include <string_view>

namespace latchkey::metrics {

class AuthMetrics {
 public:
  AuthMetrics() = default;  // counts nothing
  // Creates every series with its known labels at 0, so a dashboard sees them before the first event.
  AuthMetrics(const lk_host_api* api, lk_host* host);

  // success, invalid_credentials, email_not_confirmed, account_disabled, rate_limited, mfa_required
  void login(std::string_view result) const;
  // rotated, grace, reuse_revoked, invalid
  void refresh(std::string_view result) const;
  void registration() const;
  void mail(bool sent) const;
  void mail_pending(double count) const;
  void password_hash(double seconds) const;
  void hash_rejection() const;  // a login or password route answered 503: no hashing slot in time
  void database_error() const;  // a request answered 503 because the database was unreachable
  void revocation_cache(bool hit) const;

 private:
  void counter(std::string_view name, std::string_view help, std::string_view label, std::string_view value,
               double amount) const;

  const lk_host_api* api_ = nullptr;  // null unless the host has the ABI 1.2 metric functions
  lk_host* host_ = nullptr;
};

}  // namespace latchkey::metrics
