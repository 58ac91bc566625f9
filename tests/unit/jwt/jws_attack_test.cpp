// verify_jws against header and signature attacks (RFC 8725 §2-3, jwt_tool's playbook):
// alg none and confusion, stripped/flipped signatures, kid injection, crit and key-fetch headers.
#include "jwt/jws.h"

#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/system_rng.h>
#include <botan/x509_key.h>
#include <gtest/gtest.h>

#include "jwt_test_support.h"

namespace latchkey::jwt {
namespace {

using testing::forge;
using testing::must;

constexpr std::string_view kPayload = R"({"sub":"alice"})";

class JwtAttack : public ::testing::Test {
 protected:
  JwtAttack()
      : ed_pem_(*generate_private_key_pem(Algorithm::EdDSA)),
        ec_pem_(*generate_private_key_pem(Algorithm::ES256)),
        hs_(testing::hs256_key("hs")),
        ed_(must(Key::from_private_pem(ed_pem_, "ed"))),
        ec_(must(Key::from_private_pem(ec_pem_, "ec"))),
        keys_(must(KeySet::create(hs_, {ed_, ec_}))) {}

  // verify_jws, and the access-token path agreeing with it (jwt_test_support.h).
  JwsError verify(std::string_view token) const { return testing::verify_both_ways(token, keys_); }

  // A token signed by `key` whose header names `alg` and `kid` freely.
  static std::string signed_with(const Key& key, std::string_view alg, std::string_view kid) {
    const std::string header =
        "{\"alg\":\"" + std::string(alg) + "\",\"kid\":\"" + std::string(kid) + "\"}";
    return forge(header, kPayload, &key);
  }

  std::string ed_pem_, ec_pem_;
  Key hs_, ed_, ec_;
  KeySet keys_;
};

TEST_F(JwtAttack, GenuineTokensOfEveryKeyVerify) {
  for (const Key* key : {&hs_, &ed_, &ec_}) {
    EXPECT_EQ(verify(sign_jws(*key, kPayload)), JwsError::none) << key->kid();
  }
}

TEST_F(JwtAttack, RefusesAlgNoneInAnyCase) {
  for (const char* none : {"none", "None", "NONE", "nOnE"}) {
    const std::string header = std::string("{\"alg\":\"") + none + "\",\"kid\":\"hs\"}";
    EXPECT_EQ(verify(forge(header, kPayload)), JwsError::bad_algorithm) << none;
    EXPECT_EQ(verify(forge(header, kPayload, &hs_)), JwsError::bad_algorithm) << none;
    EXPECT_EQ(verify(forge(std::string("{\"alg\":\"") + none + "\"}", kPayload)),
              JwsError::bad_algorithm) << none;
  }
}

TEST_F(JwtAttack, RefusesAlgorithmsOutsideTheAllowlist) {
  for (const char* alg : {"hs256", "Hs256", "HS384", "HS512", "RS256", "PS256", "ES384",
                          "ES256K", "eddsa", "Ed25519", "HS256 ", " HS256", ""}) {
    EXPECT_EQ(verify(signed_with(hs_, alg, "hs")), JwsError::bad_algorithm) << alg;
  }
}

TEST_F(JwtAttack, RefusesAlgMissingOrNotAString) {
  EXPECT_EQ(verify(forge(R"({"kid":"hs"})", kPayload, &hs_)), JwsError::bad_header);
  for (const char* alg : {"null", "256", "[\"HS256\"]", "{\"HS256\":1}", "true"}) {
    const std::string header = std::string("{\"alg\":") + alg + ",\"kid\":\"hs\"}";
    EXPECT_EQ(verify(forge(header, kPayload, &hs_)), JwsError::bad_header) << alg;
  }
}

TEST_F(JwtAttack, RefusesHs256SignedWithThePublicKeyAsHmacSecret) {
  // The classic confusion: take the server's public key (PEM, raw bytes or JWK x) as HMAC key.
  for (const std::string& secret :
       {testing::public_pem_of(ed_pem_), testing::public_pem_of(ec_pem_), ed_.public_jwk()->x,
        testing::bytes_to_string(*base64url_decode(ed_.public_jwk()->x))}) {
    const Key attacker = must(Key::from_hmac_secret(secret, "attacker"));
    EXPECT_EQ(verify(signed_with(attacker, "HS256", "ed")), JwsError::bad_algorithm);
    EXPECT_EQ(verify(signed_with(attacker, "HS256", "ec")), JwsError::bad_algorithm);
  }
}

TEST_F(JwtAttack, RefusesAnAlgOtherThanTheKeys) {
  EXPECT_EQ(verify(signed_with(ed_, "EdDSA", "ec")), JwsError::bad_algorithm);
  EXPECT_EQ(verify(signed_with(ec_, "ES256", "ed")), JwsError::bad_algorithm);
  EXPECT_EQ(verify(signed_with(ed_, "EdDSA", "hs")), JwsError::bad_algorithm);
  EXPECT_EQ(verify(signed_with(hs_, "HS256", "ed")), JwsError::bad_algorithm);
}

TEST_F(JwtAttack, RefusesAStrippedSignature) {
  for (const Key* key : {&hs_, &ed_, &ec_}) {
    const std::string token = sign_jws(*key, kPayload);
    EXPECT_EQ(verify(token.substr(0, token.rfind('.') + 1)), JwsError::bad_signature);
  }
}

TEST_F(JwtAttack, RefusesTruncatedSignatures) {
  for (const Key* key : {&hs_, &ed_, &ec_}) {
    const std::string token = sign_jws(*key, kPayload);
    const std::size_t dot = token.rfind('.');
    const auto signature = *base64url_decode(token.substr(dot + 1));
    for (const std::size_t length : {signature.size() - 1, signature.size() / 2, std::size_t{1}}) {
      const std::vector<std::uint8_t> cut(signature.begin(), signature.begin() + length);
      EXPECT_EQ(verify(token.substr(0, dot + 1) + base64url_encode(cut)), JwsError::bad_signature);
    }
    const std::string chars_cut = token.substr(0, token.size() - 4);
    EXPECT_NE(verify(chars_cut), JwsError::none);
  }
}

TEST_F(JwtAttack, RefusesEveryBitFlipOfTheSignature) {
  for (const Key* key : {&hs_, &ed_, &ec_}) {
    const std::string token = sign_jws(*key, kPayload);
    const std::size_t dot = token.rfind('.');
    const auto signature = *base64url_decode(token.substr(dot + 1));
    for (std::size_t bit = 0; bit < signature.size() * 8; ++bit) {
      auto flipped = signature;
      flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
      ASSERT_EQ(verify(token.substr(0, dot + 1) + base64url_encode(flipped)),
                JwsError::bad_signature) << key->kid() << " bit " << bit;
    }
  }
}

TEST_F(JwtAttack, RefusesADerEncodedEs256Signature) {
  Botan::DataSource_Memory source(ec_pem_);
  const auto botan_key = Botan::PKCS8::load_key(source);
  const std::string input = base64url_encode(std::string_view(R"({"alg":"ES256","kid":"ec"})")) +
                            "." + base64url_encode(kPayload);
  Botan::PK_Signer der_signer(*botan_key, Botan::system_rng(), "EMSA1(SHA-256)",
                              Botan::DER_SEQUENCE);
  const auto der = der_signer.sign_message(
      reinterpret_cast<const std::uint8_t*>(input.data()), input.size(), Botan::system_rng());
  ASSERT_EQ(der[0], 0x30);
  EXPECT_EQ(verify(input + "." + base64url_encode(der)), JwsError::bad_signature);
}

TEST_F(JwtAttack, ChecksTheSignatureBeforeReadingThePayload) {
  // An unsigned, malformed payload is a bad signature, not a JSON error: it was never parsed.
  EXPECT_EQ(verify(forge(R"({"alg":"HS256","kid":"hs"})", "not json")), JwsError::bad_signature);
  EXPECT_EQ(verify(forge(R"({"alg":"HS256","kid":"hs"})", "not json", &hs_)), JwsError::bad_json);
}

TEST_F(JwtAttack, KidInjectionStringsAreJustUnknownKeys) {
  for (const std::string& kid : testing::read_lines("kid_injection.txt")) {
    EXPECT_EQ(verify(forge("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}", kPayload, &hs_)),
              JwsError::unknown_key) << kid;
  }
  EXPECT_EQ(verify(forge(R"({"alg":"HS256","kid":"hs\u0000"})", kPayload, &hs_)),
            JwsError::unknown_key);
  EXPECT_EQ(verify(forge(R"({"alg":"HS256","kid":"HS"})", kPayload, &hs_)), JwsError::unknown_key);
}

TEST_F(JwtAttack, RefusesUnknownMissingOrMistypedKid) {
  EXPECT_EQ(verify(signed_with(hs_, "HS256", "nope")), JwsError::unknown_key);
  EXPECT_EQ(verify(forge(R"({"alg":"HS256"})", kPayload, &hs_)), JwsError::bad_header);
  for (const char* kid : {"\"\"", "null", "1", "[\"hs\"]", "{}"}) {
    const std::string header = std::string("{\"alg\":\"HS256\",\"kid\":") + kid + "}";
    EXPECT_EQ(verify(forge(header, kPayload, &hs_)), JwsError::bad_header) << kid;
  }
}

TEST_F(JwtAttack, RefusesCritEvenWhenSigned) {
  for (const char* crit : {R"("crit":["exp"],"exp":1)", R"("crit":["b64"],"b64":false)",
                           R"("crit":[])", R"("crit":"x")"}) {
    const std::string header = std::string(R"({"alg":"HS256","kid":"hs",)") + crit + "}";
    EXPECT_EQ(verify(forge(header, kPayload, &hs_)), JwsError::unsupported_header) << crit;
  }
}

TEST_F(JwtAttack, RefusesKeyFetchingEmbeddedKeyAndZipHeaders) {
  const std::string jwk = R"({"kty":"oct","k":"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE"})";
  for (const std::string& member :
       {std::string(R"("jku":"https://attacker.example/jwks.json")"),
        std::string(R"("x5u":"https://attacker.example/cert.pem")"), R"("jwk":)" + jwk,
        std::string(R"("x5c":["MIIB"])"), std::string(R"("zip":"DEF")")}) {
    const std::string header = R"({"alg":"HS256","kid":"hs",)" + member + "}";
    EXPECT_EQ(verify(forge(header, kPayload, &hs_)), JwsError::unsupported_header) << member;
  }
}

TEST_F(JwtAttack, RefusesATypThatIsNotAString) {
  EXPECT_EQ(verify(forge(R"({"alg":"HS256","kid":"hs","typ":1})", kPayload, &hs_)),
            JwsError::bad_header);
}

}  // namespace
}  // namespace latchkey::jwt
