// A passkey assertion checked against what the server issued and stored: the challenge of a
// login/options (unused, live), the passkey of the credential id (not flagged, the right owner),
// then the ceremony (ceremony.h, §7.2). Shared by the passkey sign-in and by the second factor
// (mfa/verify, mfa/step-up). Knows nothing of HTTP.
#pragma once

#include "audit/audit_log.h"
#include "session/session_service.h"
#include "store/database.h"
#include "store/passkey_store.h"
#include "webauthn/ceremony.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::webauthn {

enum class AssertionOutcome {
  ok,
  malformed,  // clientDataJSON, CBOR or COSE that does not parse: 400 invalid_request
  refused,    // proves nothing (unknown challenge or credential, not the owner's, the ceremony said no)
  flagged,    // a good signature whose counter went backwards: the passkey is flagged now
};

struct CheckedAssertion {
  AssertionOutcome outcome = AssertionOutcome::refused;
  std::string reason;                     // which check refused; no secret in it
  std::optional<store::Passkey> passkey;  // once the credential id was found
  std::string challenge;                  // the base64url challenge clientDataJSON names
  int64_t sign_count = 0;                 // ok: the counter to store
};

class PasskeyAssertions {
 public:
  PasskeyAssertions(store::Database& db, session::WallClock clock = std::chrono::system_clock::now)
      : db_(db), clock_(std::move(clock)) {}

  // Reads, and once the signature verifies, spends the challenge (committed on its own: an
  // assertion gets one try whatever the caller does next); a counter that went backwards also
  // flags the passkey at once, in its own transaction. owner: the user the factor must belong to
  // (second factor); without one (a sign-in), the userHandle must name the owner.
  CheckedAssertion check(const AssertionResponse& response, const RelyingParty& rp,
                         std::optional<std::string_view> owner);
  // Inside the caller's transaction, after check() said ok: records the passkey's use and new
  // counter, from the counter check() read. False when another assertion of the passkey was
  // recorded meanwhile.
  bool use(const CheckedAssertion& checked);

  void set_audit(audit::AuditLog* log) { audit_ = log; }

 private:
  int64_t now_seconds() const;

  store::Database& db_;
  session::WallClock clock_;
  audit::AuditLog* audit_ = nullptr;
};

}  // namespace latchkey::webauthn
