// What the passkey integration tests share: a host whose relying party is localhost (the software
// authenticator's default RP id and origin), and the ceremonies driven through the real routes
// with tests/support's SoftwareAuthenticator, as a browser would drive them from the page.
#pragma once

#include "auth_test_support.h"
#include "webauthn_authenticator.h"  // tests/support

#include "store/database.h"
#include "store/database_url.h"

#include <memory>
#include <string>

namespace latchkey::test::auth {

using webauthn::testing::CeremonyKnobs;
using webauthn::testing::SoftwareAuthenticator;

// The authenticator's defaults: RP id "localhost", origin http://localhost:8080.
inline const std::string kWebAuthnPatch =
    R"({"webauthn": {"rp_id": "localhost", "origins": ["http://localhost:8080"]}})";

// One thing a ceremony says differently from a well-behaved authenticator (CeremonyKnobs).
inline CeremonyKnobs knob_origin(std::string origin) { CeremonyKnobs k; k.origin = std::move(origin); return k; }
inline CeremonyKnobs knob_rp_id(std::string rp_id) { CeremonyKnobs k; k.rp_id = std::move(rp_id); return k; }
inline CeremonyKnobs knob_type(std::string type) { CeremonyKnobs k; k.type = std::move(type); return k; }
inline CeremonyKnobs knob_flags(uint8_t flags) { CeremonyKnobs k; k.flags = flags; return k; }
inline CeremonyKnobs knob_sign_count(uint32_t count) { CeremonyKnobs k; k.sign_count = count; return k; }
inline CeremonyKnobs knob_user_handle(std::string handle) { CeremonyKnobs k; k.user_handle = std::move(handle); return k; }
inline CeremonyKnobs knob_cross_origin() { CeremonyKnobs k; k.cross_origin = true; return k; }

class PasskeyTest : public AuthBackendTest {
 protected:
  HttpResult post_json(const std::string& path, const std::string& body, const std::string& access = "") {
    return http.post(auth_url(path), body, access.empty() ? kJson : json_with(bearer(access)));
  }
  static std::string user_id_of(const std::string& access) { return string_member(jwt_claims(access), "sub"); }

  HttpResult registration_options(const std::string& access) {
    return post_json("/passkeys/register/options", "{}", access);
  }
  // register/options, the authenticator's answer, POST register with `extra` members (e.g.
  // R"("name":"Laptop")"); the answer of register.
  HttpResult register_with(SoftwareAuthenticator& authenticator, const std::string& access,
                           const std::string& extra = "", const CeremonyKnobs& knobs = {}) {
    const HttpResult options = registration_options(access);
    EXPECT_EQ(options.status, 200) << options.body;
    const std::string credential = authenticator.register_from_options(options.body, knobs);
    return post_json("/passkeys/register",
                     R"({"credential":)" + credential + (extra.empty() ? "" : "," + extra) + "}", access);
  }
  // register_with, asserting 201; the new passkey's id.
  std::string register_ok(SoftwareAuthenticator& authenticator, const std::string& access) {
    const HttpResult registered = register_with(authenticator, access);
    EXPECT_EQ(registered.status, 201) << registered.body;
    return string_member(parse_json(registered.body), "id");
  }

  // A challenge of login/options (a sign-in's, also what mfa/verify and step-up take).
  std::string sign_in_challenge() {
    const HttpResult options = post_json("/passkeys/login/options", "{}");
    EXPECT_EQ(options.status, 200) << options.body;
    return string_member(parse_json(options.body), "challenge");
  }
  // An assertion over a fresh sign-in challenge, as the `credential` JSON text.
  std::string assertion(SoftwareAuthenticator& authenticator, const CeremonyKnobs& knobs = {}) {
    const HttpResult options = post_json("/passkeys/login/options", "{}");
    EXPECT_EQ(options.status, 200) << options.body;
    return authenticator.assert_from_options(options.body, knobs);
  }
  HttpResult sign_in_with_credential(const std::string& credential, Headers extra = {}) {
    return http.post(auth_url("/passkeys/login"), R"({"credential":)" + credential + "}", json_with(std::move(extra)));
  }
  HttpResult sign_in_with(SoftwareAuthenticator& authenticator, const CeremonyKnobs& knobs = {}) {
    return sign_in_with_credential(assertion(authenticator, knobs));
  }

  // The test's database, beside the host, for what no route shows (rows, times).
  store::Database& db() {
    if (!db_) db_ = std::make_unique<store::Database>(*store::parse_database_url(database_url(), host.dir().string()).url);
    return *db_;
  }
  int64_t count_rows(const std::string& table_and_where) {
    return db().run([&](soci::session& sql) {
      long long count = 0;
      sql << "SELECT COUNT(*) FROM " + table_and_where, soci::into(count);
      return static_cast<int64_t>(count);
    });
  }
  int64_t passkey_rows() { return count_rows("passkeys"); }
  int64_t session_rows() { return count_rows("sessions"); }

  void TearDown() override {
    db_.reset();
    AuthBackendTest::TearDown();
  }

 private:
  std::unique_ptr<store::Database> db_;
};

}  // namespace latchkey::test::auth
