-- Issue 14 (CONTRACT §10): what a session records for its owner's list, second factors and
-- magic links. Times: int64 epoch seconds. Token and code columns hold SHA-256 hex, never the value.
-- A session's login: the client address and User-Agent (printable UTF-8, at most 256 bytes,
-- audit::kMaxUserAgent) it came from, how it authenticated (amr: RFC 8176 values separated by
-- spaces) and when (auth_time; step-up moves it). Sessions from before this migration say "pwd" and
-- their creation time.
ALTER TABLE sessions ADD COLUMN client_address TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd';
ALTER TABLE sessions ADD COLUMN auth_time INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET auth_time = created_at;

-- One TOTP factor per user: the secret AES-256-GCM encrypted (never in clear); enabled_at NULL
-- while it is set up but not confirmed by a first code; last_used_step refuses a code's replay.
CREATE TABLE totp_factors (
  user_id          TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_encrypted TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  enabled_at       INTEGER,
  last_used_step   INTEGER
);

-- code_hash: HMAC-SHA-256 (mfa/recovery_codes.h) under a key the database does not hold.
CREATE TABLE recovery_codes (
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at    INTEGER,
  PRIMARY KEY (user_id, code_hash)
);

-- A first factor passed, the second pending: the mfaToken of the login answer (single use).
CREATE TABLE mfa_challenges (
  token_hash   TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  first_factor TEXT NOT NULL CHECK (first_factor IN ('pwd', 'email', 'ext')),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER
);
CREATE INDEX mfa_challenges_user ON mfa_challenges (user_id);
CREATE INDEX mfa_challenges_expires ON mfa_challenges (expires_at);

CREATE TABLE magic_links (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX magic_links_user ON magic_links (user_id);
CREATE INDEX magic_links_expires ON magic_links (expires_at);
