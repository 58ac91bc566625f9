-- Issue 15 (CONTRACT §10 "Passkeys"): WebAuthn credentials and the challenges of their ceremonies.
-- Times: int64 epoch seconds. Binary values are base64url without padding.
-- A passkey: the credential id the authenticator chose (unique across users), its COSE public key
-- (public, so stored as it came), its COSE algorithm (-7 ES256, -8 EdDSA, -257 RS256), the last
-- sign counter seen, the transports the browser reported (space-separated), the user's name for
-- it, and flagged_at: set when a counter went backwards (a cloned authenticator); a flagged passkey
-- is refused.
CREATE TABLE passkeys (
  id            VARCHAR(64) PRIMARY KEY,
  user_id       VARCHAR(64) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  credential_id VARCHAR(1400) NOT NULL UNIQUE,
  public_key    TEXT NOT NULL,
  algorithm     INTEGER NOT NULL,
  sign_count    BIGINT NOT NULL,
  transports    VARCHAR(256) NOT NULL DEFAULT '',
  name          VARCHAR(256) NOT NULL,
  created_at    BIGINT NOT NULL,
  last_used_at  BIGINT,
  flagged_at    BIGINT
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- A ceremony's challenge (32 random bytes), stored as SHA-256 hex, single use, 5 minutes.
-- 'register' challenges belong to the user who asked; 'authenticate' ones to nobody yet.
CREATE TABLE webauthn_challenges (
  challenge_hash VARCHAR(64) PRIMARY KEY,
  purpose        VARCHAR(16) NOT NULL CHECK (purpose IN ('register', 'authenticate')),
  user_id        VARCHAR(64) REFERENCES users (id) ON DELETE CASCADE,
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,
  used_at        BIGINT
);
CREATE INDEX webauthn_challenges_expires ON webauthn_challenges (expires_at);
