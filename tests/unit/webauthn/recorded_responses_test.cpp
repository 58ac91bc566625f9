// Responses recorded from Chromium's virtual authenticator (tests/data/webauthn/record.mjs): each
// registration and assertion is accepted as recorded, and each is refused once one field is
// changed. Changed assertions are signed again with the recorded credential's private key, so
// that the step a change targets refuses it and not the signature (each test checks first that
// the same response signed again, unchanged, is still accepted).
#include "webauthn/ceremony.h"

#include "webauthn_authenticator.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <stdexcept>
#include <sstream>

namespace latchkey::webauthn {
namespace {

using namespace testing;  // NOLINT: the authenticator and its encoders

rapidjson::Document read_json_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  rapidjson::Document document;
  document.Parse(text.str().c_str());
  return document;
}

std::string text_of(const rapidjson::Value& value) { return {value.GetString(), value.GetStringLength()}; }

// clientDataJSON with one member set to a new value (JSON text), in the same order otherwise.
std::string client_data_with(const std::string& json, const char* member, const std::string& value) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  rapidjson::Document replacement(&document.GetAllocator());
  replacement.Parse(value.c_str());
  document[member].CopyFrom(replacement, document.GetAllocator());
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  document.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

class Recorded : public ::testing::TestWithParam<const char*> {
 protected:
  Recorded() : recording(read_json_file(std::string(LATCHKEY_TEST_DATA_DIR) + "/webauthn/" + GetParam() + ".json")) {
    if (!recording.IsObject()) throw std::runtime_error(std::string("cannot read tests/data/webauthn/") + GetParam() + ".json");
    rp = RelyingParty{text_of(recording["rpId"]), {text_of(recording["origin"])}};
    registration_challenge = text_of(recording["registration"]["challenge"]);
    registration = *read_registration_response(recording["registration"]["credential"]);
    registration_authenticator_data =
        base64url_decode_or_throw(text_of(recording["registration"]["credential"]["response"]["authenticatorData"]));
    for (const auto& assertion : recording["assertions"].GetArray()) {
      challenges.push_back(text_of(assertion["challenge"]));
      assertions.push_back(*read_assertion_response(assertion["credential"]));
    }
    const rapidjson::Value& credential = recording["credential"];
    signer.emplace(SoftwareAuthenticator::from_private_key(
        base64url_decode_or_throw(text_of(credential["privateKeyPkcs8"])),
        base64url_decode_or_throw(text_of(credential["id"])),
        base64url_decode_or_throw(text_of(credential["userHandle"])), credential["signCount"].GetUint(), rp.id,
        rp.origins[0]));
  }

  NewCredential registered() const {
    const RegistrationResult result = verify_registration(registration, rp, registration_challenge);
    EXPECT_EQ(result.verdict, Verdict::ok) << result.reason;
    return *result.credential;
  }
  StoredCredential stored(uint32_t count) const { return {registered().public_key, count}; }

  AssertionResponse resigned(AssertionResponse response) const {
    response.signature = signer->sign(response.authenticator_data, response.client_data_json);
    return response;
  }
  // The first assertion changed by `change`, signed again, verified against the registered key.
  template <typename Change>
  AssertionResult first_assertion_changed(Change change, uint32_t stored_count = 1) const {
    AssertionResponse response = assertions[0];
    change(response);
    return verify_assertion(resigned(response), rp, challenges[0], stored(stored_count));
  }
  // The registration with its authenticator data changed by `change` and the attestation object
  // encoded again.
  template <typename Change>
  RegistrationResult registration_changed(Change change) const {
    std::string data = registration_authenticator_data;
    change(data);
    RegistrationResponse response = registration;
    response.attestation_object = encode_attestation_object(data);
    return verify_registration(response, rp, registration_challenge);
  }

  rapidjson::Document recording;
  RelyingParty rp;
  std::string registration_challenge;
  RegistrationResponse registration;
  std::string registration_authenticator_data;
  std::vector<std::string> challenges;
  std::vector<AssertionResponse> assertions;
  std::optional<SoftwareAuthenticator> signer;
};

TEST_P(Recorded, RegistrationIsAccepted) {
  const NewCredential credential = registered();
  EXPECT_EQ(credential.credential_id, signer->credential_id());
  EXPECT_EQ(credential.public_key, signer->cose_public_key()) << "the recorded key is the private key's";
  EXPECT_EQ(static_cast<int>(credential.algorithm), recording["registration"]["credential"]["response"]["publicKeyAlgorithm"].GetInt());
  EXPECT_EQ(credential.sign_count, 1u);  // Chromium's virtual authenticator counts from 1
  EXPECT_EQ(registration.transports, std::vector<std::string>{"internal"});
}

TEST_P(Recorded, AssertionsAreAcceptedInOrderWithAGrowingCounter) {
  uint32_t count = registered().sign_count;
  ASSERT_EQ(assertions.size(), 2u);
  for (std::size_t i = 0; i < assertions.size(); ++i) {
    EXPECT_EQ(assertions[i].user_handle, "user-42");
    const AssertionResult result = verify_assertion(assertions[i], rp, challenges[i], stored(count));
    ASSERT_EQ(result.verdict, Verdict::ok) << result.reason;
    EXPECT_EQ(result.sign_count, count + 1);
    count = result.sign_count;
  }
}

TEST_P(Recorded, AnAssertionReplayedAfterALaterOneIsCounterRegressed) {
  // The first assertion (counter 2) after the second was accepted (counter 3 stored).
  EXPECT_EQ(verify_assertion(assertions[0], rp, challenges[0], stored(3)).verdict, Verdict::counter_regressed);
  EXPECT_EQ(verify_assertion(assertions[1], rp, challenges[1], stored(3)).verdict, Verdict::counter_regressed);
}

TEST_P(Recorded, AnAssertionSignedAgainUnchangedIsStillAccepted) {
  EXPECT_EQ(first_assertion_changed([](AssertionResponse&) {}).verdict, Verdict::ok);
  EXPECT_NE(resigned(assertions[0]).signature, std::string()) << "the recorded private key signs";
}

TEST_P(Recorded, AssertionOfAnotherOriginIsRefused) {
  EXPECT_EQ(first_assertion_changed([](AssertionResponse& r) {
              r.client_data_json = client_data_with(r.client_data_json, "origin", R"("http://localhost:1")");
            }).verdict,
            Verdict::refused);
}

TEST_P(Recorded, AssertionForAnotherRpIdIsRefused) {
  EXPECT_EQ(first_assertion_changed([](AssertionResponse& r) { r.authenticator_data.replace(0, 32, sha256("example.com")); })
                .verdict,
            Verdict::refused);
}

TEST_P(Recorded, AssertionWithAnotherChallengeIsRefused) {
  EXPECT_EQ(first_assertion_changed([this](AssertionResponse& r) {
              r.client_data_json = client_data_with(r.client_data_json, "challenge", '"' + challenges[1] + '"');
            }).verdict,
            Verdict::refused);
  EXPECT_EQ(verify_assertion(assertions[0], rp, challenges[1], stored(1)).verdict, Verdict::refused);
}

TEST_P(Recorded, AssertionOfAnotherTypeIsRefused) {
  EXPECT_EQ(first_assertion_changed([](AssertionResponse& r) {
              r.client_data_json = client_data_with(r.client_data_json, "type", R"("webauthn.create")");
            }).verdict,
            Verdict::refused);
}

TEST_P(Recorded, AssertionWithoutUserPresenceOrVerificationIsRefused) {
  EXPECT_EQ(first_assertion_changed([](AssertionResponse& r) { r.authenticator_data[32] &= ~kFlagUp; }).verdict,
            Verdict::refused);
  EXPECT_EQ(first_assertion_changed([](AssertionResponse& r) { r.authenticator_data[32] &= ~kFlagUv; }).verdict,
            Verdict::refused);
}

TEST_P(Recorded, AssertionWithAChangedByteAndTheOldSignatureIsRefused) {
  for (const std::size_t at : {std::size_t{0}, std::size_t{32}, std::size_t{36}}) {
    AssertionResponse response = assertions[0];
    response.authenticator_data[at] = static_cast<char>(response.authenticator_data[at] ^ 0x10);
    EXPECT_EQ(verify_assertion(response, rp, challenges[0], stored(1)).verdict, Verdict::refused) << at;
  }
  AssertionResponse response = assertions[0];
  response.signature[response.signature.size() / 2] ^= 0x01;
  EXPECT_EQ(verify_assertion(response, rp, challenges[0], stored(1)).verdict, Verdict::refused);
}

TEST_P(Recorded, AssertionWhoseCounterDidNotGrowIsCounterRegressed) {
  // Counter 2 signed again as 2 against 2 stored (equal), and as 1 against 2 (backwards).
  EXPECT_EQ(first_assertion_changed([](AssertionResponse&) {}, 2).verdict, Verdict::counter_regressed);
  EXPECT_EQ(first_assertion_changed([](AssertionResponse& r) { r.authenticator_data[36] = 1; }, 2).verdict,
            Verdict::counter_regressed);
  // Counter 0 signed again against 0 stored: an authenticator without a counter.
  EXPECT_EQ(first_assertion_changed([](AssertionResponse& r) { r.authenticator_data[36] = 0; }, 0).verdict, Verdict::ok);
}

TEST_P(Recorded, AssertionWithTrailingBytesIsMalformed) {
  EXPECT_EQ(first_assertion_changed([](AssertionResponse& r) { r.authenticator_data += '\0'; }).verdict,
            Verdict::malformed);
}

TEST_P(Recorded, RegistrationEncodedAgainUnchangedIsStillAccepted) {
  EXPECT_EQ(registration_changed([](std::string&) {}).verdict, Verdict::ok);
}

TEST_P(Recorded, RegistrationOfAnotherOriginChallengeOrTypeIsRefused) {
  for (const auto& [member, value] : std::vector<std::pair<const char*, std::string>>{
           {"origin", R"("http://evil.example")"}, {"challenge", R"("b3RoZXI")"}, {"type", R"("webauthn.get")"},
           {"crossOrigin", "true"}}) {
    RegistrationResponse response = registration;
    response.client_data_json = client_data_with(response.client_data_json, member, value);
    EXPECT_EQ(verify_registration(response, rp, registration_challenge).verdict, Verdict::refused) << member;
  }
}

TEST_P(Recorded, RegistrationForAnotherRpIdOrWithoutUpOrUvIsRefused) {
  EXPECT_EQ(registration_changed([](std::string& d) { d.replace(0, 32, sha256("evil.example")); }).verdict,
            Verdict::refused);
  EXPECT_EQ(registration_changed([](std::string& d) { d[32] &= ~kFlagUp; }).verdict, Verdict::refused);
  EXPECT_EQ(registration_changed([](std::string& d) { d[32] &= ~kFlagUv; }).verdict, Verdict::refused);
}

TEST_P(Recorded, RegistrationWithAnotherCoseAlgorithmIsRefused) {
  // The alg member (label 3) of the recorded key changed to ES384 (-35 = 0x38 0x22) or PS256 (-37).
  const std::string key = registered().public_key;
  const std::string alg_member = key.substr(3, key[4] == '\x39' ? 4 : 2);  // 03 26 / 03 27 / 03 39 01 00
  ASSERT_EQ(alg_member[0], '\x03');
  for (const std::string& other : {std::string("\x03\x38\x22"), std::string("\x03\x38\x24")}) {
    EXPECT_EQ(registration_changed([&](std::string& d) { d.replace(d.find(alg_member, 55), alg_member.size(), other); })
                  .verdict,
              Verdict::refused);
  }
}

TEST_P(Recorded, RegistrationWithCborGarbageIsMalformed) {
  RegistrationResponse response = registration;
  response.attestation_object[0] = '\xff';
  EXPECT_EQ(verify_registration(response, rp, registration_challenge).verdict, Verdict::malformed);
  response = registration;
  response.attestation_object.pop_back();
  EXPECT_EQ(verify_registration(response, rp, registration_challenge).verdict, Verdict::malformed);
  EXPECT_EQ(registration_changed([](std::string& d) { d += '\0'; }).verdict, Verdict::malformed);
  EXPECT_EQ(registration_changed([](std::string& d) { d.resize(d.size() - 3); }).verdict, Verdict::malformed);
}

TEST_P(Recorded, RegistrationWhoseRawIdIsNotTheAttestedIdIsRefused) {
  RegistrationResponse response = registration;
  response.credential_id.back() ^= 0x01;
  EXPECT_EQ(verify_registration(response, rp, registration_challenge).verdict, Verdict::refused);
}

INSTANTIATE_TEST_SUITE_P(Chromium, Recorded, ::testing::Values("es256", "eddsa", "rs256"));

}  // namespace
}  // namespace latchkey::webauthn
