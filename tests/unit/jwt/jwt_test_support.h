// Shared by the jwt unit tests: test data files, fixed keys, and a forger for hostile tokens.
#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <ostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <botan/x509_key.h>
#include <gtest/gtest.h>

#include "jwt/access_token.h"
#include "jwt/base64url.h"
#include "jwt/jws.h"
#include "jwt/key.h"
#include "jwt/key_set.h"

namespace latchkey::jwt {
// Test names and failure messages show "ES256", not "4-byte object <02-00 00-00>".
inline void PrintTo(Algorithm algorithm, std::ostream* out) { *out << algorithm_name(algorithm); }
}  // namespace latchkey::jwt

namespace latchkey::jwt::testing {

inline std::string data_path(std::string_view name) {
  return std::string(LATCHKEY_TEST_DATA_DIR) + "/jwt/" + std::string(name);
}

// The non-empty, non-comment lines of a data file.
inline std::vector<std::string> read_lines(std::string_view name) {
  std::ifstream in(data_path(name));
  EXPECT_TRUE(in) << "missing test data " << name;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

// A Botan-style .vec file: `name = value` lines.
inline std::map<std::string, std::string> read_vec(std::string_view name) {
  std::map<std::string, std::string> values;
  for (const std::string& line : read_lines(name)) {
    const auto eq = line.find(" = ");
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 3);
  }
  return values;
}

inline std::string bytes_to_string(const std::vector<std::uint8_t>& bytes) {
  return {bytes.begin(), bytes.end()};
}

inline constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";  // 32 bytes

inline Key must(KeyResult result) {
  if (!result.key) ADD_FAILURE() << result.error;
  return std::move(result.key.value());
}

inline KeySet must(KeySetResult result) {
  if (!result.key_set) ADD_FAILURE() << result.error;
  return std::move(result.key_set.value());
}

inline Key hs256_key(std::string kid = "k1") { return must(Key::from_hmac_secret(kSecret, kid)); }

inline Key generated_key(Algorithm algorithm, std::string kid) {
  return must(Key::from_private_pem(*generate_private_key_pem(algorithm), std::move(kid)));
}

// A compact token with any header and payload text, signed by `key` when given, else with an
// empty signature: what an attacker can build.
inline std::string forge(std::string_view header_json, std::string_view payload_json,
                         const Key* key = nullptr) {
  std::string token = base64url_encode(header_json) + "." + base64url_encode(payload_json);
  const std::string signature = key ? base64url_encode(key->sign(token)) : "";
  return token + "." + signature;
}

// The JWS error verify_access_token reports for `token` (none once past the JWS layer). Its
// path (verify_jws_payload: no documents, remembered headers) must agree with verify_jws on every
// token; the form and attack tests check that through this, twice per token, the second time
// with whatever header the first remembered.
inline JwsError access_path_jws_error(std::string_view token, const KeySet& keys) {
  AccessTokenCheck check;
  check.now = std::chrono::sys_seconds(std::chrono::seconds(1'700'000'000));
  return verify_access_token(token, keys, check).jws_error;
}

// verify_jws's error, after checking that the access-token path agrees (above).
inline JwsError verify_both_ways(std::string_view token, const KeySet& keys) {
  const JwsError error = verify_jws(token, keys).error;
  EXPECT_EQ(access_path_jws_error(token, keys), error) << "access-token path, first time: " << token;
  EXPECT_EQ(access_path_jws_error(token, keys), error) << "access-token path, again: " << token;
  return error;
}

// The SubjectPublicKeyInfo PEM of a PKCS#8 private key PEM.
inline std::string public_pem_of(const std::string& private_pem) {
  Botan::DataSource_Memory source(private_pem);
  return Botan::X509::PEM_encode(*Botan::PKCS8::load_key(source));
}

inline std::chrono::sys_seconds at(std::int64_t seconds) {
  return std::chrono::sys_seconds(std::chrono::seconds(seconds));
}

}  // namespace latchkey::jwt::testing
