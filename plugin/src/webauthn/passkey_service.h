// Passkeys (CONTRACT §10): the options of both ceremonies, registering a passkey, signing in with
// one, listing and removing them. Knows nothing of HTTP; the routes (http/passkey_routes.cpp) map
// its outcomes to status codes. The second-factor uses go through mfa::MfaService, which shares
// PasskeyAssertions with the sign-in here.
#pragma once

#include "audit/audit_log.h"
#include "config/auth_config.h"
#include "session/session_service.h"
#include "store/database.h"
#include "store/passkey_store.h"
#include "store/user_store.h"
#include "throttle/throttle.h"
#include "webauthn/ceremony.h"
#include "webauthn/passkey_assertions.h"
#include "webauthn/passkey_options.h"
#include "webauthn/relying_party.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::webauthn {

// Removing a passkey needs a session that authenticated this recently (CONTRACT §10: 10 minutes),
// and so does adding one: a stolen access token must not buy a passwordless way in for good.
inline constexpr int64_t kRecentAuthenticationSeconds = 600;
// What a passkey's name may hold, in characters (a name over it is refused, not cut).
inline constexpr size_t kMaxPasskeyNameCharacters = 64;

enum class PasskeyOutcome {
  ok,
  malformed,                  // CBOR, COSE or JSON in the credential that does not parse
  invalid_credential,         // a response that proves nothing; nothing stored, nobody signed in
  rate_limited,               // sign-in: too many refused passkeys from this address
  account_disabled,           // sign-in: a good passkey of a disabled account
  not_found,                  // remove: no passkey of the user's by that id
  reauthentication_required,  // register options, remove: the session authenticated too long ago
};

struct PasskeyResult {
  PasskeyOutcome outcome = PasskeyOutcome::invalid_credential;
  std::optional<store::Passkey> passkey;        // register
  std::optional<session::IssuedTokens> tokens;  // sign-in
  std::chrono::seconds retry_after{0};          // with rate_limited
};

class PasskeyService {
 public:
  // failures: refused sign-ins, per client address.
  PasskeyService(store::Database& db, session::SessionService& sessions, PasskeyAssertions& assertions,
                 throttle::Throttle& failures, session::WallClock clock = std::chrono::system_clock::now);

  // Every call may throw store::StoreUnavailable (the caller answers 503).
  // True when auth_time (the caller's access token's claim) is within kRecentAuthenticationSeconds.
  bool recently_authenticated(int64_t auth_time) const;
  // The route asks recently_authenticated first: a registration challenge goes only to a session
  // that authenticated within 10 minutes (it lives 5).
  CreationOptions registration_options(const store::User& user, const RelyingPartySite& site);
  RequestOptions sign_in_options(const RelyingPartySite& site);
  // §7.1 against a registration challenge this user was given; name: a readable name the route
  // checked, or nullopt for the device's (from the User-Agent of the request).
  PasskeyResult register_passkey(const store::User& user, const RegistrationResponse& response,
                                 std::optional<std::string> name, const RelyingPartySite& site);
  // A passwordless sign-in: a new session with amr ["hwk","user"] (possession and user
  // verification: two factors, so never a second-factor challenge).
  PasskeyResult sign_in(const AssertionResponse& response, const RelyingPartySite& site,
                        std::string_view client_address);
  std::vector<store::Passkey> list(std::string_view user_id);
  // auth_time: when the caller's session last authenticated (its access token's claim).
  PasskeyOutcome remove(std::string_view user_id, std::string_view passkey_id, int64_t auth_time);

  void set_audit(audit::AuditLog* log) { audit_ = log; }

 private:
  int64_t now_seconds() const;

  store::Database& db_;
  session::SessionService& sessions_;
  PasskeyAssertions& assertions_;
  throttle::Throttle& failures_;
  session::WallClock clock_;
  audit::AuditLog* audit_ = nullptr;
};

// The transports a passkey keeps: the ones WebAuthn defines, each once, in the order sent.
std::vector<std::string> known_transports(const std::vector<std::string>& reported);

}  // namespace latchkey::webauthn
