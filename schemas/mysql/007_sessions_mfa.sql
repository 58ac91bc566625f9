-- Issue 14 (CONTRACT §10): what a session records for its owner's list, second factors and
-- magic links. Times: int64 epoch seconds. Token and code columns hold SHA-256 hex, never the value.
-- A session's login: the client address and User-Agent (printable UTF-8, at most 256 bytes,
-- audit::kMaxUserAgent) it came from, how it authenticated (amr: RFC 8176 values separated by
-- spaces) and when (auth_time; step-up moves it). Sessions from before this migration say "pwd" and
-- their creation time.
ALTER TABLE sessions ADD COLUMN client_address VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN amr VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'pwd';
ALTER TABLE sessions ADD COLUMN auth_time BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET auth_time = created_at;

-- One TOTP factor per user: the secret AES-256-GCM encrypted (never in clear); enabled_at NULL
-- while it is set up but not confirmed by a first code; last_used_step refuses a code's replay.
CREATE TABLE totp_factors (
  user_id          VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  secret_encrypted TEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at       BIGINT NOT NULL,
  enabled_at       BIGINT,
  last_used_step   BIGINT,
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- code_hash: HMAC-SHA-256 (mfa/recovery_codes.h) under a key the database does not hold.
CREATE TABLE recovery_codes (
  user_id    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  code_hash  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at BIGINT NOT NULL,
  used_at    BIGINT,
  PRIMARY KEY (user_id, code_hash),
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A first factor passed, the second pending: the mfaToken of the login answer (single use).
CREATE TABLE mfa_challenges (
  token_hash   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  user_id      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  first_factor VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL CHECK (first_factor IN ('pwd', 'email', 'ext')),
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  used_at      BIGINT,
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX mfa_challenges_expires ON mfa_challenges (expires_at);

CREATE TABLE magic_links (
  token_hash VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  user_id    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT,
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX magic_links_expires ON magic_links (expires_at);
