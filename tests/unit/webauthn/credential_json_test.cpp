// The `credential` member of a request body (PublicKeyCredential.toJSON()): read with a limit on
// each field, and nullopt for anything else (the route's 400 invalid_request).
#include "webauthn/ceremony.h"

#include "webauthn_authenticator.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

namespace latchkey::webauthn {
namespace {

using namespace testing;  // NOLINT: the authenticator and its encoders

rapidjson::Document parsed(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  return document;
}

class CredentialJson : public ::testing::Test {
 protected:
  CredentialJson() {
    registration = parsed(registration_json(authenticator.make_registration("Y2g", "user-7")));
    assertion = parsed(assertion_json(authenticator.make_assertion("Y2g")));
  }
  // Sets a JSON pointer in a copy of `document` to `value` (a JSON text).
  static rapidjson::Document with(const rapidjson::Document& document, const char* pointer, const std::string& value) {
    rapidjson::Document copy;
    copy.CopyFrom(document, copy.GetAllocator());
    rapidjson::Document replacement(&copy.GetAllocator());
    replacement.Parse(value.data(), value.size());
    rapidjson::Pointer(pointer).Set(copy, replacement);
    return copy;
  }
  static rapidjson::Document without(const rapidjson::Document& document, const char* pointer) {
    rapidjson::Document copy;
    copy.CopyFrom(document, copy.GetAllocator());
    rapidjson::Pointer(pointer).Erase(copy);
    return copy;
  }

  SoftwareAuthenticator authenticator;
  rapidjson::Document registration;
  rapidjson::Document assertion;
};

TEST_F(CredentialJson, ReadsARegistration) {
  const std::optional<RegistrationResponse> read = read_registration_response(registration);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->credential_id, authenticator.credential_id());
  EXPECT_EQ(read->transports, std::vector<std::string>{"internal"});
  EXPECT_EQ(challenge_of(read->client_data_json), "Y2g");
  EXPECT_TRUE(read_registration_response(without(registration, "/response/transports")));
  EXPECT_TRUE(read_registration_response(with(registration, "/response/transports", R"(["usb","hybrid","nfc","ble"])")));
}

TEST_F(CredentialJson, ReadsAnAssertion) {
  const std::optional<AssertionResponse> read = read_assertion_response(assertion);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->credential_id, authenticator.credential_id());
  EXPECT_EQ(read->user_handle, "user-7");
  EXPECT_EQ(read->signature.empty(), false);
}

TEST_F(CredentialJson, UserHandleNullEmptyOrAbsentIsNone) {
  for (const auto& document : {with(assertion, "/response/userHandle", "null"),
                               with(assertion, "/response/userHandle", R"("")"),
                               without(assertion, "/response/userHandle")}) {
    const std::optional<AssertionResponse> read = read_assertion_response(document);
    ASSERT_TRUE(read);
    EXPECT_FALSE(read->user_handle);
  }
  EXPECT_FALSE(read_assertion_response(with(assertion, "/response/userHandle", "5")));
  EXPECT_FALSE(read_assertion_response(with(assertion, "/response/userHandle", '"' + base64url(std::string(65, 'u')) + '"')));
  EXPECT_TRUE(read_assertion_response(with(assertion, "/response/userHandle", '"' + base64url(std::string(64, 'u')) + '"')));
}

TEST_F(CredentialJson, RefusesIdNotRawIdAndOtherTypes) {
  const std::string other = '"' + base64url("another id") + '"';
  EXPECT_FALSE(read_registration_response(with(registration, "/id", other)));
  EXPECT_FALSE(read_assertion_response(with(assertion, "/rawId", other)));
  EXPECT_FALSE(read_assertion_response(with(assertion, "/type", R"("password")")));
  EXPECT_FALSE(read_assertion_response(with(assertion, "/type", "null")));
  EXPECT_FALSE(read_registration_response(with(registration, "/id", R"("")")));
  EXPECT_FALSE(read_registration_response(with(registration, "/rawId", R"("")")));
}

TEST_F(CredentialJson, RefusesMissingMembers) {
  for (const char* pointer : {"/id", "/rawId", "/type", "/response", "/response/clientDataJSON",
                              "/response/attestationObject"}) {
    EXPECT_FALSE(read_registration_response(without(registration, pointer))) << pointer;
  }
  for (const char* pointer : {"/id", "/rawId", "/type", "/response", "/response/clientDataJSON",
                              "/response/authenticatorData", "/response/signature"}) {
    EXPECT_FALSE(read_assertion_response(without(assertion, pointer))) << pointer;
  }
  // An assertion is not a registration, nor the other way round.
  EXPECT_FALSE(read_registration_response(assertion));
  EXPECT_FALSE(read_assertion_response(registration));
}

TEST_F(CredentialJson, RefusesWhatIsNotStrictBase64url) {
  for (const std::string bad : {R"("Y2g=")", R"("Y2g+")", R"("Y2/g")", R"("Y2 g")", R"("Y")", R"(7)", R"(["Y2g"])"}) {
    EXPECT_FALSE(read_assertion_response(with(assertion, "/response/signature", bad))) << bad;
    EXPECT_FALSE(read_registration_response(with(registration, "/response/clientDataJSON", bad))) << bad;
  }
}

TEST_F(CredentialJson, RefusesOversizeFields) {
  const std::string long_id = '"' + base64url(std::string(1024, 'i')) + '"';
  rapidjson::Document long_ids = with(with(assertion, "/id", long_id), "/rawId", long_id);
  EXPECT_FALSE(read_assertion_response(long_ids));
  const std::string id = '"' + base64url(std::string(1023, 'i')) + '"';
  EXPECT_TRUE(read_assertion_response(with(with(assertion, "/id", id), "/rawId", id)));
  EXPECT_FALSE(read_assertion_response(with(assertion, "/response/signature", '"' + base64url(std::string(1025, 's')) + '"')));
  EXPECT_FALSE(read_assertion_response(with(assertion, "/response/clientDataJSON", '"' + base64url(std::string(4097, '{')) + '"')));
  EXPECT_FALSE(read_registration_response(
      with(registration, "/response/attestationObject", '"' + base64url(std::string(64 * 1024 + 1, 'a')) + '"')));
}

TEST_F(CredentialJson, RefusesTransportsOfTheWrongShape) {
  for (const std::string bad : {R"("internal")", R"([1])", R"([""])", R"(["Internal"])", R"(["a b"])",
                                R"(["a","b","c","d","e","f","g","h","i"])", R"(["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])"}) {
    EXPECT_FALSE(read_registration_response(with(registration, "/response/transports", bad))) << bad;
  }
}

TEST_F(CredentialJson, RefusesValuesThatAreNotObjects) {
  for (const std::string bad : {"null", "[]", R"("credential")", "1"}) {
    EXPECT_FALSE(read_registration_response(parsed(bad)));
    EXPECT_FALSE(read_assertion_response(parsed(bad)));
  }
  EXPECT_FALSE(read_assertion_response(with(assertion, "/response", "[]")));
}

}  // namespace
}  // namespace latchkey::webauthn
