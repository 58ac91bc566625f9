// Loading the configured JWS keys: one code path for --check-config and for init, so a config that
// passes the check loads.
#pragma once

#include "config/auth_config.h"
#include "jwt/key.h"
#include "jwt/key_set.h"

namespace latchkey::config {

// The signing key of tokens.algorithm: the HS256 secret or the private_key_file PEM.
jwt::KeyResult load_signing_key(const AuthConfig& config);

// A verify key: an old HS256 secret, or a PEM file (public, else private).
jwt::KeyResult load_verify_key(const AuthConfig& config, const VerifyKeyConfig& entry);

// All of them as the key set tokens are signed and verified with.
jwt::KeySetResult load_key_set(const AuthConfig& config);

}  // namespace latchkey::config
