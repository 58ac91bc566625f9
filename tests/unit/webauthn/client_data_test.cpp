// clientDataJSON (§5.8.1): the members a ceremony checks, read strictly; challenge_of for the
// service's lookup.
#include "webauthn/client_data.h"

#include "webauthn/ceremony.h"

#include <gtest/gtest.h>

namespace latchkey::webauthn {
namespace {

TEST(ClientData, ReadsWhatChromiumSends) {
  const std::optional<ClientData> data = parse_client_data(
      R"({"type":"webauthn.get","challenge":"Y2g","origin":"http://localhost:8080","crossOrigin":false,)"
      R"("other_keys_can_be_added_here":"do not compare clientDataJSON against a template. See https://goo.gl/yabPex"})");
  ASSERT_TRUE(data);
  EXPECT_EQ(data->type, "webauthn.get");
  EXPECT_EQ(data->challenge, "Y2g");
  EXPECT_EQ(data->origin, "http://localhost:8080");
  EXPECT_FALSE(data->cross_origin);
}

TEST(ClientData, CrossOriginIsOptionalAndRead) {
  EXPECT_FALSE(parse_client_data(R"({"type":"t","challenge":"c","origin":"o"})")->cross_origin);
  EXPECT_TRUE(parse_client_data(R"({"type":"t","challenge":"c","origin":"o","crossOrigin":true})")->cross_origin);
  EXPECT_FALSE(parse_client_data(R"({"type":"t","challenge":"c","origin":"o","crossOrigin":"true"})"));
  EXPECT_FALSE(parse_client_data(R"({"type":"t","challenge":"c","origin":"o","crossOrigin":1})"));
}

TEST(ClientData, TokenBindingIsAllowedButNothingDeep) {
  EXPECT_TRUE(parse_client_data(R"({"type":"t","challenge":"c","origin":"o","tokenBinding":{"status":"supported"}})"));
  EXPECT_FALSE(parse_client_data(R"({"type":"t","challenge":"c","origin":"o","x":[[[[[1]]]]]})"));
}

TEST(ClientData, RefusesMissingOrMistypedMembers) {
  EXPECT_FALSE(parse_client_data(R"({"challenge":"c","origin":"o"})"));
  EXPECT_FALSE(parse_client_data(R"({"type":"t","origin":"o"})"));
  EXPECT_FALSE(parse_client_data(R"({"type":"t","challenge":"c"})"));
  EXPECT_FALSE(parse_client_data(R"({"type":1,"challenge":"c","origin":"o"})"));
  EXPECT_FALSE(parse_client_data(R"({"type":"t","challenge":["c"],"origin":"o"})"));
  EXPECT_FALSE(parse_client_data(R"({"type":"t","challenge":"c","origin":null})"));
}

TEST(ClientData, RefusesWhatIsNotOneStrictObject) {
  EXPECT_FALSE(parse_client_data(""));
  EXPECT_FALSE(parse_client_data("[]"));
  EXPECT_FALSE(parse_client_data(R"("text")"));
  EXPECT_FALSE(parse_client_data(R"({"type":"t","challenge":"c","origin":"o"} {})"));
  EXPECT_FALSE(parse_client_data(R"({"type":"t","challenge":"c","challenge":"d","origin":"o"})"));  // a member twice
  EXPECT_FALSE(parse_client_data(std::string(R"({"type":"t","challenge":"c","origin":"o"})") + '\0'));
  EXPECT_FALSE(parse_client_data("{\"type\":\"t\",\"challenge\":\"c\",\"origin\":\"\xc3\x28\"}"));  // bad UTF-8
}

TEST(ClientData, RefusesOversize) {
  const std::string base = R"({"type":"t","challenge":"c","origin":"o","pad":")";
  const std::string fits = base + std::string(kMaxClientDataBytes - base.size() - 2, 'x') + "\"}";
  ASSERT_EQ(fits.size(), kMaxClientDataBytes);
  EXPECT_TRUE(parse_client_data(fits));
  EXPECT_FALSE(parse_client_data(base + std::string(kMaxClientDataBytes, 'x') + "\"}"));
}

TEST(ChallengeOf, NamesTheChallengeOrNothing) {
  EXPECT_EQ(challenge_of(R"({"type":"webauthn.get","challenge":"Y2hhbGxlbmdl","origin":"o"})"), "Y2hhbGxlbmdl");
  EXPECT_EQ(challenge_of(R"({"challenge":"Y2g"})"), "Y2g");
  EXPECT_EQ(challenge_of(R"({"challenge":7})"), std::nullopt);
  EXPECT_EQ(challenge_of(R"({"type":"webauthn.get"})"), std::nullopt);
  EXPECT_EQ(challenge_of("not json"), std::nullopt);
  EXPECT_EQ(challenge_of(R"({"challenge":"a","challenge":"b"})"), std::nullopt);
}

}  // namespace
}  // namespace latchkey::webauthn
