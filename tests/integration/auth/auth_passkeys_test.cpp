// Passkeys through the real host (CONTRACT §10), on each backend, driven by tests/support's software
// authenticator as a browser drives its own: the options, registering (ES256, EdDSA, RS256), the
// list, a passwordless sign-in (amr ["hwk","user"], cookies, refresh), the second factor after a
// password, step-up on an "mfa": true prefix, removal (another user's id, a session authenticated
// too long ago), excludeCredentials, the relying party taken from the request, and the CLI.
// Refusals, bad input and concurrency: auth_passkey_refusals_test.cpp.
#include "passkey_test_support.h"
#include "reference_totp.h"  // tests/unit/mfa

#include "store/session_store.h"

#include <algorithm>

namespace latchkey::test::auth {
namespace {

std::string test_plugin_entry() { return R"({"name": "test", "path": ")" + kTestPlugin + R"(", "config": {}})"; }

std::vector<std::string> strings_of(const rapidjson::Value& array) {
  std::vector<std::string> out;
  if (!array.IsArray()) return out;
  for (const auto& item : array.GetArray()) out.emplace_back(item.IsString() ? item.GetString() : "<not a string>");
  return out;
}

std::vector<std::string> amr_of(const std::string& access) {
  const auto claims = jwt_claims(access);
  return claims.HasMember("amr") ? strings_of(claims["amr"]) : std::vector<std::string>{};
}

using Strings = std::vector<std::string>;

class AuthPasskeys : public PasskeyTest {
 protected:
  HttpResult remove(const std::string& passkey_url, const Headers& headers = {}) {
    return http.request("DELETE", passkey_url, headers);
  }
};

TEST_P(AuthPasskeys, CreationOptionsAreWhatABrowserNeeds) {
  start_host(kWebAuthnPatch);
  add_user("options@example.com");
  const std::string access = access_token_of(login_ok("options@example.com"));
  const HttpResult answer = registration_options(access);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.header("Cache-Control"), "no-store");
  const auto options = parse_json(answer.body);
  EXPECT_EQ(string_member(options["rp"], "id"), "localhost");
  EXPECT_EQ(string_member(options["rp"], "name"), "Latchkey");
  EXPECT_EQ(string_member(options["user"], "id"), webauthn::testing::base64url(user_id_of(access)));
  EXPECT_EQ(string_member(options["user"], "name"), "options@example.com");
  EXPECT_EQ(string_member(options["user"], "displayName"), "options@example.com");
  const std::string challenge = string_member(options, "challenge");
  EXPECT_EQ(webauthn::testing::base64url_decode_or_throw(challenge).size(), 32u);
  std::vector<int> algorithms;
  for (const auto& param : options["pubKeyCredParams"].GetArray()) {
    EXPECT_EQ(string_member(param, "type"), "public-key");
    algorithms.push_back(param["alg"].GetInt());
  }
  EXPECT_EQ(algorithms, (std::vector<int>{-7, -8, -257}));
  EXPECT_EQ(int_member(options, "timeout"), 300000);
  EXPECT_EQ(options["excludeCredentials"].Size(), 0u);
  EXPECT_EQ(string_member(options["authenticatorSelection"], "residentKey"), "required");
  EXPECT_EQ(string_member(options["authenticatorSelection"], "userVerification"), "required");
  EXPECT_EQ(string_member(options, "attestation"), "none");
  // Stored hashed, never as issued.
  EXPECT_EQ(count_rows("webauthn_challenges WHERE challenge_hash = '" + challenge + "'"), 0);
  EXPECT_EQ(count_rows("webauthn_challenges WHERE purpose = 'register'"), 1);
  // Each call its own challenge.
  EXPECT_NE(string_member(parse_json(registration_options(access).body), "challenge"), challenge);

  const HttpResult sign_in = post_json("/passkeys/login/options", "{}");
  ASSERT_EQ(sign_in.status, 200) << sign_in.body;
  const auto request = parse_json(sign_in.body);
  EXPECT_EQ(string_member(request, "rpId"), "localhost");
  EXPECT_EQ(string_member(request, "userVerification"), "required");
  EXPECT_FALSE(request.HasMember("allowCredentials")) << "discoverable: the authenticator offers the user's passkeys";
  EXPECT_EQ(webauthn::testing::base64url_decode_or_throw(string_member(request, "challenge")).size(), 32u);

  EXPECT_TRUE(is_json_error(post_json("/passkeys/register/options", "{}"), 401, "invalid_token"));
}

TEST_P(AuthPasskeys, RegisterListAndSignInWithoutAPassword) {
  start_host(kWebAuthnPatch);
  add_user("ann@example.com");
  const std::string access = access_token_of(login_ok("ann@example.com"));
  SoftwareAuthenticator authenticator;
  const HttpResult registered = register_with(authenticator, access, R"("name":"  Work laptop  ")");
  ASSERT_EQ(registered.status, 201) << registered.body;
  const auto created = parse_json(registered.body);
  const std::string id = string_member(created, "id");
  EXPECT_EQ(string_member(created, "name"), "Work laptop");
  EXPECT_EQ(string_member(created, "createdAt").size(), 20u);

  const HttpResult listed = http.get(auth_url("/passkeys"), bearer(access));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.header("Cache-Control"), "no-store");
  auto list = parse_json(listed.body);
  ASSERT_EQ(list["passkeys"].Size(), 1u);
  EXPECT_EQ(string_member(list["passkeys"][0], "id"), id);
  EXPECT_EQ(string_member(list["passkeys"][0], "name"), "Work laptop");
  EXPECT_EQ(string_member(list["passkeys"][0], "createdAt"), string_member(created, "createdAt"));
  EXPECT_TRUE(list["passkeys"][0]["lastUsedAt"].IsNull());
  EXPECT_FALSE(list["passkeys"][0]["flagged"].GetBool());

  const HttpResult signed_in = sign_in_with(authenticator);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  EXPECT_EQ(signed_in.header("Cache-Control"), "no-store");
  EXPECT_TRUE(set_cookie(signed_in, "accessToken"));
  const auto refresh = set_cookie(signed_in, "refreshToken");
  ASSERT_TRUE(refresh);
  const auto body = parse_json(signed_in.body);
  EXPECT_FALSE(body.HasMember("mfaRequired")) << "a passkey is two factors itself";
  EXPECT_EQ(string_member(body["user"], "email"), "ann@example.com");
  EXPECT_EQ(int_member(body["user"]["mfa"], "passkeys"), 1);
  EXPECT_FALSE(body["user"]["mfa"]["totp"].GetBool());
  const std::string passkey_access = access_token_of(signed_in);
  EXPECT_EQ(amr_of(passkey_access), (Strings{"hwk", "user"}));
  EXPECT_NE(string_member(jwt_claims(passkey_access), "sid"), string_member(jwt_claims(access), "sid"));
  EXPECT_EQ(http.get(auth_url("/me"), bearer(passkey_access)).status, 200);

  const HttpResult refreshed = refresh_with_cookie(refresh->value);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(amr_of(access_token_of(refreshed)), (Strings{"hwk", "user"}));

  // The session list shows how it signed in; the passkey when it was last used.
  const auto sessions = parse_json(http.get(auth_url("/sessions"), bearer(passkey_access)).body);
  ASSERT_EQ(sessions["sessions"].Size(), 2u);  // the password's and the passkey's, maybe in one second
  for (const auto& session : sessions["sessions"].GetArray()) {
    const Strings expected = session["current"].GetBool() ? Strings{"hwk", "user"} : Strings{"pwd"};
    EXPECT_EQ(strings_of(session["amr"]), expected);
  }
  list = parse_json(http.get(auth_url("/passkeys"), bearer(passkey_access)).body);
  EXPECT_TRUE(list["passkeys"][0]["lastUsedAt"].IsString());

  // Audited: added, then the sign-in with its session.
  const ExitResult added = cli({"audit", "--event", "passkey.added", "--json"});
  EXPECT_NE(added.out.find(id), std::string::npos) << added.out;
  const ExitResult sign_ins = cli({"audit", "--event", "passkey.signed_in", "--user", "ann@example.com", "--json"});
  EXPECT_EQ(std::count(sign_ins.out.begin(), sign_ins.out.end(), '\n'), 1) << sign_ins.out;
  EXPECT_NE(sign_ins.out.find(string_member(jwt_claims(passkey_access), "sid")), std::string::npos);
}

TEST_P(AuthPasskeys, EveryAlgorithmRegistersAndSignsIn) {
  start_host(kWebAuthnPatch);
  add_user("algorithms@example.com");
  const std::string access = access_token_of(login_ok("algorithms@example.com"));
  for (const auto algorithm : {webauthn::CoseAlgorithm::es256, webauthn::CoseAlgorithm::eddsa, webauthn::CoseAlgorithm::rs256}) {
    SoftwareAuthenticator authenticator(algorithm);
    register_ok(authenticator, access);
    const HttpResult signed_in = sign_in_with(authenticator);
    EXPECT_EQ(signed_in.status, 200) << static_cast<int>(algorithm) << " " << signed_in.body;
  }
  const auto list = parse_json(http.get(auth_url("/passkeys"), bearer(access)).body);
  EXPECT_EQ(list["passkeys"].Size(), 3u);
  const auto me = parse_json(http.get(auth_url("/me"), bearer(access)).body);
  EXPECT_EQ(int_member(me["user"]["mfa"], "passkeys"), 3);
}

TEST_P(AuthPasskeys, ExcludeCredentialsNamesTheUsersPasskeys) {
  start_host(kWebAuthnPatch);
  add_user("exclude@example.com");
  const std::string access = access_token_of(login_ok("exclude@example.com"));
  SoftwareAuthenticator first;
  register_ok(first, access);
  const auto options = parse_json(registration_options(access).body);
  ASSERT_EQ(options["excludeCredentials"].Size(), 1u);
  const auto& excluded = options["excludeCredentials"][0];
  EXPECT_EQ(string_member(excluded, "type"), "public-key");
  EXPECT_EQ(string_member(excluded, "id"), first.credential_id_base64url());
  // A browser refuses to make a second passkey on the same authenticator.
  EXPECT_THROW(register_with(first, access), std::runtime_error);
  // Another authenticator is welcome.
  SoftwareAuthenticator second(webauthn::CoseAlgorithm::eddsa);
  register_ok(second, access);
  EXPECT_EQ(parse_json(registration_options(access).body)["excludeCredentials"].Size(), 2u);
  // The same credential registered again (a client that ignores excludeCredentials): refused.
  const std::string challenge = string_member(parse_json(registration_options(access).body), "challenge");
  const auto again = first.make_registration(challenge, user_id_of(access));
  EXPECT_TRUE(is_json_error(post_json("/passkeys/register",
                                      R"({"credential":)" + webauthn::testing::registration_json(again) + "}", access),
                            401, "invalid_credential"));
  EXPECT_EQ(passkey_rows(), 2);
}

// WebAuthn allows credential ids of up to 1023 bytes (1364 base64url characters): every backend's
// column holds one, and it signs in.
TEST_P(AuthPasskeys, TheLongestCredentialIdIsStoredAndSignsIn) {
  using namespace webauthn::testing;
  start_host(kWebAuthnPatch);
  add_user("long@example.com");
  const std::string access = access_token_of(login_ok("long@example.com"));
  SoftwareAuthenticator authenticator;  // its key; the id is ours
  const std::string long_id(1023, '\xa5');
  const std::string challenge = string_member(parse_json(registration_options(access).body), "challenge");
  webauthn::RegistrationResponse registration;
  registration.credential_id = long_id;
  registration.client_data_json = encode_client_data("webauthn.create", challenge, "http://localhost:8080");
  registration.attestation_object = encode_attestation_object(encode_authenticator_data(
      sha256("localhost"), kFlagUp | kFlagUv | kFlagAt, 0,
      AttestedData{std::string(16, '\0'), long_id, authenticator.cose_public_key()}));
  const HttpResult registered =
      post_json("/passkeys/register", R"({"credential":)" + registration_json(registration) + "}", access);
  ASSERT_EQ(registered.status, 201) << registered.body;

  webauthn::AssertionResponse assertion;
  assertion.credential_id = long_id;
  assertion.client_data_json = encode_client_data("webauthn.get", sign_in_challenge(), "http://localhost:8080");
  assertion.authenticator_data = encode_authenticator_data(sha256("localhost"), kFlagUp | kFlagUv, 1);
  assertion.signature = authenticator.sign(assertion.authenticator_data, assertion.client_data_json);
  assertion.user_handle = user_id_of(access);
  const HttpResult signed_in = sign_in_with_credential(assertion_json(assertion));
  EXPECT_EQ(signed_in.status, 200) << signed_in.body;
}

TEST_P(AuthPasskeys, ADefaultNameComesFromTheDevice) {
  start_host(kWebAuthnPatch);
  add_user("names@example.com");
  const std::string access = access_token_of(login_ok("names@example.com"));
  // The name of the device the registration came from; "Passkey" when it cannot be told.
  auto registered_from = [&](const std::string& user_agent, const std::string& name_member) {
    SoftwareAuthenticator authenticator;
    const std::string credential = authenticator.register_from_options(registration_options(access).body);
    const HttpResult answer = http.post(auth_url("/passkeys/register"), "{" + name_member + R"("credential":)" + credential + "}",
                                        json_with({{"Authorization", "Bearer " + access}, {"User-Agent", user_agent}}));
    EXPECT_EQ(answer.status, 201) << answer.body;
    return string_member(parse_json(answer.body), "name");
  };
  EXPECT_EQ(registered_from("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
                            "Safari/537.36",
                            ""),
            "Chrome on Linux");
  EXPECT_EQ(registered_from("curl/8.11.1", ""), "curl");
  EXPECT_EQ(registered_from("SomethingElse/1", R"("name":"   ",)"), "Passkey");
  EXPECT_EQ(registered_from("", R"("name":null,)"), "Passkey");
  // Up to 64 characters, any script; more, or a control character, is a 400 and nothing is stored.
  SoftwareAuthenticator named;
  std::string long_name;
  for (int i = 0; i < 64; ++i) long_name += "é";
  EXPECT_TRUE(is_json_error(register_with(named, access, R"("name":")" + long_name + "é\""), 400, "invalid_request"));
  EXPECT_TRUE(is_json_error(register_with(named, access, R"("name":"tab\there")"), 400, "invalid_request"));
  // Nor a C1 control (U+009B starts a terminal escape; the CLI prints names) or an invisible
  // format character (a bidi override reorders what the list shows).
  EXPECT_TRUE(is_json_error(register_with(named, access, R"("name":"csi\u009b2J")"), 400, "invalid_request"));
  EXPECT_TRUE(is_json_error(register_with(named, access, R"("name":"gpj\u202eexe")"), 400, "invalid_request"));
  EXPECT_TRUE(is_json_error(register_with(named, access, R"("name":"zero\u200bwidth")"), 400, "invalid_request"));
  EXPECT_TRUE(is_json_error(register_with(named, access, R"("name":42)"), 400, "invalid_request"));
  EXPECT_EQ(passkey_rows(), 4);
  const HttpResult longest = register_with(named, access, R"("name":")" + long_name + "\"");
  ASSERT_EQ(longest.status, 201) << longest.body;
  EXPECT_EQ(string_member(parse_json(longest.body), "name"), long_name);
}

TEST_P(AuthPasskeys, APasskeyIsTheSecondFactorAfterAPassword) {
  start_host(kWebAuthnPatch);
  add_user("second@example.com");
  add_user("other@example.com");
  const std::string access = access_token_of(login_ok("second@example.com"));
  SoftwareAuthenticator authenticator;
  register_ok(authenticator, access);
  SoftwareAuthenticator others;
  register_ok(others, access_token_of(login_ok("other@example.com")));

  const HttpResult first = login("second@example.com");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(set_cookies(first).empty());
  const auto challenge = parse_json(first.body);
  EXPECT_TRUE(challenge["mfaRequired"].GetBool());
  EXPECT_EQ(strings_of(challenge["methods"]), Strings{"passkey"}) << "no TOTP: only what the user has";
  const std::string token = string_member(challenge, "mfaToken");
  const auto verify = [&](const std::string& credential) {
    return post_json("/mfa/verify", R"({"mfaToken":")" + token + R"(","credential":)" + credential + "}");
  };
  // Another user's passkey, and a code, do not pass; the mfaToken stays usable.
  EXPECT_TRUE(is_json_error(verify(assertion(others)), 401, "invalid_credential"));
  EXPECT_TRUE(is_json_error(post_json("/mfa/verify", R"({"mfaToken":")" + token + R"(","code":"123456"})"), 401,
                            "invalid_code"));
  const HttpResult verified = verify(assertion(authenticator));
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_TRUE(set_cookie(verified, "refreshToken"));
  EXPECT_EQ(amr_of(access_token_of(verified)), (Strings{"pwd", "hwk"}));
  EXPECT_EQ(int_member(parse_json(verified.body)["user"]["mfa"], "passkeys"), 1);
  // The mfaToken is spent.
  EXPECT_TRUE(is_json_error(verify(assertion(authenticator)), 401, "invalid_mfa_token"));

  const ExitResult audit = cli({"audit", "--event", "login.succeeded", "--user", "second@example.com", "--json"});
  EXPECT_EQ(std::count(audit.out.begin(), audit.out.end(), '\n'), 2) << audit.out;
}

TEST_P(AuthPasskeys, TotpAndPasskeysTogetherAndTotpDisabledLeavesThePasskey) {
  start_host(merge_json(kWebAuthnPatch, R"({"mfa": {"encryption_key": "integration mfa key, 32 bytes or more"}})"));
  add_user("both@example.com");
  const std::string access = access_token_of(login_ok("both@example.com"));
  const HttpResult setup = http.post(auth_url("/mfa/totp/setup"), "", bearer(access));
  ASSERT_EQ(setup.status, 200) << setup.body;
  const auto key = test::key_of_base32(string_member(parse_json(setup.body), "secret"));
  const int64_t now = test::unix_now_inside_a_step();
  const HttpResult enabled = post_json(
      "/mfa/totp/enable", R"({"code":")" + test::reference_totp(key, now - 30) + R"(","password":")" + kPassword + "\"}",
      access);
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  const std::string recovery = parse_json(enabled.body)["recoveryCodes"][0].GetString();
  SoftwareAuthenticator authenticator;
  register_ok(authenticator, access);

  auto methods = [&] { return strings_of(parse_json(login("both@example.com").body)["methods"]); };
  EXPECT_EQ(methods(), (Strings{"totp", "recovery_code", "passkey"}));
  const HttpResult disabled = post_json(
      "/mfa/totp/disable", R"({"password":")" + kPassword + R"(","recoveryCode":")" + recovery + "\"}", access);
  ASSERT_EQ(disabled.status, 204) << disabled.body;
  // TOTP and its recovery codes are gone; the passkey is still a second factor.
  EXPECT_EQ(methods(), Strings{"passkey"});
  const auto me = parse_json(http.get(auth_url("/me"), bearer(access)).body);
  EXPECT_FALSE(me["user"]["mfa"]["totp"].GetBool());
  EXPECT_EQ(int_member(me["user"]["mfa"], "passkeys"), 1);
}

TEST_P(AuthPasskeys, StepUpWithAPasskeyOpensAnMfaPrefix) {
  start_host(merge_json(kWebAuthnPatch, R"({"protect": [{"prefix": "/test/fast", "roles": [], "mfa": true}]})"),
             {test_plugin_entry()});
  add_user("step@example.com");
  const std::string access = access_token_of(login_ok("step@example.com"));  // a password only: ["pwd"]
  SoftwareAuthenticator authenticator;
  register_ok(authenticator, access);
  EXPECT_TRUE(is_json_error(http.get(url("/test/fast"), bearer(access)), 403, "mfa_required"));
  // Without TOTP a code cannot step up; a passkey can.
  EXPECT_TRUE(is_json_error(post_json("/mfa/step-up", R"({"code":"123456"})", access), 409, "mfa_not_enabled"));
  EXPECT_TRUE(is_json_error(post_json("/mfa/step-up", R"({"code":"123456","credential":{}})", access), 400,
                            "invalid_request"));
  const HttpResult stepped = post_json("/mfa/step-up", R"({"credential":)" + assertion(authenticator) + "}", access);
  ASSERT_EQ(stepped.status, 200) << stepped.body;
  EXPECT_TRUE(set_cookie(stepped, "accessToken"));
  EXPECT_FALSE(set_cookie(stepped, "refreshToken")) << "the session keeps its refresh token";
  const std::string stepped_access = access_token_of(stepped);
  EXPECT_EQ(string_member(jwt_claims(stepped_access), "sid"), string_member(jwt_claims(access), "sid"));
  EXPECT_EQ(amr_of(stepped_access), (Strings{"pwd", "hwk"}));
  EXPECT_GE(int_member(jwt_claims(stepped_access), "auth_time"), int_member(jwt_claims(access), "auth_time"));
  EXPECT_EQ(http.get(url("/test/fast"), bearer(stepped_access)).status, 200);
  const ExitResult audit = cli({"audit", "--event", "mfa.step_up", "--json"});
  EXPECT_NE(audit.out.find(R"("method":"passkey")"), std::string::npos) << audit.out;
  // A passkey sign-in is a second factor already: ["hwk","user"] passes the prefix.
  EXPECT_EQ(http.get(url("/test/fast"), bearer(access_token_of(sign_in_with(authenticator)))).status, 200);
}

TEST_P(AuthPasskeys, RemovingNeedsARecentSignInAndOnlyTheOwnersOwn) {
  start_host(kWebAuthnPatch);
  add_user("keep@example.com");
  add_user("thief@example.com");
  const HttpResult signed_in = login_ok("keep@example.com");
  const std::string access = access_token_of(signed_in);
  SoftwareAuthenticator authenticator, spare(webauthn::CoseAlgorithm::eddsa);
  const std::string id = register_ok(authenticator, access);
  const std::string spare_id = register_ok(spare, access);
  const std::string thief = access_token_of(login_ok("thief@example.com"));

  EXPECT_TRUE(is_json_error(remove(auth_url("/passkeys/" + id), bearer(thief)), 404, "not_found"));
  EXPECT_TRUE(is_json_error(remove(auth_url("/passkeys/0123456789abcdef0123456789abcdef"), bearer(access)), 404,
                            "not_found"));
  EXPECT_TRUE(is_json_error(remove(auth_url("/passkeys/not-an-id"), bearer(access)), 404, "not_found"));
  EXPECT_TRUE(is_json_error(remove(auth_url("/passkeys/" + id)), 401, "invalid_token"));
  EXPECT_EQ(passkey_rows(), 2);

  // The session authenticated 11 minutes ago: its refreshed access token says so, and is refused.
  const std::string session_id = string_member(jwt_claims(access), "sid");
  const int64_t long_ago = int_member(jwt_claims(access), "auth_time") - 660;
  ASSERT_TRUE(store::SessionStore(db()).set_authentication(session_id, {"pwd"}, long_ago));
  const HttpResult refreshed = refresh_with_cookie(set_cookie(signed_in, "refreshToken")->value);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const std::string stale = access_token_of(refreshed);
  ASSERT_EQ(int_member(jwt_claims(stale), "auth_time"), long_ago);
  EXPECT_TRUE(is_json_error(remove(auth_url("/passkeys/" + id), bearer(stale)), 403, "reauthentication_required"));
  EXPECT_EQ(passkey_rows(), 2);
  // Nor can it add one: a stolen access token must not buy a passwordless way in for good.
  EXPECT_TRUE(is_json_error(registration_options(stale), 403, "reauthentication_required"));
  // A step-up with the other passkey makes it recent again.
  const HttpResult stepped = post_json("/mfa/step-up", R"({"credential":)" + assertion(spare) + "}", stale);
  ASSERT_EQ(stepped.status, 200) << stepped.body;
  const HttpResult removed = remove(auth_url("/passkeys/" + id), bearer(access_token_of(stepped)));
  EXPECT_EQ(removed.status, 204) << removed.body;
  EXPECT_TRUE(is_json_error(remove(auth_url("/passkeys/" + id), bearer(access_token_of(stepped))), 404, "not_found"));

  // Gone: it signs nothing in, and the list and user.mfa say so.
  EXPECT_TRUE(is_json_error(sign_in_with(authenticator), 401, "invalid_credential"));
  const auto list = parse_json(http.get(auth_url("/passkeys"), bearer(access)).body);
  ASSERT_EQ(list["passkeys"].Size(), 1u);
  EXPECT_EQ(string_member(list["passkeys"][0], "id"), spare_id);
  const ExitResult audit = cli({"audit", "--event", "passkey.removed", "--json"});
  EXPECT_NE(audit.out.find(id), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find(R"("by":"user")"), std::string::npos) << audit.out;

  // The last one removed: the password alone signs in again.
  const std::string fresh = access_token_of(sign_in_with(spare));
  EXPECT_EQ(remove(auth_url("/passkeys/" + spare_id), bearer(fresh)).status, 204);
  const HttpResult password_only = login("keep@example.com");
  ASSERT_EQ(password_only.status, 200);
  EXPECT_FALSE(parse_json(password_only.body).HasMember("mfaRequired"));
  EXPECT_EQ(int_member(parse_json(password_only.body)["user"]["mfa"], "passkeys"), 0);
}

// Without webauthn in the config the relying party is the request's own origin: here the host's
// http://127.0.0.1:PORT (browsers refuse an IP address; a client of its own does not).
TEST_P(AuthPasskeys, TheRelyingPartyDefaultsToTheRequestsOrigin) {
  start_host();
  add_user("default@example.com");
  const std::string access = access_token_of(login_ok("default@example.com"));
  EXPECT_EQ(string_member(parse_json(registration_options(access).body)["rp"], "id"), "127.0.0.1");
  SoftwareAuthenticator authenticator(webauthn::CoseAlgorithm::es256, "127.0.0.1", host.base_url());
  register_ok(authenticator, access);
  EXPECT_EQ(sign_in_with(authenticator).status, 200);
  // The authenticator of another origin is refused.
  SoftwareAuthenticator elsewhere;  // localhost, http://localhost:8080
  EXPECT_TRUE(is_json_error(register_with(elsewhere, access), 401, "invalid_credential"));
}

// rp_id without origins: the origin is still the host's own (its listen address here), which is
// not on "localhost". The plugin says so at start, and the ceremony from localhost is refused.
TEST_P(AuthPasskeys, AnRpIdWithoutOriginsIsWarnedAboutAtStart) {
  start_host(R"({"webauthn": {"rp_id": "localhost"}})");
  EXPECT_TRUE(host.wait_for_stderr("webauthn.origins is empty")) << host.stderr_text();
  add_user("warned@example.com");
  const std::string access = access_token_of(login_ok("warned@example.com"));
  SoftwareAuthenticator from_localhost;  // localhost, http://localhost:8080
  EXPECT_TRUE(is_json_error(register_with(from_localhost, access), 401, "invalid_credential"));
}

TEST_P(AuthPasskeys, TheCliListsAndRemovesAUsersPasskeys) {
  start_host(kWebAuthnPatch);
  add_user("cli@example.com");
  const std::string access = access_token_of(login_ok("cli@example.com"));
  SoftwareAuthenticator authenticator;
  const std::string id = parse_json(register_with(authenticator, access, R"("name":"Phone")").body)["id"].GetString();

  const ExitResult listed = cli({"passkeys", "list", "cli@example.com"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out.substr(0, listed.out.find('\n')), "id\tname\tcreated\tlast_used\tflagged\ttransports");
  EXPECT_NE(listed.out.find(id + "\tPhone\t"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("\t-\t-\t"), std::string::npos) << "never used, not flagged: " << listed.out;

  const ExitResult unknown = cli({"passkeys", "remove", "cli@example.com", "0123456789abcdef0123456789abcdef"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "latchkey-auth: cli@example.com has no passkey 0123456789abcdef0123456789abcdef\n");
  EXPECT_EQ(cli({"passkeys", "list", "nobody@example.com"}).exit_code, 1);
  EXPECT_EQ(cli({"passkeys", "remove", "cli@example.com"}).exit_code, 2) << "usage: the ID is missing";

  const ExitResult removed = cli({"passkeys", "remove", "cli@example.com", id});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(removed.out, "removed passkey " + id + " (Phone) of cli@example.com\n");
  EXPECT_EQ(passkey_rows(), 0);
  EXPECT_TRUE(is_json_error(sign_in_with(authenticator), 401, "invalid_credential"));
  const ExitResult audit = cli({"audit", "--event", "passkey.removed", "--json"});
  EXPECT_NE(audit.out.find(R"("by":"operator")"), std::string::npos) << audit.out;
}

INSTANTIATE_ON_EACH_BACKEND(AuthPasskeys);

}  // namespace
}  // namespace latchkey::test::auth
