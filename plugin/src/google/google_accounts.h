// Which Latchkey user a verified Google identity signs in as (docs/GOOGLE.md "Accounts"):
// a known (google, sub) is its user; otherwise a verified email links an existing account or
// creates a confirmed one. An unverified email is never trusted: no link, no new account.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "audit/audit_log.h"
#include "google/id_token.h"
#include "store/database.h"
#include "store/user_store.h"

namespace latchkey::google {

inline constexpr std::string_view kGoogleProvider = "google";

enum class SignInOutcome { ok, invalid_credential, account_disabled };

struct SignInResult {
  SignInOutcome outcome = SignInOutcome::invalid_credential;
  std::optional<store::User> user;  // with ok
};

class GoogleAccounts {
 public:
  explicit GoogleAccounts(store::Database& db, std::function<std::chrono::system_clock::time_point()> clock =
                                                   std::chrono::system_clock::now)
      : db_(db), clock_(std::move(clock)) {}

  // May throw store::StoreUnavailable.
  SignInResult sign_in(const GoogleIdentity& identity);

  // Where a user created by a first sign-in is recorded (user.registered); none when never set.
  void set_audit(audit::AuditLog* log) { audit_ = log; }

 private:
  store::Database& db_;
  std::function<std::chrono::system_clock::time_point()> clock_;
  audit::AuditLog* audit_ = nullptr;
};

}  // namespace latchkey::google
