-- Issue 15 (CONTRACT §10 "Passkeys"): WebAuthn credentials and the challenges of their ceremonies.
-- Times: int64 epoch seconds. Binary values are base64url without padding.
-- A passkey: the credential id the authenticator chose (unique across users), its COSE public key
-- (public, so stored as it came), its COSE algorithm (-7 ES256, -8 EdDSA, -257 RS256), the last
-- sign counter seen, the transports the browser reported (space-separated), the user's name for
-- it, and flagged_at: set when a counter went backwards (a cloned authenticator); a flagged passkey
-- is refused.
CREATE TABLE passkeys (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  credential_id TEXT NOT NULL UNIQUE,
  public_key    TEXT NOT NULL,
  algorithm     INTEGER NOT NULL,
  sign_count    INTEGER NOT NULL,
  transports    TEXT NOT NULL DEFAULT '',
  name          TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER,
  flagged_at    INTEGER
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- A ceremony's challenge (32 random bytes), stored as SHA-256 hex, single use, 5 minutes.
-- 'register' challenges belong to the user who asked; 'authenticate' ones to nobody yet.
CREATE TABLE webauthn_challenges (
  challenge_hash TEXT PRIMARY KEY,
  purpose        TEXT NOT NULL CHECK (purpose IN ('register', 'authenticate')),
  user_id        TEXT REFERENCES users (id) ON DELETE CASCADE,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  used_at        INTEGER
);
CREATE INDEX webauthn_challenges_expires ON webauthn_challenges (expires_at);
