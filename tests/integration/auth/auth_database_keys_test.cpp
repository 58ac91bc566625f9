// Signing keys in the database (CONTRACT §9, tokens.keys "database"): real hosts on one database
// and the real CLI rotating keys under them. Two hosts on PostgreSQL for the rotation itself; the
// CLI, start-up and storage on every backend.
#include "auth_test_support.h"

#include <sstream>

#include "jwt/base64url.h"
#include "keys/key_encryption.h"

#include <botan/base64.h>
#include <botan/hex.h>

#include <cstdio>
#include <set>

namespace latchkey::test::auth {
namespace {

// The encryption key reaches the configs through the environment, as an operator's would.
constexpr const char* kKekVariable = "LATCHKEY_IT_KEY_ENCRYPTION_KEY";
const std::string kKek = "integration key-encryption key, 32+ bytes long";
constexpr const char* kWrongKekVariable = "LATCHKEY_IT_WRONG_KEY_ENCRYPTION_KEY";
const std::string kWrongKek = "not the key-encryption key the keys were added with";

std::string database_keys_patch(int refresh_seconds, const std::string& extra_tokens = "",
                                 const char* kek_variable = kKekVariable) {
  return R"({"tokens": {"secret": null, "keys": "database", "key_encryption_key": "${)" + std::string(kek_variable) +
         R"(}", "key_refresh_seconds": )" + std::to_string(refresh_seconds) + extra_tokens + "}}";
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::set<std::string> jwks_kids(HttpClient& http, const HostProcess& host) {
  const HttpResult result = http.get(host.url("/.well-known/jwks.json"));
  std::set<std::string> kids;
  const rapidjson::Document jwks = parse_json(result.body);
  if (result.status != 200 || !jwks.IsObject() || !jwks.HasMember("keys") || !jwks["keys"].IsArray()) return kids;
  for (const auto& key : jwks["keys"].GetArray()) kids.insert(string_member(key, "kid"));
  return kids;
}

class DatabaseKeysFixture : public AuthFixture {
 protected:
  void SetUp() override {
    ::setenv(kKekVariable, kKek.c_str(), 1);
    ::setenv(kWrongKekVariable, kWrongKek.c_str(), 1);
    AuthFixture::SetUp();
  }

  // keys add; fails the test on error; returns the new kid.
  std::string add_key(const std::string& algorithm) {
    const ExitResult added = cli({"keys", "add", "--algorithm", algorithm});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    return trimmed(added.out);
  }
  void activate(const std::string& kid) {
    const ExitResult activated = cli({"keys", "activate", kid});
    ASSERT_EQ(activated.exit_code, 0) << activated.err;
    EXPECT_EQ(activated.out, "activated " + kid + "\n");
  }
  // A second host on the same database with its own patch.
  std::unique_ptr<HostProcess> start_other(const std::string& patch) {
    auto other = std::make_unique<HostProcess>(kHostBinary);
    other->write_config(auth_host_config(merge_json(base_auth_config(database_url()), patch)));
    EXPECT_TRUE(other->start({}, true, 30s)) << other->last_error();
    return other;
  }
  std::string kid_of_login(const HostProcess& on, const std::string& email) {
    const HttpResult result = http.post(on.url("/api/auth/login"),
                                        R"({"email": ")" + email + R"(", "password": ")" + kPassword + R"("})", kJson);
    EXPECT_EQ(result.status, 200) << result.body;
    last_token_ = access_token_of(result);
    return string_member(jwt_header(last_token_), "kid");
  }
  long me_status(const HostProcess& on, const std::string& token) {
    return http.get(on.url("/api/auth/me"), bearer(token)).status;
  }

  std::string last_token_;  // from the last kid_of_login
};

// ---- two hosts on one PostgreSQL ---------------------------------------------------------------

class DatabaseKeysCluster : public DatabaseKeysFixture {
 protected:
  Backend backend() const override { return Backend::postgresql; }
};

TEST_F(DatabaseKeysCluster, RotationReachesBothHostsWithoutARestart) {
  const std::string patch = database_keys_patch(1);
  write_config(patch);
  const std::string first = add_key("EdDSA");
  activate(first);
  start_host(patch);
  const auto other = start_other(patch);
  add_user("rotate@example.com");

  ASSERT_EQ(kid_of_login(host, "rotate@example.com"), first);
  const std::string old_token = last_token_;
  ASSERT_EQ(me_status(*other, old_token), 200);

  // keys add: both JWKS publish the standby key within the refresh time (1 s, plus a poll).
  const std::string standby = add_key("ES256");
  const auto added_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_until([&] { return jwks_kids(http, host).count(standby) && jwks_kids(http, *other).count(standby); },
                         5s))
      << "the standby key never reached both JWKS";
  const auto published = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - added_at);
  std::printf("[database-keys] standby key in both JWKS after %lld ms (key_refresh_seconds 1)\n",
              static_cast<long long>(published.count()));
  std::fflush(stdout);
  EXPECT_LE(published, 2500ms);
  EXPECT_EQ(kid_of_login(host, "rotate@example.com"), first) << "a standby key never signs";

  // keys activate: new tokens from both hosts carry the new kid.
  activate(standby);
  ASSERT_TRUE(wait_until([&] { return kid_of_login(host, "rotate@example.com") == standby; }, 5s));
  ASSERT_TRUE(wait_until([&] { return kid_of_login(*other, "rotate@example.com") == standby; }, 5s));
  const std::string new_token = last_token_;
  EXPECT_EQ(me_status(host, new_token), 200);

  // The old key's token still works on both until it expires; the retired key stays published.
  EXPECT_EQ(me_status(host, old_token), 200);
  EXPECT_EQ(me_status(*other, old_token), 200);
  EXPECT_EQ(jwks_kids(http, host), (std::set<std::string>{first, standby}));
  EXPECT_EQ(jwks_kids(http, *other), (std::set<std::string>{first, standby}));

  const ExitResult listed = cli({"keys", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(first + "\tEdDSA\tretired\t"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(standby + "\tES256\tactive\t"), std::string::npos) << listed.out;
}

TEST_F(DatabaseKeysCluster, HostThatHasNotReloadedAcceptsANewKidAtOnce) {
  write_config(database_keys_patch(1));
  const std::string first = add_key("EdDSA");
  activate(first);
  start_host(database_keys_patch(1));
  const auto slow = start_other(database_keys_patch(3600));  // reloads only on an unknown kid
  add_user("fresh@example.com");

  // Added and activated at once, without waiting for any refresh.
  const std::string second = add_key("EdDSA");
  activate(second);
  ASSERT_TRUE(wait_until([&] { return kid_of_login(host, "fresh@example.com") == second; }, 5s));
  EXPECT_EQ(me_status(*slow, last_token_), 200) << "the slow host refused a token of a key just activated";
  EXPECT_EQ(jwks_kids(http, *slow), (std::set<std::string>{first, second})) << "it reloaded everything";
  EXPECT_EQ(kid_of_login(*slow, "fresh@example.com"), second) << "and signs with the new active key";

  // A kid nobody has is refused, and the host stays up.
  const std::string forged = jwt::base64url_encode(std::string_view(R"({"alg":"EdDSA","typ":"at+jwt","kid":"nobody"})")) +
                             last_token_.substr(last_token_.find('.'));
  EXPECT_TRUE(is_json_error(http.get(slow->url("/api/auth/me"), bearer(forged)), 401, "invalid_token"));
  EXPECT_EQ(me_status(*slow, last_token_), 200);
}

TEST_F(DatabaseKeysCluster, RetiredKeyLeavesJwksAfterItsLastTokenExpired) {
  // A retired key verifies for access_ttl + leeway + key_refresh_seconds: 10 + 0 + 1 s here.
  const std::string patch = database_keys_patch(1, R"(, "access_ttl_seconds": 10, "leeway_seconds": 0)");
  write_config(patch);
  const std::string first = add_key("EdDSA");
  activate(first);
  start_host(patch);
  add_user("retire@example.com");
  ASSERT_EQ(kid_of_login(host, "retire@example.com"), first);
  const std::string old_token = last_token_;

  const std::string second = add_key("EdDSA");
  activate(second);
  const auto retired_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_until([&] { return kid_of_login(host, "retire@example.com") == second; }, 5s));
  EXPECT_EQ(me_status(host, old_token), 200) << "the old key's token works until it expires";
  EXPECT_TRUE(jwks_kids(http, host).count(first)) << "a retired key stays while its tokens may live";

  ASSERT_TRUE(wait_until([&] { return jwks_kids(http, host).count(first) == 0; }, 20s))
      << "the retired key is still published 20 s after its retirement";
  const auto gone_after = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - retired_at);
  std::printf("[database-keys] retired key left JWKS %lld ms after retirement (10 s TTL + 1 s refresh)\n",
              static_cast<long long>(gone_after.count()));
  std::fflush(stdout);
  EXPECT_GE(gone_after, 10s) << "it left while a token it signed could still be valid";
  EXPECT_EQ(jwks_kids(http, host), std::set<std::string>{second});
  EXPECT_TRUE(is_json_error(http.get(url("/api/auth/me"), bearer(old_token)), 401, "token_expired"));
}

// ---- every backend: the CLI, start-up, storage ------------------------------------------------

class DatabaseKeys : public DatabaseKeysFixture, public ::testing::WithParamInterface<Backend> {
 protected:
  Backend backend() const override { return GetParam(); }
};

TEST_P(DatabaseKeys, CliRotatesAndTheHostSignsWithTheActiveKey) {
  write_config(database_keys_patch(1));
  const ExitResult empty = cli({"keys", "list"});
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_EQ(empty.out, "kid\talgorithm\tstate\tcreated\tactivated\tretired\n");

  const std::string hs = add_key("HS256");
  const std::string ed = add_key("EdDSA");
  const ExitResult listed = cli({"keys", "list"});
  EXPECT_NE(listed.out.find(hs + "\tHS256\tstandby\t"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(ed + "\tEdDSA\tstandby\t"), std::string::npos) << listed.out;

  activate(hs);
  start_host(database_keys_patch(1));
  add_user("cli-keys@example.com");
  EXPECT_EQ(kid_of_login(host, "cli-keys@example.com"), hs);
  EXPECT_EQ(me_status(host, last_token_), 200);
  EXPECT_EQ(jwks_kids(http, host), std::set<std::string>{ed}) << "HS256 has nothing public; the standby key is published";

  activate(ed);
  ASSERT_TRUE(wait_until([&] { return kid_of_login(host, "cli-keys@example.com") == ed; }, 5s));
  const ExitResult after = cli({"keys", "list"});
  EXPECT_NE(after.out.find(hs + "\tHS256\tretired\t"), std::string::npos) << after.out;
  EXPECT_NE(after.out.find(ed + "\tEdDSA\tactive\t"), std::string::npos) << after.out;

  // Each change is in the audit log (CONTRACT §9), newest first, naming the kid and never key material.
  const ExitResult audit = cli({"audit", "--json", "--limit", "10000"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  std::vector<std::string> key_events;
  std::istringstream lines(audit.out);
  for (std::string line; std::getline(lines, line);) {
    const rapidjson::Document event = parse_json(line);
    const std::string name = string_member(event, "audit");
    if (name.rfind("key.", 0) == 0) key_events.push_back(name + " " + string_member(event["detail"], "kid"));
  }
  // Newest first; key.activated and the key.retired it caused share one transaction and one time.
  ASSERT_EQ(key_events.size(), 5u) << audit.out;
  EXPECT_EQ(std::set<std::string>(key_events.begin(), key_events.begin() + 2),
            (std::set<std::string>{"key.activated " + ed, "key.retired " + hs}));
  EXPECT_EQ(std::vector<std::string>(key_events.begin() + 2, key_events.end()),
            (std::vector<std::string>{"key.activated " + hs, "key.added " + ed, "key.added " + hs}));
  EXPECT_EQ(audit.out.find("PRIVATE KEY"), std::string::npos);
}

TEST_P(DatabaseKeys, CliRefusalsAreOneClearLine) {
  write_config(database_keys_patch(1));
  const std::string active = add_key("ES256");
  activate(active);
  const std::string standby = add_key("EdDSA");
  const auto fails = [&](const std::vector<std::string>& args, int code, const std::string& needle) {
    const ExitResult result = cli(args);
    EXPECT_EQ(result.exit_code, code) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.err.rfind("latchkey-auth: ", 0), 0u) << result.err;
    EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
  };
  fails({"keys", "activate", "no-such-kid"}, 1, "no signing key with kid no-such-kid");
  fails({"keys", "retire", "no-such-kid"}, 1, "no signing key with kid no-such-kid");
  fails({"keys", "activate", active}, 1, "already active");
  fails({"keys", "retire", active}, 1, "is the active key");
  ASSERT_EQ(cli({"keys", "retire", standby}).exit_code, 0);
  fails({"keys", "activate", standby}, 1, "retired");
  fails({"keys", "add"}, 2, "missing --algorithm");
  fails({"keys", "add", "--algorithm", "none"}, 2, "expects HS256, EdDSA or ES256");
  fails({"keys", "activate"}, 2, "missing KID");

  // A CLI with another encryption key changes nothing.
  write_config(database_keys_patch(1, "", kWrongKekVariable));
  fails({"keys", "add", "--algorithm", "EdDSA"}, 1, "tokens.key_encryption_key");
  // And the keys commands need tokens.keys "database".
  write_config();
  fails({"keys", "list"}, 1, "tokens.keys \"database\"");
}

TEST_P(DatabaseKeys, StartUpStopsWithoutAnActiveKeyOrWithAWrongEncryptionKey) {
  write_config(database_keys_patch(1));
  EXPECT_FALSE(host.start({}, true, 30s));
  EXPECT_NE(host.stderr_text().find("latchkey-auth keys add"), std::string::npos) << host.stderr_text();
  EXPECT_NE(host.stderr_text().find("keys activate"), std::string::npos) << host.stderr_text();

  activate(add_key("EdDSA"));
  HostProcess wrong(kHostBinary);
  wrong.write_config(auth_host_config(
      merge_json(base_auth_config(database_url()), database_keys_patch(1, "", kWrongKekVariable))));
  EXPECT_FALSE(wrong.start({}, true, 30s));
  EXPECT_NE(wrong.stderr_text().find("tokens.key_encryption_key"), std::string::npos) << wrong.stderr_text();
  EXPECT_EQ(wrong.stderr_text().find(kWrongKek), std::string::npos) << "the encryption key is never printed";
}

TEST_P(DatabaseKeys, StoredPrivateKeyIsNotReadableInTheTable) {
  write_config(database_keys_patch(1));
  const std::string ed = add_key("EdDSA");
  const std::string hs = add_key("HS256");
  activate(ed);
  start_host(database_keys_patch(1));

  const auto url = store::parse_database_url(database_url(), host.dir().string());
  ASSERT_TRUE(url.url) << url.error;
  store::Database db(*url.url);
  const auto encryption = *keys::KeyEncryption::from_secret(kKek);
  for (const std::string& kid : {ed, hs}) {
    // Every column of the row as the database returns it, as text.
    std::string row;
    db.run([&](soci::session& sql) {
      std::string algorithm, state, public_key, sealed;
      soci::indicator public_ind = soci::i_ok;
      sql << "SELECT algorithm, state, public_key, private_key_encrypted FROM signing_keys WHERE kid = :kid",
          soci::into(algorithm), soci::into(state), soci::into(public_key, public_ind), soci::into(sealed),
          soci::use(kid);
      row = kid + "|" + algorithm + "|" + state + "|" + (public_ind == soci::i_ok ? public_key : "") + "|" + sealed;
      // The private part, decrypted here with the operator's key, to know what to search for.
      const auto plaintext = encryption.decrypt(kid, sealed);
      ASSERT_TRUE(plaintext) << kid;
      const std::string text(plaintext->begin(), plaintext->end());
      std::vector<std::string> forms = {text, Botan::hex_encode(*plaintext, true), Botan::hex_encode(*plaintext, false),
                                        Botan::base64_encode(*plaintext)};
      if (text.find("-----BEGIN PRIVATE KEY-----") == 0) {  // PEM: its base64 body, and the DER inside it
        const std::string body = text.substr(28, text.find("-----END") - 28);
        forms.push_back(body.substr(0, body.find('\n')));
        const auto der = Botan::base64_decode(body);
        forms.push_back(Botan::hex_encode(der, false));
        forms.push_back(Botan::hex_encode(std::vector<uint8_t>(der.end() - 32, der.end()), false));  // the seed
      }
      for (const std::string& form : forms) {
        EXPECT_EQ(row.find(form), std::string::npos) << kid << ": the private part is readable in the row";
        EXPECT_EQ(host.stderr_text().find(form), std::string::npos) << kid << ": the private part is in the log";
      }
    });
    EXPECT_NE(row.find("|v1."), std::string::npos) << row;
  }
  EXPECT_EQ(host.stderr_text().find(kKek), std::string::npos) << "the encryption key is never logged";
}

INSTANTIATE_ON_EACH_BACKEND(DatabaseKeys);

}  // namespace
}  // namespace latchkey::test::auth
