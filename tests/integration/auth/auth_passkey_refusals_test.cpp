// Every refusal of CONTRACT §10 "Passkeys" through the real host, on each backend: 401
// invalid_credential with nothing stored and nobody signed in for a wrong origin or RP id, a
// challenge unknown, used, expired or of the other ceremony, user presence or verification missing,
// a bad signature, an unknown credential or user handle, a counter that went backwards (the passkey
// flagged and refused from then on); 400 invalid_request for malformed JSON or CBOR; the throttle of
// refused sign-ins; one assertion sent five times at once signs in once.
#include "passkey_test_support.h"

#include <atomic>
#include <thread>

namespace latchkey::test::auth {
namespace {

using webauthn::testing::assertion_json;
using webauthn::testing::kFlagAt;
using webauthn::testing::kFlagUp;
using webauthn::testing::kFlagUv;
using webauthn::testing::registration_json;

// 32 random-looking bytes no server issued.
const std::string kUnknownChallenge = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80";

class AuthPasskeyRefusals : public PasskeyTest {
 protected:
  void SetUp() override {
    PasskeyTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
  }
  // A signed-in user (password) and the challenge of a fresh register/options.
  std::string registration_challenge(const std::string& access) {
    const HttpResult options = registration_options(access);
    EXPECT_EQ(options.status, 200) << options.body;
    return string_member(parse_json(options.body), "challenge");
  }
  HttpResult post_registration(const webauthn::RegistrationResponse& response, const std::string& access) {
    return post_json("/passkeys/register", R"({"credential":)" + registration_json(response) + "}", access);
  }
  HttpResult post_assertion(const webauthn::AssertionResponse& response) {
    return sign_in_with_credential(assertion_json(response));
  }
  void expire_every_challenge() {
    db().run([](soci::session& sql) { sql << "UPDATE webauthn_challenges SET expires_at = created_at"; });
  }
};

TEST_P(AuthPasskeyRefusals, RegistrationsThatProveNothingStoreNothing) {
  start_host(kWebAuthnPatch);
  add_user("reg@example.com");
  add_user("someone@example.com");
  const std::string access = access_token_of(login_ok("reg@example.com"));
  const std::string user_id = user_id_of(access);
  SoftwareAuthenticator authenticator;
  auto refused = [&](const webauthn::RegistrationResponse& response, const char* what) {
    EXPECT_TRUE(is_json_error(post_registration(response, access), 401, "invalid_credential")) << what;
  };
  auto made = [&](const std::string& challenge, const CeremonyKnobs& knobs = {}) {
    return authenticator.make_registration(challenge, user_id, knobs);
  };
  refused(made(registration_challenge(access), knob_origin("http://evil.example")), "wrong origin");
  refused(made(registration_challenge(access), knob_origin("http://localhost:8081")), "another port");
  refused(made(registration_challenge(access), knob_rp_id("example.com")), "wrong RP id");
  refused(made(registration_challenge(access), knob_type("webauthn.get")), "wrong type");
  refused(made(kUnknownChallenge), "unknown challenge");
  refused(made(sign_in_challenge()), "a sign-in's challenge");
  refused(made(registration_challenge(access_token_of(login_ok("someone@example.com")))), "another user's challenge");
  refused(made(registration_challenge(access), knob_flags(kFlagUp | kFlagAt)), "no user verification");
  refused(made(registration_challenge(access), knob_flags(kFlagUv | kFlagAt)), "no user presence");
  refused(made(registration_challenge(access), knob_flags(kFlagUp | kFlagUv)), "no attested credential");
  refused(made(registration_challenge(access), knob_cross_origin()), "cross-origin");
  const std::string expiring = registration_challenge(access);
  expire_every_challenge();
  refused(made(expiring), "expired challenge");
  EXPECT_EQ(passkey_rows(), 0);

  // Used: the challenge that registered one passkey registers no other.
  const std::string once = registration_challenge(access);
  ASSERT_EQ(post_registration(made(once), access).status, 201);
  SoftwareAuthenticator second;
  EXPECT_TRUE(is_json_error(post_registration(second.make_registration(once, user_id), access), 401, "invalid_credential"));
  EXPECT_EQ(passkey_rows(), 1);
  const ExitResult audit = cli({"audit", "--event", "passkey.added", "--json"});
  EXPECT_EQ(std::count(audit.out.begin(), audit.out.end(), '\n'), 1) << audit.out;
}

TEST_P(AuthPasskeyRefusals, SignInsThatProveNothingSignNobodyIn) {
  start_host(kWebAuthnPatch);
  add_user("sign@example.com");
  add_user("else@example.com");
  const std::string access = access_token_of(login_ok("sign@example.com"));
  SoftwareAuthenticator authenticator;
  register_ok(authenticator, access);
  const std::string other_user = user_id_of(access_token_of(login_ok("else@example.com")));
  const int64_t sessions_before = session_rows();
  auto refused = [&](const webauthn::AssertionResponse& response, const char* what) {
    const HttpResult answer = post_assertion(response);
    EXPECT_TRUE(is_json_error(answer, 401, "invalid_credential")) << what;
    EXPECT_TRUE(set_cookies(answer).empty()) << what;
  };
  auto made = [&](const std::string& challenge, const CeremonyKnobs& knobs = {}) {
    return authenticator.make_assertion(challenge, knobs);
  };
  refused(made(sign_in_challenge(), knob_origin("http://evil.example")), "wrong origin");
  refused(made(sign_in_challenge(), knob_rp_id("example.com")), "wrong RP id");
  refused(made(sign_in_challenge(), knob_type("webauthn.create")), "wrong type");
  refused(made(kUnknownChallenge), "unknown challenge");
  refused(made(registration_challenge(access)), "a registration's challenge");
  refused(made(sign_in_challenge(), knob_flags(kFlagUp)), "no user verification");
  refused(made(sign_in_challenge(), knob_flags(kFlagUv)), "no user presence");
  refused(made(sign_in_challenge(), knob_user_handle("")), "no user handle");
  refused(made(sign_in_challenge(), knob_user_handle(other_user)), "another user's handle");
  refused(made(sign_in_challenge(), knob_cross_origin()), "cross-origin");
  auto forged = made(sign_in_challenge());
  forged.signature.back() = static_cast<char>(forged.signature.back() ^ 0x01);
  refused(forged, "bad signature");
  auto resigned = made(sign_in_challenge());
  resigned.client_data_json =
      webauthn::testing::encode_client_data("webauthn.get", sign_in_challenge(), "http://localhost:8080");
  refused(resigned, "client data swapped after signing");
  SoftwareAuthenticator stranger;
  refused(stranger.make_assertion(sign_in_challenge(), knob_user_handle(user_id_of(access))), "unknown credential");
  const std::string expiring = sign_in_challenge();
  expire_every_challenge();
  refused(made(expiring), "expired challenge");
  EXPECT_EQ(session_rows(), sessions_before);

  // Used: an assertion that signed in once signs in no more.
  const std::string credential = assertion(authenticator);
  ASSERT_EQ(sign_in_with_credential(credential).status, 200);
  EXPECT_TRUE(is_json_error(sign_in_with_credential(credential), 401, "invalid_credential"));
  EXPECT_EQ(session_rows(), sessions_before + 1);
  // Each refusal is audited with the step that refused (never the credential itself).
  const ExitResult audit = cli({"audit", "--event", "passkey.failed", "--json", "--limit", "100"});
  EXPECT_EQ(std::count(audit.out.begin(), audit.out.end(), '\n'), 15) << audit.out;
  EXPECT_NE(audit.out.find("signature does not verify"), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find(authenticator.credential_id_base64url()), std::string::npos);
}

TEST_P(AuthPasskeyRefusals, ACounterThatWentBackwardsFlagsThePasskeyForGood) {
  start_host(kWebAuthnPatch);
  add_user("clone@example.com");
  const std::string access = access_token_of(login_ok("clone@example.com"));
  SoftwareAuthenticator authenticator;
  const std::string id = register_ok(authenticator, access);
  for (int i = 0; i < 2; ++i) ASSERT_EQ(sign_in_with(authenticator).status, 200);  // counter 2
  const int64_t sessions_before = session_rows();

  // A clone still at 1 (the signature is good: the key was copied).
  EXPECT_TRUE(is_json_error(sign_in_with(authenticator, knob_sign_count(1)), 401, "invalid_credential"));
  EXPECT_TRUE(is_json_error(sign_in_with(authenticator), 401, "invalid_credential")) << "refused from then on";
  EXPECT_EQ(session_rows(), sessions_before);
  const auto list = parse_json(http.get(auth_url("/passkeys"), bearer(access)).body);
  ASSERT_EQ(list["passkeys"].Size(), 1u);
  EXPECT_TRUE(list["passkeys"][0]["flagged"].GetBool());
  // Still the user's second factor (it says they wanted one): a password asks for it, and fails.
  const auto challenge = parse_json(login("clone@example.com").body);
  ASSERT_TRUE(challenge.HasMember("mfaToken"));
  EXPECT_TRUE(is_json_error(post_json("/mfa/verify", R"({"mfaToken":")" + string_member(challenge, "mfaToken") +
                                                         R"(","credential":)" + assertion(authenticator) + "}"),
                            401, "invalid_credential"));
  const ExitResult flagged = cli({"audit", "--event", "passkey.flagged", "--json"});
  EXPECT_EQ(std::count(flagged.out.begin(), flagged.out.end(), '\n'), 1) << flagged.out;
  EXPECT_NE(flagged.out.find(id), std::string::npos);
  const ExitResult listed = cli({"passkeys", "list", "clone@example.com"});
  EXPECT_EQ(listed.out.find("\t-\t-"), std::string::npos) << "flagged has a time: " << listed.out;

  // Removing it (with the recent password sign-in) is what the user can do.
  EXPECT_EQ(http.request("DELETE", auth_url("/passkeys/" + id), bearer(access)).status, 204);
}

// An assertion whose signature verified but that signed nobody in (here: the account was
// disabled) has had its one try: sent again after newer ones, it is refused as used, and does not
// flag the passkey as a clone (its counter is behind by then).
TEST_P(AuthPasskeyRefusals, AnAssertionThatSignedNobodyInCannotFlagThePasskeyLater) {
  start_host(kWebAuthnPatch);
  add_user("paused@example.com");
  SoftwareAuthenticator authenticator;
  register_ok(authenticator, access_token_of(login_ok("paused@example.com")));
  ASSERT_EQ(cli({"user", "disable", "paused@example.com"}).exit_code, 0);
  const std::string early = assertion(authenticator);  // counter 1
  EXPECT_TRUE(is_json_error(sign_in_with_credential(early), 403, "account_disabled"));
  ASSERT_EQ(cli({"user", "enable", "paused@example.com"}).exit_code, 0);
  ASSERT_EQ(sign_in_with(authenticator).status, 200);  // counter 2

  EXPECT_TRUE(is_json_error(sign_in_with_credential(early), 401, "invalid_credential"));
  const ExitResult flagged = cli({"audit", "--event", "passkey.flagged", "--json"});
  EXPECT_EQ(flagged.out, "");
  EXPECT_EQ(sign_in_with(authenticator).status, 200) << "not flagged";
}

TEST_P(AuthPasskeyRefusals, ACounterThatStaysZeroIsNoClone) {
  start_host(kWebAuthnPatch);
  add_user("synced@example.com");
  SoftwareAuthenticator synced;  // as synced passkeys do: the counter is always 0
  synced.set_counter_step(0);
  register_ok(synced, access_token_of(login_ok("synced@example.com")));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(sign_in_with(synced).status, 200) << i;
}

TEST_P(AuthPasskeyRefusals, MalformedJsonAndCborAre400AndStoreNothing) {
  start_host(kWebAuthnPatch);
  add_user("bad@example.com");
  const std::string access = access_token_of(login_ok("bad@example.com"));
  SoftwareAuthenticator authenticator;
  const std::string user_id = user_id_of(access);

  auto good = authenticator.make_registration(registration_challenge(access), user_id);
  auto garbage_cbor = good;
  garbage_cbor.attestation_object = "\xa3\x63" "fmt";  // a map cut short
  auto truncated = good;
  truncated.attestation_object.resize(truncated.attestation_object.size() / 2);
  auto not_json = good;
  not_json.client_data_json = "{\"type\":\"webauthn.create\",";
  for (const auto& [response, what] : {std::pair{garbage_cbor, "garbage CBOR"}, std::pair{truncated, "truncated CBOR"},
                                       std::pair{not_json, "clientDataJSON not JSON"}}) {
    EXPECT_TRUE(is_json_error(post_registration(response, access), 400, "invalid_request")) << what;
  }
  const std::vector<std::string> bodies = {
      "{",
      "[]",
      R"({})",
      R"({"credential":"a string"})",
      R"({"credential":{}})",
      R"({"credential":{"id":"x","rawId":"x","type":"public-key","response":{}}})",
      R"({"credential":)" + registration_json(good) + R"(,"credential":{}})",
      R"({"credential":)" + registration_json(good) + R"(,"name":{"deep":[[[[[[1]]]]]]}})",
  };
  for (const std::string& body : bodies) {
    EXPECT_TRUE(is_json_error(post_json("/passkeys/register", body, access), 400, "invalid_request")) << body;
    EXPECT_TRUE(is_json_error(post_json("/passkeys/login", body), 400, "invalid_request")) << body;
  }
  EXPECT_TRUE(is_json_error(http.post(auth_url("/passkeys/login"), R"({"credential":{}})"), 400, "invalid_request"))
      << "no JSON Content-Type";
  EXPECT_EQ(passkey_rows(), 0);
  // None of that used the challenge up: the good response still registers.
  ASSERT_EQ(post_registration(good, access).status, 201);

  const int64_t sessions_before = session_rows();
  auto assertion_cut = authenticator.make_assertion(sign_in_challenge());
  assertion_cut.authenticator_data.resize(10);
  EXPECT_TRUE(is_json_error(post_assertion(assertion_cut), 400, "invalid_request"));
  auto client_data_garbage = authenticator.make_assertion(sign_in_challenge());
  client_data_garbage.client_data_json = "\x01\x02not json";
  EXPECT_TRUE(is_json_error(post_assertion(client_data_garbage), 400, "invalid_request"));
  EXPECT_EQ(session_rows(), sessions_before);
  // mfa/verify and step-up read the credential the same way.
  EXPECT_TRUE(is_json_error(post_json("/mfa/step-up", R"({"credential":"x"})", access), 400, "invalid_request"));
  EXPECT_TRUE(is_json_error(post_json("/mfa/step-up", R"({"credential":)" + assertion_json(assertion_cut) + "}", access),
                            400, "invalid_request"));
  // The host is still up and well.
  EXPECT_EQ(sign_in_with(authenticator).status, 200);
}

TEST_P(AuthPasskeyRefusals, RefusedSignInsAreThrottledPerAddress) {
  start_host(merge_json(kWebAuthnPatch, R"({"login_throttle": {"max_failures_per_address": 3}})"));
  add_user("flood@example.com");
  SoftwareAuthenticator authenticator, stranger;
  register_ok(authenticator, access_token_of(login_ok("flood@example.com")));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(is_json_error(sign_in_with(stranger, knob_user_handle("x")), 401, "invalid_credential")) << i;
  }
  const HttpResult limited = sign_in_with(authenticator);
  EXPECT_TRUE(is_json_error(limited, 429, "rate_limited"));
  EXPECT_GE(std::stoi(limited.header("Retry-After")), 1);
}

// Each options answer is a challenge row kept 5 minutes: 600 a minute per address, then 429.
TEST_P(AuthPasskeyRefusals, OptionsAreLimitedPerAddress) {
  start_host(kWebAuthnPatch);
  int answered = 0;
  HttpResult last;
  for (int i = 0; i < 700; ++i) {
    last = post_json("/passkeys/login/options", "{}");
    if (last.status != 200) break;
    ++answered;
  }
  EXPECT_EQ(answered, 600);
  EXPECT_TRUE(is_json_error(last, 429, "rate_limited")) << last.status << " " << last.body;
  EXPECT_GE(std::stoi(last.header("Retry-After")), 1);
}

// One assertion, five requests at once: one session, four refusals, on every backend.
TEST_P(AuthPasskeyRefusals, OneAssertionSentFiveTimesAtOnceSignsInOnce) {
  start_host(merge_json(kWebAuthnPatch, R"({"database": {"pool_size": 8}})"));
  add_user("race@example.com");
  SoftwareAuthenticator authenticator;
  register_ok(authenticator, access_token_of(login_ok("race@example.com")));
  const int64_t sessions_before = session_rows();
  const std::string credential = assertion(authenticator);
  std::atomic<int> signed_in = 0, refused = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&] {
      HttpClient client;
      const HttpResult answer =
          client.post(auth_url("/passkeys/login"), R"({"credential":)" + credential + "}", kJson);
      signed_in += answer.status == 200;
      refused += answer.status == 401;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(signed_in, 1);
  EXPECT_EQ(refused, 4);
  EXPECT_EQ(session_rows(), sessions_before + 1);
  // Losing the race is no clone: the passkey is not flagged and signs in again.
  EXPECT_EQ(count_rows("passkeys WHERE flagged_at IS NOT NULL"), 0);
  EXPECT_EQ(sign_in_with(authenticator).status, 200);
  const ExitResult audit = cli({"audit", "--event", "passkey.signed_in", "--json"});
  EXPECT_EQ(std::count(audit.out.begin(), audit.out.end(), '\n'), 2) << audit.out;
}

// The second factor under concurrency: one assertion with three mfaTokens at once (three tabs)
// finishes one sign-in; the other two mfaTokens stay usable.
TEST_P(AuthPasskeyRefusals, OneAssertionFinishesOneSecondFactorAtOnce) {
  start_host(merge_json(kWebAuthnPatch, R"({"database": {"pool_size": 8}})"));
  add_user("tabs@example.com");
  SoftwareAuthenticator authenticator;
  register_ok(authenticator, access_token_of(login_ok("tabs@example.com")));
  std::vector<std::string> tokens;
  for (int i = 0; i < 3; ++i) tokens.push_back(string_member(parse_json(login("tabs@example.com").body), "mfaToken"));
  const std::string credential = assertion(authenticator);
  std::atomic<int> signed_in = 0, refused = 0;
  std::vector<std::thread> threads;
  for (const std::string& token : tokens) {
    threads.emplace_back([&, token] {
      HttpClient client;
      const HttpResult answer = client.post(
          auth_url("/mfa/verify"), R"({"mfaToken":")" + token + R"(","credential":)" + credential + "}", kJson);
      signed_in += answer.status == 200;
      refused += answer.status == 401;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(signed_in, 1);
  EXPECT_EQ(refused, 2);
  EXPECT_EQ(count_rows("passkeys WHERE flagged_at IS NOT NULL"), 0);
  int finished = 0;
  for (const std::string& token : tokens) {
    finished += post_json("/mfa/verify", R"({"mfaToken":")" + token + R"(","credential":)" + assertion(authenticator) + "}")
                    .status == 200;
  }
  EXPECT_EQ(finished, 2) << "the losers' mfaTokens were not used up";
}

INSTANTIATE_ON_EACH_BACKEND(AuthPasskeyRefusals);

}  // namespace
}  // namespace latchkey::test::auth
