// Key loading from config values; errors are one line fit for an operator.
#include "config/key_loading.h"

namespace latchkey::config {

jwt::KeyResult load_signing_key(const AuthConfig& config) {
  const TokensConfig& tokens = config.tokens;
  if (tokens.algorithm == "HS256") {
    if (!tokens.secret) return {std::nullopt, "HS256 needs a secret of at least 32 bytes"};
    return jwt::Key::from_hmac_secret(*tokens.secret);
  }
  if (!tokens.private_key_file) {
    return {std::nullopt, "EdDSA and ES256 need a PKCS#8 PEM (latchkey-auth keygen writes one)"};
  }
  return jwt::Key::from_private_pem_file(config.resolve(*tokens.private_key_file));
}

jwt::KeyResult load_verify_key(const AuthConfig& config, const VerifyKeyConfig& entry) {
  if (entry.secret) return jwt::Key::from_hmac_secret(*entry.secret, entry.kid);
  if (!entry.file) return {std::nullopt, "give exactly one of file or secret"};
  const std::string path = config.resolve(*entry.file);
  jwt::KeyResult key = jwt::Key::from_public_pem_file(path, entry.kid);
  if (!key.key) key = jwt::Key::from_private_pem_file(path, entry.kid);
  return key;
}

jwt::KeySetResult load_key_set(const AuthConfig& config) {
  jwt::KeyResult signing = load_signing_key(config);
  if (!signing.key) return {std::nullopt, signing.error};
  std::vector<jwt::Key> verify_keys;
  for (const VerifyKeyConfig& entry : config.tokens.verify_keys) {
    jwt::KeyResult key = load_verify_key(config, entry);
    if (!key.key) return {std::nullopt, key.error};
    verify_keys.push_back(std::move(*key.key));
  }
  return jwt::KeySet::create(std::move(*signing.key), std::move(verify_keys));
}

}  // namespace latchkey::config
