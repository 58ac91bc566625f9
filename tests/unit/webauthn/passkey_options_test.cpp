// The options JSON a browser's navigator.credentials.create() / .get() takes: each member CONTRACT §10
// names, and a software authenticator that reads them answers with a response the ceremonies accept.
#include "webauthn/passkey_options.h"

#include "jwt/base64url.h"
#include "webauthn/ceremony.h"
#include "webauthn_authenticator.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace latchkey::webauthn {
namespace {

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  EXPECT_TRUE(document.IsObject()) << json;
  return document;
}

std::string text(const rapidjson::Value& value, const char* name) {
  EXPECT_TRUE(value.HasMember(name) && value[name].IsString()) << name;
  return value.HasMember(name) && value[name].IsString() ? value[name].GetString() : "";
}

CreationOptions creation(std::vector<CredentialDescriptor> exclude = {}) {
  CreationOptions options;
  options.challenge = jwt::base64url_encode(std::string_view("0123456789abcdef0123456789abcdef"));
  options.rp_id = "localhost";
  options.rp_name = "Latchkey";
  options.user_handle = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  options.user_name = "ada@example.com";
  options.exclude = std::move(exclude);
  return options;
}

TEST(CreationOptionsJson, NamesWhatTheContractAsksFor) {
  const rapidjson::Document json = parse(creation_options_json(creation({{"\x01\x02\x03", {"internal", "hybrid"}}})));
  EXPECT_EQ(text(json, "challenge"), creation().challenge);
  EXPECT_EQ(text(json["rp"], "id"), "localhost");
  EXPECT_EQ(text(json["rp"], "name"), "Latchkey");
  EXPECT_EQ(text(json["user"], "id"), jwt::base64url_encode(std::string_view("0f1e2d3c4b5a69788796a5b4c3d2e1f0")));
  EXPECT_EQ(text(json["user"], "name"), "ada@example.com");
  ASSERT_TRUE(json["pubKeyCredParams"].IsArray());
  std::vector<int> algorithms;
  for (const auto& param : json["pubKeyCredParams"].GetArray()) {
    EXPECT_EQ(text(param, "type"), "public-key");
    algorithms.push_back(param["alg"].GetInt());
  }
  EXPECT_EQ(algorithms, (std::vector<int>{-7, -8, -257}));
  EXPECT_EQ(text(json["authenticatorSelection"], "residentKey"), "required");
  EXPECT_EQ(text(json["authenticatorSelection"], "userVerification"), "required");
  EXPECT_EQ(text(json, "attestation"), "none");
  EXPECT_EQ(json["timeout"].GetInt64(), kCeremonySeconds * 1000);
  ASSERT_EQ(json["excludeCredentials"].Size(), 1u);
  EXPECT_EQ(text(json["excludeCredentials"][0], "id"), "AQID");
  EXPECT_EQ(json["excludeCredentials"][0]["transports"].Size(), 2u);
}

TEST(RequestOptionsJson, IsDiscoverableWithUserVerification) {
  const rapidjson::Document json = parse(request_options_json({"Y2hhbGxlbmdl", "localhost"}));
  EXPECT_EQ(text(json, "challenge"), "Y2hhbGxlbmdl");
  EXPECT_EQ(text(json, "rpId"), "localhost");
  EXPECT_EQ(text(json, "userVerification"), "required");
  EXPECT_FALSE(json.HasMember("allowCredentials"));
}

TEST(CreationOptionsJson, AnAuthenticatorThatReadsThemRegistersAndSignsIn) {
  const CreationOptions options = creation();
  testing::SoftwareAuthenticator authenticator;  // localhost, http://localhost:8080
  const std::string credential = authenticator.register_from_options(creation_options_json(options));
  rapidjson::Document document = parse(credential);
  const auto response = read_registration_response(document);
  ASSERT_TRUE(response);
  const RelyingParty rp{"localhost", {"http://localhost:8080"}};
  const RegistrationResult registered = verify_registration(*response, rp, options.challenge);
  ASSERT_EQ(registered.verdict, Verdict::ok) << registered.reason;

  const std::string challenge = jwt::base64url_encode(std::string_view("a sign-in challenge of 32 bytes!"));
  rapidjson::Document signed_in = parse(authenticator.assert_from_options(request_options_json({challenge, "localhost"})));
  const auto assertion = read_assertion_response(signed_in);
  ASSERT_TRUE(assertion);
  EXPECT_EQ(assertion->user_handle, options.user_handle) << "the userHandle is the user.id the options named";
  const AssertionResult verified =
      verify_assertion(*assertion, rp, challenge, {registered.credential->public_key, registered.credential->sign_count});
  EXPECT_EQ(verified.verdict, Verdict::ok) << verified.reason;
}

TEST(CreationOptionsJson, AnExcludedAuthenticatorRefusesToRegisterAgain) {
  testing::SoftwareAuthenticator authenticator;
  const std::string credential_id = authenticator.credential_id();
  EXPECT_THROW(authenticator.register_from_options(creation_options_json(creation({{credential_id, {}}}))),
               std::runtime_error);
}

}  // namespace
}  // namespace latchkey::webauthn
