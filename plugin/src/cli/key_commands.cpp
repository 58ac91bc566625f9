// The keys commands on KeyRotation; times are printed as UTC ISO-8601, and nothing secret (not
// even the encrypted private part) is ever printed.
#include "cli/key_commands.h"

#include "jwt/algorithm.h"
#include "keys/key_rotation.h"

#include <chrono>
#include <ctime>
#include <iostream>

namespace latchkey::cli {
namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string iso_time(const std::optional<std::int64_t>& seconds) {
  if (!seconds) return "-";
  const std::time_t time = static_cast<std::time_t>(*seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

keys::KeyRotation rotation(CliContext& context) {
  const config::TokensConfig& tokens = context.config.tokens;
  if (tokens.keys != "database") {
    throw CommandError("the keys commands need tokens.keys \"database\" in the auth plugin's config");
  }
  auto encryption = keys::KeyEncryption::from_secret(tokens.key_encryption_key.value_or(""));
  if (!encryption) throw CommandError("tokens.key_encryption_key must be at least 32 bytes");
  keys::KeyRotation rotation(*context.db, std::move(*encryption), now_seconds);
  rotation.set_audit(context.audit.get());
  return rotation;
}

void succeed_or_throw(const keys::RotationResult& result) {
  if (!result.ok()) throw CommandError(result.error);
}

}  // namespace

// Read before printing: a failure leaves stdout empty.
void keys_list(CliContext& context) {
  const std::vector<keys::StoredKey> stored = rotation(context).list();
  std::cout << "kid\talgorithm\tstate\tcreated\tactivated\tretired\n";
  for (const keys::StoredKey& key : stored) {
    std::cout << key.kid << "\t" << key.algorithm << "\t" << keys::key_state_name(key.state) << "\t"
              << iso_time(key.created_at) << "\t" << iso_time(key.activated_at) << "\t" << iso_time(key.retired_at)
              << "\n";
  }
}

void keys_add(CliContext& context, const std::string& algorithm_name) {
  const auto algorithm = jwt::parse_algorithm(algorithm_name);
  if (!algorithm) throw CommandError("keys add takes --algorithm HS256, EdDSA or ES256");
  const keys::RotationResult added = rotation(context).add(*algorithm);
  succeed_or_throw(added);
  std::cout << added.kid << "\n";
}

void keys_activate(CliContext& context, const std::string& kid) {
  succeed_or_throw(rotation(context).activate(kid));
  std::cout << "activated " << kid << "\n";
}

void keys_retire(CliContext& context, const std::string& kid) {
  succeed_or_throw(rotation(context).retire(kid));
  std::cout << "retired " << kid << "\n";
}

}  // namespace latchkey::cli
