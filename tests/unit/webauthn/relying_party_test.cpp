// The relying party a ceremony is checked against: the config's values, else the request's origin.
#include "webauthn/relying_party.h"

#include <gtest/gtest.h>

namespace latchkey::webauthn {
namespace {

TEST(HostOfOrigin, IsTheLowerCaseHostWithoutPortOrPath) {
  EXPECT_EQ(host_of_origin("http://localhost:8080"), "localhost");
  EXPECT_EQ(host_of_origin("https://Example.COM"), "example.com");
  EXPECT_EQ(host_of_origin("https://app.example.com/path?q#f"), "app.example.com");
  EXPECT_EQ(host_of_origin("http://127.0.0.1:8080"), "127.0.0.1");
  EXPECT_EQ(host_of_origin("http://[::1]:80"), "[::1]");
}

TEST(HostOfOrigin, IsEmptyForWhatIsNoOrigin) {
  EXPECT_EQ(host_of_origin(""), "");
  EXPECT_EQ(host_of_origin("localhost:8080"), "");
  EXPECT_EQ(host_of_origin("http://"), "");
}

TEST(RelyingPartyFor, FollowsTheRequestWithoutConfig) {
  const config::WebAuthnConfig unset;
  const RelyingPartySite site = relying_party_for(unset, "https://app.example.com");
  EXPECT_EQ(site.rp.id, "app.example.com");
  EXPECT_EQ(site.rp.origins, std::vector<std::string>{"https://app.example.com"});
  EXPECT_EQ(site.name, "Latchkey");
}

TEST(RelyingPartyFor, TakesTheConfigsValuesOverTheRequests) {
  config::WebAuthnConfig config;
  config.rp_id = "example.com";
  config.rp_name = "Example";
  config.origins = {"https://example.com", "https://login.example.com"};
  const RelyingPartySite site = relying_party_for(config, "http://127.0.0.1:8080");
  EXPECT_EQ(site.rp.id, "example.com");
  EXPECT_EQ(site.rp.origins, config.origins);
  EXPECT_EQ(site.name, "Example");
}

TEST(RelyingPartyFor, AnRpIdAloneStillTakesTheRequestsOrigin) {
  config::WebAuthnConfig config;
  config.rp_id = "example.com";
  const RelyingPartySite site = relying_party_for(config, "https://www.example.com");
  EXPECT_EQ(site.rp.id, "example.com");
  EXPECT_EQ(site.rp.origins, std::vector<std::string>{"https://www.example.com"});
}

}  // namespace
}  // namespace latchkey::webauthn
