// Micro-benchmarks of what every request or login pays inside the auth plugin (docs/BENCHMARKS.md):
// access-token signing and verification (HS256, EdDSA, ES256) through our own sign_access_token /
// verify_access_token, base64url, claims parsing, Argon2id with the default parameters, and, as
// the peer anchor in the same binary, HS256 / ES256 verification of equivalent tokens by Debian's
// libjwt (OpenSSL). The Botan_* cases take Key::verify apart to show where its time goes.
//
// Run: build-bench/tests/bench/latchkey_micro_bench   (script/bench runs it for you)
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <botan/base64.h>
#include <botan/data_src.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/mac.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/x509_key.h>

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <functional>
#include <mutex>
#include <unordered_map>

#include "jwt/access_token.h"
#include "jwt/base64url.h"
#include "jwt/json_strict.h"
#include "jwt/jws.h"
#include "jwt/key.h"
#include "jwt/key_set.h"
#include "jwt/verified_token_cache.h"
#include "keys/live_keys.h"
#include "password/hasher.h"

namespace {

using namespace latchkey;

constexpr std::string_view kSecret = "benchmark-secret-0123456789-abcdefghijklmnop";
const std::chrono::sys_seconds kNow{std::chrono::seconds(1'760'000'000)};

// A subject shaped like a real one: ids are 32 hex characters (store::new_id), one role.
jwt::AccessTokenSubject subject() {
  return {"3f2a9c4e8b1d47a6a0e5c7d9b2f4e6a8", "alice.benchmark@example.com", {"user"},
          "9b8e7d6c5a4b3c2d1e0f9a8b7c6d5e4f"};
}

jwt::AccessTokenSettings settings() { return {"latchkey", "latchkey", std::chrono::seconds(900)}; }

jwt::AccessTokenCheck check() {
  jwt::AccessTokenCheck c;
  c.issuer = "latchkey";
  c.audience = "latchkey";
  c.now = kNow;
  return c;
}

struct Fixture {
  jwt::Algorithm algorithm;
  std::string private_pem;  // empty for HS256
  jwt::KeySet keys;
  std::string token;        // typ at+jwt, what Latchkey issues
};

jwt::Key must(jwt::KeyResult result) {
  if (!result.key) throw std::runtime_error("key: " + result.error);
  return std::move(*result.key);
}

Fixture make_fixture(jwt::Algorithm algorithm) {
  std::string pem;
  std::optional<jwt::Key> key;
  if (algorithm == jwt::Algorithm::HS256) {
    key = must(jwt::Key::from_hmac_secret(kSecret));
  } else {
    pem = *jwt::generate_private_key_pem(algorithm);
    key = must(jwt::Key::from_private_pem(pem));
  }
  auto set = jwt::KeySet::create(std::move(*key));
  if (!set.key_set) throw std::runtime_error("key set: " + set.error);
  Fixture f{algorithm, pem, std::move(*set.key_set), {}};
  f.token = jwt::sign_access_token(f.keys, subject(), settings(), kNow).token;
  return f;
}

const Fixture& fixture(jwt::Algorithm algorithm) {
  static const Fixture hs = make_fixture(jwt::Algorithm::HS256);
  static const Fixture ed = make_fixture(jwt::Algorithm::EdDSA);
  static const Fixture es = make_fixture(jwt::Algorithm::ES256);
  switch (algorithm) {
    case jwt::Algorithm::HS256: return hs;
    case jwt::Algorithm::EdDSA: return ed;
    case jwt::Algorithm::ES256: return es;
  }
  return hs;
}

// The claims JSON of the fixture's token (what parse_json_object sees on every verification).
std::string claims_json(const Fixture& f) {
  const auto first = f.token.find('.');
  const auto second = f.token.find('.', first + 1);
  const auto bytes = jwt::base64url_decode(std::string_view(f.token).substr(first + 1, second - first - 1));
  return std::string(bytes->begin(), bytes->end());
}

// ---- our JWT ------------------------------------------------------------------------------------

void BM_Sign(benchmark::State& state, jwt::Algorithm algorithm) {
  const Fixture& f = fixture(algorithm);
  const auto who = subject();
  const auto how = settings();
  for (auto _ : state) {
    auto issued = jwt::sign_access_token(f.keys, who, how, kNow);
    benchmark::DoNotOptimize(issued.token.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(f.token.size()) + "-byte token");
}

void BM_Verify(benchmark::State& state, jwt::Algorithm algorithm) {
  const Fixture& f = fixture(algorithm);
  const auto c = check();
  for (auto _ : state) {
    auto verified = jwt::verify_access_token(f.token, f.keys, c);
    if (verified.error != jwt::AccessTokenError::none) {
      state.SkipWithError("token did not verify");
      break;
    }
    benchmark::DoNotOptimize(verified.claims.sub.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(f.token.size()) + "-byte token");
}

BENCHMARK_CAPTURE(BM_Sign, HS256, jwt::Algorithm::HS256);
BENCHMARK_CAPTURE(BM_Sign, EdDSA, jwt::Algorithm::EdDSA);
BENCHMARK_CAPTURE(BM_Sign, ES256, jwt::Algorithm::ES256);
BENCHMARK_CAPTURE(BM_Verify, HS256, jwt::Algorithm::HS256);
BENCHMARK_CAPTURE(BM_Verify, EdDSA, jwt::Algorithm::EdDSA);
BENCHMARK_CAPTURE(BM_Verify, ES256, jwt::Algorithm::ES256);

// ---- the peer anchor: libjwt 1.x (OpenSSL) ------------------------------------------------------
// libjwt refuses a `typ` other than "JWT", so it verifies a token with the same claims, kid and
// signature algorithm signed with typ "JWT" (3 bytes shorter in the header). jwt_decode checks the
// signature and parses header and claims into jansson objects; it checks no claim, so our side is
// also timed at the JWS layer (Jws_Verify: signature + strict header/payload parsing, no claims).

std::string jwt_typ_token(const Fixture& f) {
  return jwt::sign_jws(*f.keys.signing_key(), claims_json(f), "JWT");
}

std::string public_pem(const Fixture& f) {
  Botan::DataSource_Memory source(f.private_pem);
  std::unique_ptr<Botan::Private_Key> key = Botan::PKCS8::load_key(source);
  return Botan::X509::PEM_encode(*key);
}

void BM_Libjwt_Verify(benchmark::State& state, jwt::Algorithm algorithm) {
  const Fixture& f = fixture(algorithm);
  const std::string token = jwt_typ_token(f);
  const std::string key = algorithm == jwt::Algorithm::HS256 ? std::string(kSecret) : public_pem(f);
  const auto* key_bytes = reinterpret_cast<const unsigned char*>(key.data());
  for (auto _ : state) {
    jwt_t* decoded = nullptr;
    const int rc = jwt_decode(&decoded, token.c_str(), key_bytes, static_cast<int>(key.size()));
    if (rc != 0 || decoded == nullptr) {
      state.SkipWithError(("libjwt jwt_decode failed: " + std::string(std::strerror(rc))).c_str());
      break;
    }
    benchmark::DoNotOptimize(jwt_get_grant(decoded, "sub"));
    jwt_free(decoded);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(token.size()) + "-byte token");
}

void BM_Jws_Verify(benchmark::State& state, jwt::Algorithm algorithm) {
  const Fixture& f = fixture(algorithm);
  const std::string token = jwt_typ_token(f);
  for (auto _ : state) {
    auto verified = jwt::verify_jws(token, f.keys);
    if (verified.error != jwt::JwsError::none) {
      state.SkipWithError("jws did not verify");
      break;
    }
    benchmark::DoNotOptimize(verified.payload_json.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(token.size()) + "-byte token");
}

BENCHMARK_CAPTURE(BM_Libjwt_Verify, HS256, jwt::Algorithm::HS256);
BENCHMARK_CAPTURE(BM_Libjwt_Verify, ES256, jwt::Algorithm::ES256);
BENCHMARK_CAPTURE(BM_Jws_Verify, HS256, jwt::Algorithm::HS256);
BENCHMARK_CAPTURE(BM_Jws_Verify, ES256, jwt::Algorithm::ES256);

// Ours and libjwt alternating inside one loop, each timed by this thread's CPU clock: on a shared
// machine whose load drifts, this ratio is steadier than two benchmarks run at different moments.
// The label carries "speed=<libjwt CPU time / our CPU time>" (>= 1: ours is at least as fast).
double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

void BM_VerifyVsLibjwt(benchmark::State& state, jwt::Algorithm algorithm) {
  const Fixture& f = fixture(algorithm);
  const std::string libjwt_token = jwt_typ_token(f);
  const std::string key = algorithm == jwt::Algorithm::HS256 ? std::string(kSecret) : public_pem(f);
  const auto* key_bytes = reinterpret_cast<const unsigned char*>(key.data());
  const auto c = check();
  double ours = 0, theirs = 0;
  for (auto _ : state) {
    const double t0 = thread_cpu_ns();
    auto verified = jwt::verify_access_token(f.token, f.keys, c);
    const double t1 = thread_cpu_ns();
    jwt_t* decoded = nullptr;
    const int rc = jwt_decode(&decoded, libjwt_token.c_str(), key_bytes, static_cast<int>(key.size()));
    if (decoded) jwt_free(decoded);
    const double t2 = thread_cpu_ns();
    if (verified.error != jwt::AccessTokenError::none || rc != 0) {
      state.SkipWithError("a verification failed");
      break;
    }
    ours += t1 - t0;
    theirs += t2 - t1;
  }
  const double n = static_cast<double>(state.iterations());
  char label[128];
  std::snprintf(label, sizeof label, "speed=%.3f ours=%.1fus libjwt=%.1fus", ours > 0 ? theirs / ours : 0.0,
                ours / n / 1000, theirs / n / 1000);
  state.SetLabel(label);
}
BENCHMARK_CAPTURE(BM_VerifyVsLibjwt, HS256, jwt::Algorithm::HS256);
BENCHMARK_CAPTURE(BM_VerifyVsLibjwt, ES256, jwt::Algorithm::ES256);

// ---- where Key::verify's time goes (Botan, directly) ----------------------------------------------
// Key::verify builds its primitive on every call: HMAC via MessageAuthenticationCode::create +
// set_key, PK_Verifier for EdDSA/ES256. These cases time the same operation with the object built
// once (what a cached verifier would pay) and the construction alone.

std::string signing_input(const Fixture& f) { return f.token.substr(0, f.token.rfind('.')); }
std::vector<std::uint8_t> signature_of(const Fixture& f) {
  return *jwt::base64url_decode(std::string_view(f.token).substr(f.token.rfind('.') + 1));
}

void BM_Botan_Hmac(benchmark::State& state, bool reuse) {
  const Fixture& f = fixture(jwt::Algorithm::HS256);
  const std::string input = signing_input(f);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(input.data());
  const auto* secret = reinterpret_cast<const std::uint8_t*>(kSecret.data());
  auto kept = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
  kept->set_key(secret, kSecret.size());
  for (auto _ : state) {
    if (reuse) {
      kept->update(bytes, input.size());
      benchmark::DoNotOptimize(kept->final());
    } else {
      auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
      mac->set_key(secret, kSecret.size());
      mac->update(bytes, input.size());
      benchmark::DoNotOptimize(mac->final());
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Botan_Hmac, create_per_call, false);
BENCHMARK_CAPTURE(BM_Botan_Hmac, reused, true);

std::unique_ptr<Botan::Public_Key> public_key_of(const Fixture& f) {
  Botan::DataSource_Memory source(f.private_pem);
  std::unique_ptr<Botan::Private_Key> key = Botan::PKCS8::load_key(source);
  Botan::DataSource_Memory pub(Botan::X509::BER_encode(*key));
  return std::unique_ptr<Botan::Public_Key>(Botan::X509::load_key(pub));
}

const char* padding(jwt::Algorithm algorithm) {
  return algorithm == jwt::Algorithm::ES256 ? "EMSA1(SHA-256)" : "Pure";
}

// mode 0: PK_Verifier built per call (what Key::verify does); 1: built once; 2: construction only.
void BM_Botan_PkVerify(benchmark::State& state, jwt::Algorithm algorithm, int mode) {
  const Fixture& f = fixture(algorithm);
  const auto key = public_key_of(f);
  const std::string input = signing_input(f);
  const auto sig = signature_of(f);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(input.data());
  Botan::PK_Verifier kept(*key, padding(algorithm), Botan::IEEE_1363);
  for (auto _ : state) {
    if (mode == 2) {
      Botan::PK_Verifier verifier(*key, padding(algorithm), Botan::IEEE_1363);
      benchmark::DoNotOptimize(&verifier);
      continue;
    }
    bool ok;
    if (mode == 1) {
      ok = kept.verify_message(bytes, input.size(), sig.data(), sig.size());
    } else {
      Botan::PK_Verifier verifier(*key, padding(algorithm), Botan::IEEE_1363);
      ok = verifier.verify_message(bytes, input.size(), sig.data(), sig.size());
    }
    if (!ok) {
      state.SkipWithError("signature did not verify");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Botan_PkVerify, EdDSA_verifier_per_call, jwt::Algorithm::EdDSA, 0);
BENCHMARK_CAPTURE(BM_Botan_PkVerify, EdDSA_verifier_reused, jwt::Algorithm::EdDSA, 1);
BENCHMARK_CAPTURE(BM_Botan_PkVerify, EdDSA_verifier_construct_only, jwt::Algorithm::EdDSA, 2);
BENCHMARK_CAPTURE(BM_Botan_PkVerify, ES256_verifier_per_call, jwt::Algorithm::ES256, 0);
BENCHMARK_CAPTURE(BM_Botan_PkVerify, ES256_verifier_reused, jwt::Algorithm::ES256, 1);
BENCHMARK_CAPTURE(BM_Botan_PkVerify, ES256_verifier_construct_only, jwt::Algorithm::ES256, 2);

// ---- Ed25519 in OpenSSL (what libjwt 1.x lacks, but OpenSSL 3 has): how fast EdDSA could be --------

void BM_OpenSSL_Ed25519_Verify(benchmark::State& state) {
  const Fixture& f = fixture(jwt::Algorithm::EdDSA);
  const std::string pem = public_pem(f);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  const std::string input = signing_input(f);
  const auto sig = signature_of(f);
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = key && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx, sig.data(), sig.size(),
                                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
      state.SkipWithError("OpenSSL Ed25519 verify failed");
      break;
    }
  }
  EVP_PKEY_free(key);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OpenSSL_Ed25519_Verify);

// ---- a verified-token cache (a prototype, not product code) -------------------------------------
// What a hit would cost if verify_access_token kept the claims of tokens it verified, keyed by the
// exact token bytes, under one mutex, until min(exp, a short TTL): the lookup, the exp check and a
// copy of the claims the filter hands on (the filter copies them into the principal anyway).
struct CachedClaims {
  jwt::AccessTokenClaims claims;
  std::string claims_json;
};

void BM_VerifiedTokenCache_Hit(benchmark::State& state) {
  const Fixture& f = fixture(jwt::Algorithm::EdDSA);
  std::mutex mutex;
  std::unordered_map<std::string, CachedClaims> cache;
  const auto first = jwt::verify_access_token(f.token, f.keys, check());
  cache.emplace(f.token, CachedClaims{first.claims, first.claims_json});
  for (int i = 0; i < 10000; ++i) cache.emplace(f.token + std::to_string(i), CachedClaims{});  // a full-ish map
  const std::int64_t now = kNow.time_since_epoch().count();
  for (auto _ : state) {
    jwt::VerifiedAccessToken result;
    {
      std::lock_guard lock(mutex);
      const auto it = cache.find(f.token);
      if (it == cache.end() || it->second.claims.exp < now) {
        state.SkipWithError("miss");
        break;
      }
      result.claims = it->second.claims;
      result.claims_json = it->second.claims_json;
    }
    benchmark::DoNotOptimize(result.claims.sub.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifiedTokenCache_Hit);

// ---- base64url and claims parsing ---------------------------------------------------------------

void BM_Base64urlEncode(benchmark::State& state) {
  const std::string claims = claims_json(fixture(jwt::Algorithm::HS256));
  for (auto _ : state) {
    auto text = jwt::base64url_encode(claims);
    benchmark::DoNotOptimize(text.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(claims.size()));
}
BENCHMARK(BM_Base64urlEncode);

void BM_Base64urlDecode(benchmark::State& state) {
  const std::string text = jwt::base64url_encode(claims_json(fixture(jwt::Algorithm::HS256)));
  for (auto _ : state) {
    auto bytes = jwt::base64url_decode(text);
    benchmark::DoNotOptimize(bytes->data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_Base64urlDecode);

// What the decoding above costs inside Botan alone (its constant-time base64, on the standard
// alphabet), and, as an anchor, a table-driven decoder (OpenSSL's EVP_DecodeBlock) on the same
// text: the payload's base64url is the largest cost of an HS256 verification after issue 16.
std::string standard_base64(const std::string& url) {
  std::string text = url;
  for (char& c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
  return text;
}

void BM_Botan_Base64Decode(benchmark::State& state) {
  const std::string text = standard_base64(jwt::base64url_encode(claims_json(fixture(jwt::Algorithm::HS256))));
  std::vector<std::uint8_t> out(text.size());
  for (auto _ : state) {
    std::size_t consumed = 0;
    benchmark::DoNotOptimize(Botan::base64_decode(out.data(), text.data(), text.size(), consumed, true, false));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_Botan_Base64Decode);

void BM_OpenSSL_Base64Decode(benchmark::State& state) {
  std::string text = standard_base64(jwt::base64url_encode(claims_json(fixture(jwt::Algorithm::HS256))));
  while (text.size() % 4 != 0) text += '=';
  std::vector<unsigned char> out(text.size());
  for (auto _ : state) {
    benchmark::DoNotOptimize(EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                             static_cast<int>(text.size())));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_OpenSSL_Base64Decode);

void BM_ParseClaims(benchmark::State& state) {
  const std::string claims = claims_json(fixture(jwt::Algorithm::HS256));
  for (auto _ : state) {
    auto document = jwt::parse_json_object(claims, 8);
    if (!document) {
      state.SkipWithError("claims did not parse");
      break;
    }
    benchmark::DoNotOptimize(&*document);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(claims.size()) + "-byte claims");
}
BENCHMARK(BM_ParseClaims);

// ---- Argon2id with the default parameters (19 MiB, t=2, p=1) -------------------------------------

const password::Hasher& hasher() {
  static const password::Hasher instance{password::Parameters{}, 1};
  return instance;
}

void BM_Argon2id_Hash(benchmark::State& state) {
  const auto& h = hasher();
  for (auto _ : state) benchmark::DoNotOptimize(h.hash("correct horse battery staple").data());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Argon2id_Hash)->Unit(benchmark::kMillisecond)->MinTime(1.0);

// What a login pays: verifying a password against its stored hash.
void BM_Argon2id_Verify(benchmark::State& state) {
  const auto& h = hasher();
  const std::string stored = h.hash("correct horse battery staple");
  for (auto _ : state) {
    if (!h.verify("correct horse battery staple", stored)) {
      state.SkipWithError("password did not verify");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Argon2id_Verify)->Unit(benchmark::kMillisecond)->MinTime(1.0);

// ---- the hot path with swappable keys (tokens.keys "database") -----------------------------------

// A cached token through the real VerifiedTokenCache, with the key set held directly (as before
// keys could be reloaded) and read from LiveKeys (one atomic shared_ptr load per request): the
// difference is what swappable keys cost every request. Run with 1 and 2 threads for contention.
void BM_VerifiedTokenCache_Verify_FixedKeys(benchmark::State& state) {
  const Fixture& f = fixture(jwt::Algorithm::EdDSA);
  static jwt::VerifiedTokenCache cache;
  for (auto _ : state) {
    const auto result = cache.verify(f.token, f.keys, check());
    benchmark::DoNotOptimize(result.claims.sub.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifiedTokenCache_Verify_FixedKeys)->Threads(1)->Threads(2);

void BM_VerifiedTokenCache_Verify_LiveKeys(benchmark::State& state) {
  const Fixture& f = fixture(jwt::Algorithm::EdDSA);
  static jwt::VerifiedTokenCache cache;
  static const keys::LiveKeys live(keys::make_snapshot(f.keys));
  for (auto _ : state) {
    const std::shared_ptr<const keys::KeySnapshot> snapshot = live.current();
    const auto result = cache.verify(f.token, snapshot->keys, check());
    benchmark::DoNotOptimize(result.claims.sub.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifiedTokenCache_Verify_LiveKeys)->Threads(1)->Threads(2);

}  // namespace

BENCHMARK_MAIN();
