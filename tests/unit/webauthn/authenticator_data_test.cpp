// Authenticator data (§6.1): the fixed part, attested credential data, extensions, and refusal of
// anything short, oversize or trailing.
#include "webauthn/authenticator_data.h"

#include "webauthn_authenticator.h"

#include <gtest/gtest.h>

namespace latchkey::webauthn {
namespace {

using namespace testing;  // NOLINT: the encoders

const std::string kHash = sha256("localhost");

TEST(AuthenticatorData, ReadsTheFixedPart) {
  const std::string data = encode_authenticator_data(kHash, kFlagUp | kFlagUv, 0x01020304);
  ASSERT_EQ(data.size(), 37u);
  const std::optional<AuthenticatorData> parsed = parse_authenticator_data(data);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->rp_id_hash, kHash);
  EXPECT_EQ(parsed->sign_count, 0x01020304u);
  EXPECT_TRUE(parsed->user_present());
  EXPECT_TRUE(parsed->user_verified());
  EXPECT_FALSE(parsed->attested);
  EXPECT_FALSE(parsed->extensions);
  EXPECT_FALSE(parse_authenticator_data(encode_authenticator_data(kHash, 0, 0))->user_present());
}

TEST(AuthenticatorData, ReadsAttestedCredentialDataAndExtensions) {
  const SoftwareAuthenticator authenticator;
  const std::string aaguid = "0123456789abcdef";
  const std::string extensions = std::string("\xa1\x6b") + "credProtect" + "\x02";
  const std::optional<AuthenticatorData> parsed = parse_authenticator_data(encode_authenticator_data(
      kHash, kFlagUp | kFlagUv | kFlagAt | kFlagEd, 9,
      AttestedData{aaguid, authenticator.credential_id(), authenticator.cose_public_key()}, extensions));
  ASSERT_TRUE(parsed);
  ASSERT_TRUE(parsed->attested);
  EXPECT_EQ(parsed->attested->aaguid, aaguid);
  EXPECT_EQ(parsed->attested->credential_id, authenticator.credential_id());
  EXPECT_EQ(parsed->attested->public_key, authenticator.cose_public_key());
  EXPECT_EQ(parsed->extensions, extensions);
  EXPECT_EQ(parsed->sign_count, 9u);
}

TEST(AuthenticatorData, RefusesShortOrOversize) {
  const std::string data = encode_authenticator_data(kHash, kFlagUp, 0);
  EXPECT_FALSE(parse_authenticator_data(""));
  EXPECT_FALSE(parse_authenticator_data(data.substr(0, 36)));
  EXPECT_FALSE(parse_authenticator_data(std::string(kMaxAuthenticatorDataBytes + 1, '\0')));
}

TEST(AuthenticatorData, RefusesTrailingBytes) {
  const std::string data = encode_authenticator_data(kHash, kFlagUp, 0);
  EXPECT_FALSE(parse_authenticator_data(data + '\0'));
  EXPECT_FALSE(parse_authenticator_data(data + "\xa0"));  // extensions without ED
  const SoftwareAuthenticator authenticator;
  const std::string attested = encode_authenticator_data(
      kHash, kFlagAt, 0, AttestedData{std::string(16, '\0'), authenticator.credential_id(), authenticator.cose_public_key()});
  ASSERT_TRUE(parse_authenticator_data(attested));
  EXPECT_FALSE(parse_authenticator_data(attested + '\x01'));
}

TEST(AuthenticatorData, RefusesBadAttestedCredentialData) {
  const SoftwareAuthenticator authenticator;
  const std::string key = authenticator.cose_public_key();
  auto with = [&](const std::string& id, const std::string& cose) {
    return parse_authenticator_data(
        encode_authenticator_data(kHash, kFlagAt, 0, AttestedData{std::string(16, '\0'), id, cose}));
  };
  EXPECT_TRUE(with("id", key));
  EXPECT_TRUE(with(std::string(kMaxCredentialIdBytes, 'i'), key));
  EXPECT_FALSE(with("", key));
  EXPECT_FALSE(with(std::string(kMaxCredentialIdBytes + 1, 'i'), key));
  EXPECT_FALSE(with("id", ""));                    // no key
  EXPECT_FALSE(with("id", "\x83\x01\x02\x03"));    // a key that is not a map
  EXPECT_FALSE(with("id", key.substr(0, key.size() - 1)));
  // AT set, but the data stops inside the AAGUID, the length or the id.
  const std::string fixed = encode_authenticator_data(kHash, kFlagAt, 0);
  EXPECT_FALSE(parse_authenticator_data(fixed));
  EXPECT_FALSE(parse_authenticator_data(fixed + std::string(17, '\0')));
  EXPECT_FALSE(parse_authenticator_data(fixed + std::string(16, '\0') + std::string("\x00\x05", 2) + "abcd"));
}

TEST(AuthenticatorData, RefusesExtensionsFlaggedButMissingOrNotAMap) {
  EXPECT_FALSE(parse_authenticator_data(encode_authenticator_data(kHash, kFlagEd, 0)));
  EXPECT_FALSE(parse_authenticator_data(encode_authenticator_data(kHash, kFlagEd, 0, std::nullopt, "\x80")));
  EXPECT_TRUE(parse_authenticator_data(encode_authenticator_data(kHash, kFlagEd, 0, std::nullopt, "\xa0")));
}

}  // namespace
}  // namespace latchkey::webauthn
